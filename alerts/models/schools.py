"""Schools, the members who speak for them (school contacts), and school CSV imports."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alerts.querysets import SchoolContactQuerySet, SchoolQuerySet


class School(models.Model):
    class ReturnRule(models.TextChoices):
        HOURS_12 = "12h", _("12 hours on antibiotics and fever-free")
        HOURS_24 = "24h", _("24 hours on antibiotics and fever-free")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    district = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True, help_text="State, province or county.")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="Two-letter country code.")
    email_domain = models.CharField(max_length=120, blank=True, help_text="e.g. lincoln.k12.example.org")
    return_rule = models.CharField(max_length=3, choices=ReturnRule.choices, default=ReturnRule.HOURS_24)
    allow_classroom_scope = models.BooleanField(
        default=False,
        help_text="Small numbers identify children: allow classroom-level alerts only if the school asks.",
    )
    confirmed_cases_only = models.BooleanField(
        "send confirmed cases only",
        default=False,
        help_text="Email subscribers only about cases confirmed by a test (strep throat, scarlet fever). "
        "Suspected cases are still recorded, but not sent.",
    )
    classroom_labels = models.TextField(
        blank=True,
        help_text="The classrooms reports may name, one per line, as the school calls them (e.g. “Room 12”). "
        "A report chooses one of these: an alert never carries free text a reporter typed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("name"), name="alerts_school_name_lower")]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def get_absolute_url(self):
        return reverse("alerts:school", args=[self.slug])

    @property
    def classrooms(self) -> list[str]:
        """The classroom labels the school keeps, in its own spelling."""
        return [label.strip() for label in self.classroom_labels.splitlines() if label.strip()]


class SchoolContact(models.Model):
    """A member who speaks for a school. Once verified, their reports publish at once."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "requested"
        VERIFIED = "verified", "verified"
        REVOKED = "revoked", "revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_contacts")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    role_at_school = models.CharField(max_length=80, help_text="e.g. school nurse, principal's office")
    requested_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SchoolContactQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="alerts_contact_user_school_unique")]

    def __str__(self):
        return f"contact for {self.school.name} ({self.get_status_display()})"


class SchoolImport(models.Model):
    """A school CSV import run in the background, a chunk of rows per task, with its progress.

    A "check" run validates every row and counts what would be created and updated; an "import"
    run (asked for after a clean check) writes them. Rows are never written while any has an error.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking rows"
        WRITING = "writing", "Writing schools"
        DONE = "done", "Done"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(help_text="The uploaded CSV, kept until the import is done.")
    write = models.BooleanField(default=False, help_text="False: check only (a preview).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    # [{"line": 12, "name": "…", "errors": ["…"]}], the first ones only (imports.MAX_ERRORS_KEPT).
    row_errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"School import #{self.pk} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
