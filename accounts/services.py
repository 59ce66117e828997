from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from portal.hooks import app_hooks
from portal.pagecache import changes_public_pages


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


def enable_two_factor(*, user: User) -> str:
    """Give an account a TOTP authenticator with a new key, and return the key.

    For accounts the portal makes itself (demo staff, the demo content's signers): members set
    two-factor up on their own through allauth's pages.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.__dict__.pop("has_two_factor", None)
    return secret


def grant_roles(*, user: User, roles: tuple[Role, ...]) -> None:
    # get_or_create: the groups come from a data migration, but a flushed or hand-edited
    # database must not silently leave a moderator without their role.
    user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))


@changes_public_pages
def change_display_name(*, user: User, display_name: str) -> User:
    user.display_name = display_name
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["display_name"])
    return user


def export_member_data(*, user: User) -> dict:
    """Everything the portal holds about a member, in one readable document."""
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "community_rules_accepted_at": user.rules_accepted_at.isoformat() if user.rules_accepted_at else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
            "roles": sorted(user.role_names),
        }
    }
    for export in app_hooks("member_data", "export_member_data"):
        data.update(export(user=user))
    return data


@changes_public_pages
@transaction.atomic
def delete_account(*, user: User) -> None:
    """Erase a member's personal details; what they posted stays, under "Former member N".

    The row is kept (posts point at it) but can never log in again, and its email address is
    free for a new account. Changing the password hash ends every other session of the member.
    """
    for erase in app_hooks("member_data", "erase_member"):
        erase(user=user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.email = f"deleted-{user.pk}@invalid.invalid"
    user.display_name = f"Former member {user.pk}"
    user.is_active = user.is_staff = user.is_superuser = False
    user.rules_accepted_at = None
    user.set_unusable_password()
    user.save()
    end_sessions(user=user)


def end_sessions(*, user: User, except_session_key: str | None = None) -> None:
    """Log a member out everywhere (suspension, deletion), or everywhere but one session."""
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != except_session_key:
            session.end()
