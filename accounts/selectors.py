from django.db.models import Q

from accounts.models import User
from accounts.names import skeleton
from accounts.roles import Role


def display_name_taken(display_name: str, *, exclude_pk: int | None = None) -> bool:
    """Display names are unique regardless of case and of look-alike letters ("Maple", "maple" and
    "Maple" written with a Cyrillic a are one name)."""
    name = display_name.strip()
    same = Q(display_name__iexact=name) | Q(display_name_skeleton=skeleton(name))
    return User.objects.filter(same).exclude(pk=exclude_pk).exists()


def moderator_ids(among: set[int]) -> frozenset[int]:
    """Which of the members `among` are moderators (as `User.is_moderator` says), in one query:
    a page of posts asks once instead of once per post."""
    moderators = Q(groups__name=Role.MODERATOR.value) | Q(is_superuser=True)
    return frozenset(User.objects.filter(moderators, pk__in=among, is_active=True).values_list("pk", flat=True))


def active_members_with_email(role: Role):
    """The active members in `role`'s group who have an email address, oldest account first, each once."""
    return User.objects.filter(groups__name=role.value, is_active=True).exclude(email="").order_by("id").distinct()
