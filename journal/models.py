"""A member's private journal of each child: check-ins, infections, treatments, appointments, exposures.

What describes a child is encrypted field by field (journal/fields.py): the label, the year of birth
or age band, the onset date, the schools, every rating and note, every event. In clear stay only
what the database needs to join and order rows: ids, who may see a child (Caregiver), the date of a
check-in (one per child and day), when rows were written, and keyed fingerprints of a child's school
(journal/crypto.py) so that an alert finds the children at it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from alerts.models import Alert, Grade
from community.models import Story
from journal import crypto
from journal.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from journal.querysets import CaregiverQuerySet, CheckInQuerySet, ChildQuerySet, ChildSchoolQuerySet, EventQuerySet

AgeBand = Story.AgeBand  # the same bands as the community's stories


class Child(models.Model):
    """A child as the parent chose to call them ("Our eldest"): never a name field."""

    class OnsetSpeed(models.TextChoices):
        ABRUPT = "abrupt", "Overnight, or within two or three days"
        WEEKS = "weeks", "Within a week or two"
        GRADUAL = "gradual", "Gradually, over weeks or months"

    label = EncryptedTextField()
    birth_year = EncryptedTextField(blank=True, default="")
    age_band = EncryptedTextField(blank=True, default="")
    onset_date = EncryptedDateField(null=True, blank=True)
    onset_speed = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by the database itself (triggers, migration 0005) on every write to the child's check-ins
    # or events, whatever makes it: a SeriesDigest built from an older value is stale.
    series_version = models.BigIntegerField(default=0, editable=False)
    caregivers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Caregiver", related_name="journal_children")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "children"

    def __str__(self):
        return f"child #{self.pk}"

    @property
    def onset_speed_text(self) -> str:
        return dict(self.OnsetSpeed.choices).get(self.onset_speed, "")

    @property
    def age_text(self) -> str:
        if self.birth_year:
            return f"born {self.birth_year}"
        return dict(AgeBand.choices).get(self.age_band, "")


class Caregiver(models.Model):
    """Who may see a child's journal, and what they may do. Exactly one owner per child."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner (manages the journal and its sharing)"
        CAN_LOG = "can_log", "Can log"
        CAN_VIEW = "can_view", "Can view"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="caregiver_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_links")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaregiverQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="journal_caregiver_once"),
            models.UniqueConstraint(fields=["child"], condition=Q(role="owner"), name="journal_one_owner"),
        ]

    def __str__(self):
        return f"caregiver #{self.pk} ({self.role})"

    @property
    def can_log(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.CAN_LOG)

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def school_fingerprint(school_id: int) -> str:
    return f"school:{school_id}"


def place_fingerprint(school_id: int, grade: str) -> str:
    return f"school:{school_id}:grade:{grade}"


class ChildSchool(models.Model):
    """A school the child attends, with the grade. Encrypted, with fingerprints for the alerts' lookup."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="schools")
    # {"school": <alerts.School id>, "grade": <a Grade code, or "" when not given>}
    placement = EncryptedJSONField()
    school_fingerprint = models.CharField(max_length=crypto.FINGERPRINT_LENGTH, db_index=True)
    place_fingerprint = models.CharField(max_length=crypto.FINGERPRINT_LENGTH, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"school of child #{self.child_id}"

    @property
    def school_id(self) -> int:
        return self.placement["school"]

    @property
    def grade(self) -> str:
        return self.placement.get("grade", "")

    @property
    def grade_text(self) -> str:
        return str(dict(Grade.choices).get(self.grade, ""))

    def set_fingerprints(self) -> None:
        """Fingerprints under the current key (a new placement, or a key rotation)."""
        self.school_fingerprint = crypto.fingerprint(school_fingerprint(self.school_id))
        self.place_fingerprint = crypto.fingerprint(place_fingerprint(self.school_id, self.grade))


class CheckIn(models.Model):
    """One day's ratings (symptom group -> 0..10, journal/symptoms.py) and a note. One per child and day."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="check_ins")
    # In clear: the database keeps one check-in per day and orders them. The ratings say nothing by date alone.
    date = models.DateField()
    ratings = EncryptedJSONField(default=dict)
    note = EncryptedTextField(blank=True, default="")
    # The parent chose this note for the clinician report (a flag: the note itself stays encrypted).
    in_report = models.BooleanField(default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["child", "date"], name="journal_check_in_once_a_day")]

    def __str__(self):
        return f"check-in #{self.pk}"


class Event(models.Model):
    """An infection, a treatment, an appointment or an exposure. Everything about it is encrypted."""

    class Category(models.TextChoices):
        INFECTION = "infection", "Infection"
        TREATMENT = "treatment", "Treatment"
        APPOINTMENT = "appointment", "Appointment"
        EXPOSURE = "exposure", "Exposure at school"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="events")
    category = EncryptedTextField()
    date = EncryptedDateField()
    end_date = EncryptedDateField(null=True, blank=True)
    # Per category: see journal/events.py (kinds, tests, results, doses, an exposure's school and status).
    details = EncryptedJSONField(default=dict)
    note = EncryptedTextField(blank=True, default="")
    in_report = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"event #{self.pk}"

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        return (self.date, self.pk or 0)


class SeriesDigest(models.Model):
    """A child's check-in ratings and events' facts in ONE token, for the timeline (journal/series.py).

    Derived data, rebuilt when the child's `series_version` has moved on: reading three years of a
    journal then decrypts one value instead of a token per check-in and four per event.
    """

    child = models.OneToOneField(Child, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField()  # the child's series_version it was built from
    series = EncryptedJSONField()

    def __str__(self):
        return f"series digest of child #{self.child_id}"


class ExposureScan(models.Model):
    """An alert whose exposures the journal has recorded: unique, so a task that runs twice adds nothing."""

    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="+")
    scanned_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"exposures of alert #{self.alert_id}"


class CaregiverInvite(models.Model):
    """An invitation, by email, to care for a child too. The address is encrypted; the emailed link
    is signed (journal.sharing), so no token is stored. The row is the outbox of its email."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="invites")
    email = EncryptedTextField()
    role = models.CharField(max_length=10, choices=[c for c in Caregiver.Role.choices if c[0] != "owner"])
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"invite #{self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()


class ShareLink(models.Model):
    """A read-only link to a child's report for a clinician: it expires (30 days at most), can be
    revoked, and every opening is recorded (ShareView) for the parent to see."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="share_links")
    # Whom the parent gave it to, in their words ("Dr Rivera"): encrypted like the rest.
    recipient = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"share link #{self.pk}"

    @property
    def is_live(self) -> bool:
        return not self.revoked_at and self.expires_at > timezone.now()


class ShareView(models.Model):
    """One opening of a share link: the time only."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]

    def __str__(self):
        return f"view of share link #{self.link_id}"


class ReminderSetting(models.Model):
    """A member's daily check-in reminder: on or off, at which hour of their day, in which language."""

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Español"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_reminder")
    enabled = models.BooleanField(default=True)
    hour = models.PositiveSmallIntegerField(default=20)
    time_zone = models.CharField(max_length=64, default="UTC")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(hour__lte=23), name="journal_reminder_hour")]

    def __str__(self):
        return f"reminder setting #{self.pk}"


class Reminder(models.Model):
    """One reminder to one member for one day of theirs: unique, so a retry or a second plan sends nothing twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="journal_reminder_once_a_day")]

    def __str__(self):
        return f"reminder #{self.pk} ({self.status})"
