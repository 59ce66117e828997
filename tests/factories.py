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


def enable_two_factor(user) -> str:
    """Turn on TOTP two-factor for `user`; returns the secret (see `totp_code`)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The authenticator app's current code for `secret`."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def ModeratorFactory(**fields):
    """A moderator with two-factor authentication on (required to open the queue)."""
    from accounts.roles import Role

    moderator = UserFactory(roles=[Role.MODERATOR], **fields)
    enable_two_factor(moderator)
    return moderator
