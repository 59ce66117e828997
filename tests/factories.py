import time

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import grant_roles

DEFAULT_PASSWORD = "a long demo passphrase 42"


class UserFactory(factory.django.DjangoModelFactory):
    """A member who has verified their email address and can log in with DEFAULT_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            grant_roles(user=user, roles=tuple(extracted))

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        """Staff (a role, `is_staff` or a superuser) get TOTP, as the portal requires of them;
        `two_factor=False` makes one without it, `two_factor=True` gives it to anyone."""
        if not create or extracted is False:
            return
        if extracted or user.is_staff or user.is_superuser or user.groups.exists():
            user.totp_secret = enable_two_factor(user)


def enable_two_factor(user) -> str:
    """Turn on TOTP two-factor for `user` (replacing any earlier TOTP); returns the secret (see `totp_code`)."""
    from allauth.mfa.models import Authenticator

    from accounts.services import enable_two_factor as activate_totp

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return activate_totp(user=user)


def totp_code(secret: str) -> str:
    """The authenticator app's current code for `secret`, with at least five seconds left to use it.

    Codes are accepted only in their own 30-second step (no tolerance), so a code read at 29.9 s
    that reaches a busy server at 30.1 s is refused: near the end of a step, wait for the next one.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time() // period)))


def ModeratorFactory(**fields):
    """A moderator with two-factor authentication on (required for every moderator power);
    `moderator.totp_secret` gives its codes (see `totp_code`)."""
    from accounts.roles import Role

    return UserFactory(roles=[Role.MODERATOR], **fields)
