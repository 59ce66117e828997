"""Schools, subscriptions, exposure reports, alerts and their deliveries.

Privacy is structural here: a report holds no field for a child, and an alert holds no link to
the reporter — only the school, the scope, the kind and the week.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.querysets import (
    AlertQuerySet,
    DeliveryQuerySet,
    DigestQuerySet,
    ExposureReportQuerySet,
    SchoolContactQuerySet,
    SchoolQuerySet,
    SubscriptionQuerySet,
)

# How long after the end of an exposure window a parent should keep watching for symptoms.
WATCH_DAYS_AFTER_WINDOW = 5
MAX_WINDOW_DAYS = 14
# How long an unsubscribed address and its consent record are kept (the privacy page says so).
CONSENT_RETENTION = datetime.timedelta(days=30)


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

    @property
    def list_id(self) -> str:
        """RFC 2919 List-Id: one list per school."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"<{self.slug}.alerts.{host}>"


class Subscription(models.Model):
    """One address following one school. Nothing but the confirmation mail goes out until CONFIRMED."""

    class SubscriberRole(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        STAFF = "staff", "School staff"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DIGEST = "digest", _("Daily digest")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for confirmation"
        ACTIVE = "active", "confirmed"
        UNSUBSCRIBED = "unsubscribed", "unsubscribed"
        SUPPRESSED = "suppressed", "suppressed (hard bounce or complaint)"

    email = models.EmailField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subscriptions")
    role = models.CharField(max_length=10, choices=SubscriberRole.choices, default=SubscriberRole.PARENT)
    grade = models.CharField(max_length=10, blank=True)
    delivery = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Outbox for the confirmation mail: requested by the subscribe service, sent by a task.
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # Consent record (double opt-in): when, and from which address, the subscriber confirmed.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "school", name="alerts_subscription_email_school_unique"),
        ]
        indexes = [
            models.Index(fields=["school", "status", "delivery"]),
            models.Index(Lower("email"), name="alerts_sub_email_lower"),
        ]

    def __str__(self):
        return f"subscription #{self.pk} to {self.school.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


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


class Scope(models.TextChoices):
    SCHOOL = "school", _("Whole school")
    GRADE = "grade", _("One grade")
    CLASSROOM = "classroom", _("One classroom")


class Kind(models.TextChoices):
    STREP_THROAT = "strep", _("Confirmed strep throat")
    SCARLET_FEVER = "scarlet", _("Scarlet fever")
    SUSPECTED = "suspected", _("Suspected strep (not confirmed by a test)")


class Grade(models.TextChoices):
    """School grades, as a subscriber picks one and an alert names one. Spanish labels: alerts/locale/es."""

    PRE_KINDERGARTEN = "PK", _("Pre-kindergarten")
    KINDERGARTEN = "K", _("Kindergarten")
    GRADE_1 = "1", _("Grade 1")
    GRADE_2 = "2", _("Grade 2")
    GRADE_3 = "3", _("Grade 3")
    GRADE_4 = "4", _("Grade 4")
    GRADE_5 = "5", _("Grade 5")
    GRADE_6 = "6", _("Grade 6")
    GRADE_7 = "7", _("Grade 7")
    GRADE_8 = "8", _("Grade 8")
    GRADE_9 = "9", _("Grade 9")
    GRADE_10 = "10", _("Grade 10")
    GRADE_11 = "11", _("Grade 11")
    GRADE_12 = "12", _("Grade 12")


class ExposureReport(models.Model):
    Scope = Scope
    Kind = Kind

    class Status(models.TextChoices):
        PENDING = "pending", "awaiting review"
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="reports")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SCHOOL)
    # Grade code (Grade) or a classroom label such as "Room 12": never a person.
    scope_label = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    window_start = models.DateField()
    window_end = models.DateField()
    note_to_moderators = models.TextField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="exposure_reports"
    )
    by_verified_contact = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    alert = models.ForeignKey("Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    # Outbox marker: verified contacts of the school still have to hear about this report.
    contacts_notified_at = models.DateTimeField(null=True, blank=True)

    objects = ExposureReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")), name="alerts_report_window"
            ),
        ]

    def __str__(self):
        return f"report #{self.pk} for {self.school.name}"


class Alert(models.Model):
    """What subscribers receive: one per school, scope and ISO week, however many reports."""

    Scope = Scope
    Kind = Kind

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="alerts")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    scope_label = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    window_start = models.DateField()
    window_end = models.DateField()
    report_count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Outbox marker: NULL until the fan-out has been planned (the sweeper plans what is left).
    planned_at = models.DateTimeField(null=True, blank=True)
    audience_size = models.PositiveIntegerField(default=0)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "scope", "scope_label", "iso_year", "iso_week"], name="alerts_alert_one_per_week"
            ),
        ]
        indexes = [models.Index(fields=["planned_at", "created_at"])]

    def __str__(self):
        return f"alert #{self.pk}: {self.school.name}, week {self.iso_year}-W{self.iso_week:02d}"

    @property
    def is_suspected(self) -> bool:
        """Not confirmed by a test: most sore throats are viral, so the emails say so plainly."""
        return self.kind == Kind.SUSPECTED

    @property
    def watch_until(self) -> datetime.date:
        return self.window_end + datetime.timedelta(days=WATCH_DAYS_AFTER_WINDOW)

    @property
    def scope_text(self) -> str:
        if self.scope == Scope.GRADE:
            return str(dict(Grade.choices).get(self.scope_label, self.scope_label))
        if self.scope == Scope.CLASSROOM:
            return self.scope_label
        return str(Scope.SCHOOL.label)


class SendStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"
    SUPPRESSED = "suppressed", "suppressed"
    SKIPPED = "skipped", "skipped"


class Delivery(models.Model):
    """One alert to one subscription. The unique pair makes a re-run of the fan-out create nothing."""

    Status = SendStatus

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscription"], name="alerts_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=models.Q(status=SendStatus.PENDING), name="alerts_delivery_pending"
            ),
        ]

    def __str__(self):
        return f"delivery #{self.pk} ({self.status})"


class Digest(models.Model):
    """One daily digest to one address; unique per address and day so a re-run sends nothing twice."""

    Status = SendStatus

    email = models.EmailField()
    day = models.DateField()
    # The alerts listed are those published in [period_start, period_end).
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "day"], name="alerts_digest_once_a_day")]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=models.Q(status=SendStatus.PENDING), name="alerts_digest_pending"
            ),
        ]

    def __str__(self):
        return f"digest #{self.pk} for {self.day} ({self.status})"


class SuppressedAddress(models.Model):
    """An address never to be mailed again, kept only as a keyed hash (see alerts.suppression).

    Written when a member deletes their account: their subscriptions are deleted, and this row
    is all that remains, so nobody can sign the address up again by mistake or by malice.
    """

    class Reason(models.TextChoices):
        ACCOUNT_DELETED = "account_deleted", "its member deleted their account"

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return f"suppressed address #{self.pk} ({self.get_reason_display()})"


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
