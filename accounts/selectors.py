from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from accounts.models import User
from accounts.names import skeleton
from accounts.roles import Role


def display_name_taken(display_name: str, *, exclude_pk: int | None = None) -> bool:
    """Display names are unique regardless of case and of look-alike letters ("Maple", "maple" and
    "Maple" written with a Cyrillic a are one name)."""
    name = display_name.strip()
    same = Q(display_name__iexact=name) | Q(display_name_skeleton=skeleton(name))
    return User.objects.filter(same).exclude(pk=exclude_pk).exists()


def shown_as_moderator(user_field: str):
    """Whether the member in `user_field` of a queryset's model is shown with a moderator badge (an
    active member in the moderators' group, or a superuser), as an expression: a page of posts learns
    its authors' badges in its own query instead of one per post."""
    holds_role = Exists(
        User.groups.through.objects.filter(user_id=OuterRef(user_field), group__name=Role.MODERATOR.value)
    )
    shown = Q(**{f"{user_field}__is_active": True}) & (Q(**{f"{user_field}__is_superuser": True}) | holds_role)
    return ExpressionWrapper(shown, output_field=BooleanField())


def active_members_with_email(role: Role):
    """The active members in `role`'s group who have an email address, oldest account first, each once."""
    return User.objects.filter(groups__name=role.value, is_active=True).exclude(email="").order_by("id").distinct()
