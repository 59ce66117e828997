from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.names import skeleton
from accounts.roles import Role

display_name_validator = RegexValidator(
    r"^[\w][\w .\-]{1,28}[\w.]$",
    "Use 3 to 30 letters, digits, spaces, dots, dashes or underscores.",
)


# allauth's authenticator types that make it ask for a code at login (recovery codes alone do not).
TWO_FACTOR_TYPES = ("totp", "webauthn")


def _holds(role: Role) -> str:
    """The name of the annotation `UserManager.with_roles` adds for `role`."""
    return f"holds_role_{role.name.lower()}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def with_roles(self):
        """Members with their staff roles read in the same query: each request loads its user this way
        (accounts.backends), so the header and the access checks learn who is a moderator or an editor
        without a query of their own."""
        memberships = self.model.groups.through.objects
        return self.annotate(**{
            _holds(role): Exists(memberships.filter(user_id=OuterRef("pk"), group__name=role.value)) for role in Role
        })  # fmt: skip

    def with_two_factor(self):
        """Members with an authenticator allauth asks for at login: the list twin of `User.has_two_factor`."""
        return self.filter(authenticator__type__in=TWO_FACTOR_TYPES).distinct()


class User(AbstractBaseUser, PermissionsMixin):
    """A member. Logs in with an email address that no other member ever sees.

    Everywhere on the site a member is shown by `display_name`, a pseudonym, so that neither a
    parent nor their child can be identified from what they post.
    """

    class Language(models.TextChoices):
        # Each name in its own language: that is how a reader finds theirs.
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=30,
        validators=[display_name_validator],
        help_text="Shown next to everything you post. Not your real name, and not your child's.",
    )
    # What the name looks like, whatever letters it is written in (accounts/names.py): unique names
    # are compared by it, so "Harbor Moderator" written with a Greek omicron is the same name as "Harbor Moderator".
    display_name_skeleton = models.CharField(max_length=90, db_index=True, editable=False, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    # The language of the member's account pages (/accounts/...) and of the account emails sent to them.
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="accounts_user_display_name_ci_unique"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.display_name_skeleton = skeleton(self.display_name)
        if (fields := kwargs.get("update_fields")) is not None and "display_name" in fields:
            kwargs["update_fields"] = {*fields, "display_name_skeleton"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The member's staff roles (`Role` values): read with the member when it was loaded `with_roles()`
        (every request's user), otherwise in one query, once per user object."""
        if all(hasattr(self, _holds(role)) for role in Role):
            return frozenset(role.value for role in Role if getattr(self, _holds(role)))
        return frozenset(self.groups.filter(name__in=Role.values).values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        """Holds the role (or is a superuser). The role alone grants no power: see `has_authority`."""
        return self.is_active and (self.is_superuser or role.value in self.role_names)

    @cached_property
    def has_two_factor(self) -> bool:
        """An authenticator that allauth asks for at every login (TOTP or a security key).

        Recovery codes alone do not count: without an authenticator allauth no longer asks for a code.
        """
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user_id=self.pk, type__in=TWO_FACTOR_TYPES).exists()

    def has_authority(self, role: Role) -> bool:
        """The one check for a staff power: the role AND two-factor, so that a stolen password alone
        never acts as a moderator, editor or reviewer. One query for role-holders (cached per user
        object); none for other members."""
        return self.has_role(role) and self.has_two_factor

    @property
    def holds_moderator_role(self) -> bool:
        """The role without the two-factor check: only to tell a moderator to set two-factor up."""
        return self.has_role(Role.MODERATOR)

    @property
    def is_moderator(self) -> bool:
        return self.has_authority(Role.MODERATOR)

    @property
    def is_editor(self) -> bool:
        return self.has_authority(Role.EDITOR)

    @property
    def is_medical_reviewer(self) -> bool:
        return self.has_authority(Role.MEDICAL_REVIEWER)


class DataExport(models.Model):
    """A member's request for their data archive.

    Every request leaves a row until `expires_at`: that is the daily limit's record. A large
    export is built in the background into `archive` and mailed as a link; the archive is
    deleted with the row when it expires (accounts.services.purge_expired_exports).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    requested_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)
    archive = models.BinaryField(null=True, editable=False)
    ready_at = models.DateTimeField(null=True, blank=True)
    # Outbox marker: the mail with the link went out.
    emailed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["user", "requested_at"]), models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"data export #{self.pk} of member {self.user_id}"
