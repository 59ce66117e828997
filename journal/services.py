"""Every write of the journal: children and their schools, check-ins, events, exposures from alerts.

Each service checks the caller's right through journal.access, inside it. Nothing here logs what a
parent wrote: log lines carry ids and counts only.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts.models import Alert, Grade, School
from journal import access, events
from journal.models import Caregiver, CheckIn, Child, ChildSchool, Event, ExposureScan
from journal.symptoms import GROUP_LABELS, SCALE
from portal import limits, outbox

logger = logging.getLogger(__name__)

MAX_LABEL_LENGTH = 60
MAX_NOTE_LENGTH = 4000
MAX_SCHOOLS = 5
# The events a parent enters; exposures come from alerts.
ENTERED_CATEGORIES = (Event.Category.INFECTION, Event.Category.TREATMENT, Event.Category.APPOINTMENT)
# Alerts older than this are not looked at again by the sweeper.
SWEEP_WINDOW = datetime.timedelta(days=2)
SWEEP_AFTER = datetime.timedelta(minutes=3)


def _active(user) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to keep a journal.")


def _not_future(day: datetime.date | None, field: str, what: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


# --- Children ------------------------------------------------------------------------------------


def _validate_child(*, label: str, birth_year: str, age_band: str, onset_date, onset_speed: str = "") -> dict:
    label = " ".join(label.split())
    if not label:
        raise ValidationError({"label": "Give the child a label, such as “Our eldest”."})
    if len(label) > MAX_LABEL_LENGTH:
        raise ValidationError({"label": f"At most {MAX_LABEL_LENGTH} characters."})
    this_year = timezone.localdate().year
    if birth_year and not (birth_year.isdigit() and this_year - 30 <= int(birth_year) <= this_year):
        raise ValidationError({"birth_year": f"A year between {this_year - 30} and {this_year}."})
    if birth_year and age_band:
        raise ValidationError({"age_band": "Give the year of birth or the age band, not both."})
    _not_future(onset_date, "onset_date", "The onset date")
    if onset_speed and onset_speed not in Child.OnsetSpeed.values:
        raise ValidationError({"onset_speed": "Choose how fast the symptoms came from the list."})
    return {
        "label": label,
        "birth_year": birth_year,
        "age_band": age_band,
        "onset_date": onset_date,
        "onset_speed": onset_speed,
    }


def add_child(
    *, user, label: str, birth_year: str = "", age_band: str = "", onset_date=None, onset_speed: str = ""
) -> Child:
    """A new child in `user`'s journal, with `user` as its owner."""
    _active(user)
    values = _validate_child(
        label=label, birth_year=birth_year, age_band=age_band, onset_date=onset_date, onset_speed=onset_speed
    )
    limits.consume("journal_child", user.pk)
    with transaction.atomic():
        child = Child.objects.create(**values)
        Caregiver.objects.create(child=child, user=user, role=Caregiver.Role.OWNER)
    logger.info("journal: member %s added child %s", user.pk, child.pk)
    return child


def update_child(
    *, user, child: Child, label: str, birth_year: str = "", age_band: str = "", onset_date=None, onset_speed: str = ""
) -> Child:
    access.require(user, child, access.OWN)
    values = _validate_child(
        label=label, birth_year=birth_year, age_band=age_band, onset_date=onset_date, onset_speed=onset_speed
    )
    for name, value in values.items():
        setattr(child, name, value)
    child.save(update_fields=list(values))
    return child


def add_school(*, user, child: Child, school: School, grade: str = "") -> ChildSchool:
    """The child attends `school` (in `grade`, if given): its alerts become exposures in the journal."""
    access.require(user, child, access.OWN)
    if grade and grade not in dict(Grade.choices):
        raise ValidationError({"grade": "Choose a grade from the list."})
    with transaction.atomic():
        placements = list(ChildSchool.objects.select_for_update().filter(child=child))
        existing = next((p for p in placements if p.school_id == school.pk), None)
        if existing is None and len(placements) >= MAX_SCHOOLS:
            raise ValidationError({"school": f"A child can have at most {MAX_SCHOOLS} schools."})
        placement = existing or ChildSchool(child=child)
        placement.placement = {"school": school.pk, "grade": grade}
        placement.set_fingerprints()
        placement.save()
    return placement


def remove_school(*, user, child: Child, placement_id: int) -> None:
    access.require(user, child, access.OWN)
    ChildSchool.objects.filter(child=child, pk=placement_id).delete()


def hand_over_ownership(*, child_id: int, leaving) -> None:
    """The owner leaves: the longest-standing other caregiver (one who can log first) becomes the owner."""
    with transaction.atomic():
        links = list(Caregiver.objects.select_for_update().filter(child_id=child_id).order_by("created_at", "id"))
        others = [link for link in links if link.user_id != leaving.pk]
        heir = next((link for link in others if link.role == Caregiver.Role.CAN_LOG), None) or next(iter(others), None)
        if heir is None:
            return
        Caregiver.objects.filter(child_id=child_id, user=leaving).update(role=Caregiver.Role.CAN_VIEW)
        Caregiver.objects.filter(pk=heir.pk).update(role=Caregiver.Role.OWNER)


# --- Check-ins -----------------------------------------------------------------------------------


def _validate_ratings(ratings: dict) -> dict:
    clean = {}
    for group, value in ratings.items():
        if group not in GROUP_LABELS:
            raise ValidationError({"ratings": f"Unknown symptom group {group!r}."})
        if value is None or value == "":
            continue
        if not isinstance(value, int) or value not in SCALE:
            raise ValidationError({group: "A rating from 0 to 10."})
        clean[group] = value
    return clean


def save_check_in(
    *, user, child: Child, date: datetime.date, ratings: dict, note: str = "", in_report: bool = False
) -> tuple[CheckIn, bool]:
    """The day's check-in: created, or, if the day already has one, updated. Returns (check-in, created)."""
    access.require(user, child, access.LOG)
    _not_future(date, "date", "A check-in")
    ratings = _validate_ratings(ratings)
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": f"At most {MAX_NOTE_LENGTH} characters."})
    if not ratings and not note:
        raise ValidationError({"ratings": "Rate at least one group, or write a note."})
    limits.consume("journal_entry", user.pk)
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().filter(child=child, date=date).first()
        created = check_in is None
        if created:
            check_in = CheckIn(child=child, date=date)
        check_in.ratings, check_in.note, check_in.logged_by = ratings, note, user
        check_in.in_report = in_report and bool(note)
        check_in.save()
    return check_in, created


def delete_check_in(*, user, child: Child, date: datetime.date) -> None:
    access.require(user, child, access.LOG)
    CheckIn.objects.filter(child=child, date=date).delete()


# --- Events --------------------------------------------------------------------------------------


def validate_event(*, category: str, date, end_date=None, details: dict) -> None:
    if category not in ENTERED_CATEGORIES:
        raise ValidationError({"category": "Choose an infection, a treatment or an appointment."})
    if category != Event.Category.APPOINTMENT:  # an appointment may be coming up
        _not_future(date, "date", "This date")
    if end_date and end_date < date:
        raise ValidationError({"end_date": "The last day must be on or after the first day."})
    for name, value in details.items():
        if isinstance(value, str) and len(value) > MAX_NOTE_LENGTH:
            raise ValidationError({name: f"At most {MAX_NOTE_LENGTH} characters."})


def add_event(
    *, user, child: Child, category: str, date, end_date=None, details: dict, note: str = "", in_report: bool = False
) -> Event:
    """An infection, a treatment or an appointment (exposures come from alerts: `record_exposures`)."""
    access.require(user, child, access.LOG)
    details = {name: value.strip() if isinstance(value, str) else value for name, value in details.items()}
    validate_event(category=category, date=date, end_date=end_date, details=details)
    limits.consume("journal_entry", user.pk)
    return Event.objects.create(
        child=child,
        category=category,
        date=date,
        end_date=end_date,
        details=details,
        note=note.strip()[:MAX_NOTE_LENGTH],
        in_report=in_report and bool(note.strip()),
        created_by=user,
    )


def delete_event(*, user, child: Child, event_id: int) -> None:
    access.require(user, child, access.LOG)
    Event.objects.filter(child=child, pk=event_id).delete()


def set_exposure_status(*, user, child: Child, event_id: int, status: str) -> Event:
    """The parent confirms an exposure (their child was there) or dismisses it."""
    access.require(user, child, access.LOG)
    if status not in events.ExposureStatus.values:
        raise ValidationError({"status": "Confirm or dismiss."})
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(child=child, pk=event_id).first()
        if event is None or event.category != Event.Category.EXPOSURE:
            raise Event.DoesNotExist
        event.details = {**event.details, "status": status}
        event.save(update_fields=["details", "updated_at"])
    return event


# --- Exposures from alerts -----------------------------------------------------------------------


def record_exposures(*, alert_id: int) -> int:
    """Add the alert as an exposure to every child at its school and grade. Once per alert.

    Called by the journal's own task, which alerts publish when an alert goes out (and the sweeper
    below when that publish was lost). Nothing leaves the journal: the alert learns nothing back.
    Returns how many children got the exposure.
    """
    alert = Alert.objects.sendable().select_related("school").filter(pk=alert_id).first()
    if alert is None:
        return 0  # gone, or a suspected case at a school that sends confirmed ones only
    try:
        with transaction.atomic():
            _, created = ExposureScan.objects.get_or_create(alert=alert)
            if not created:
                return 0
            child_ids = sorted(set(ChildSchool.objects.exposed_to(alert).values_list("child_id", flat=True)))
            grade = alert.scope_label if alert.scope == "grade" else ""
            details = {
                "school": alert.school_id,
                "school_name": alert.school.name,
                "grade": grade,
                "scope": alert.scope,
                "alert": alert.pk,
                "alert_kind": alert.kind,
                "week_of": events.week_of(alert.window_start).isoformat(),
                "status": events.ExposureStatus.PENDING,
            }
            Event.objects.bulk_create(
                [
                    Event(
                        child_id=child_id,
                        category=Event.Category.EXPOSURE,
                        date=alert.window_start,
                        end_date=alert.window_end,
                        details=details,
                    )
                    for child_id in child_ids
                ],
                batch_size=500,
            )
    except IntegrityError:
        return 0  # another run of the same alert got there first
    logger.info("journal: alert %s recorded as an exposure for %s children", alert.pk, len(child_ids))
    return len(child_ids)


def sweep_exposures(*, older_than: datetime.timedelta = SWEEP_AFTER) -> int:
    """Publish `record_exposures` for recent alerts it has not run for (a lost publish). Beat, every few minutes."""
    now = timezone.now()
    waiting = (
        Alert.objects.sendable()
        .filter(created_at__gte=now - SWEEP_WINDOW, created_at__lt=now - older_than)
        .exclude(pk__in=ExposureScan.objects.values("alert_id"))
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    return sum(outbox.publish("journal.tasks.record_exposures", alert_id) for alert_id in waiting)
