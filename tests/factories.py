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
