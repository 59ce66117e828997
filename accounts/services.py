from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role


@transaction.atomic
def create_member(*, email: str, display_name: str, password: str, roles: tuple[Role, ...] = ()) -> User:
    """A member whose email address is already verified (demo accounts, admin-made staff).

    Editors and medical reviewers work in the admin site, so they get `is_staff`.
    """
    needs_admin = bool({Role.EDITOR, Role.MEDICAL_REVIEWER} & set(roles))
    user = User.objects.create_user(email=email, password=password, display_name=display_name, is_staff=needs_admin)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    grant_roles(user=user, roles=roles)
    return user


def grant_roles(*, user: User, roles: tuple[Role, ...]) -> None:
    # get_or_create: the groups come from a data migration, but a flushed or hand-edited
    # database must not silently leave a moderator without their role.
    user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))
