"""Exposure reports and the alerts they become, with the choices both share (scope, kind, grade).

Privacy is structural here: a report holds no field for a child, and an alert holds no link to
the reporter: only the school, the scope, the kind and the week.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models.schools import School
from alerts.querysets import AlertQuerySet, ExposureReportQuerySet

# How long after the end of an exposure window a parent should keep watching for symptoms.
WATCH_DAYS_AFTER_WINDOW = 5
MAX_WINDOW_DAYS = 14


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
