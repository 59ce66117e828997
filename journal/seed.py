"""A demo journal for `seed_demo --demo-users`: the demo parent's child, with about 60 days of check-ins,
an exposure at school, a strep throat, an antibiotic course and an appointment (idempotent).

Fictional and written only for the demo parent (parent@example.org), so it is only added when
`--demo-users` created that account, and only while the parent has no child in the journal yet.
Rows are written directly (not through the services) so that the demo does not use up the parent's
daily journal limits; the model fields encrypt them as usual.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from alerts.models import School
from journal import events
from journal.models import Caregiver, CheckIn, Child, ChildSchool, Event

DEMO_PARENT = "parent@example.org"
DEMO_SCHOOL = "maplewood-elementary"  # alerts/seed.py
DAYS = 60
# Days before today: the exposure's week, the sore throat, the sudden onset, the course.
EXPOSURE, INFECTION, ONSET, COURSE_START, COURSE_DAYS, APPOINTMENT = 52, 49, 46, 40, 10, 30
SKIPPED = {3, 11, 12, 25, 40, 57}  # missing days are fine


def _overall(days_back: int) -> int:
    """Mild before the onset, a sharp flare, then a slow easing after the course (ends around 3)."""
    if days_back > ONSET:
        return 1 + days_back % 2
    since = ONSET - days_back
    return max(3, 8 - since // 8) if since > 4 else 6 + since // 2


def _ratings(days_back: int) -> dict:
    overall = _overall(days_back)
    wobble = days_back % 3 - 1
    clamp = lambda value: max(0, min(10, value))  # noqa: E731
    return {
        "overall": overall,
        "ocd": clamp(overall + 1 + wobble),
        "anxiety": clamp(overall + wobble),
        "irritability": clamp(overall - 1),
        "mood": clamp(overall - 2 + wobble),
        "sleep_urinary": clamp(overall - 3),
        "school": clamp(overall - 1 + wobble),
        "tics": clamp(overall // 3),
    }


NOTES = {
    ONSET: "Woke up a different child: washing hands again and again, would not touch the door handles.",
    ONSET - 3: "Could not go to school. Rages in the evening.",
    20: "A better week: back at school half days.",
    2: "Laughed at dinner for the first time in weeks.",
}


def seed(*, stdout) -> None:
    parent = User.objects.filter(email=DEMO_PARENT).first()
    if parent is None:
        stdout.write("  journal: no demo parent (run with --demo-users), no demo journal")
        return
    if Caregiver.objects.filter(user=parent).exists():
        stdout.write("  journal: the demo parent's journal is already there")
        return
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    with transaction.atomic():
        child = Child.objects.create(
            label="Our eldest (demo)", birth_year=str(today.year - 8), onset_date=ago(ONSET), onset_speed="abrupt"
        )
        Caregiver.objects.create(child=child, user=parent, role=Caregiver.Role.OWNER)
        school = School.objects.filter(slug=DEMO_SCHOOL).first()
        if school is not None:
            placement = ChildSchool(child=child, placement={"school": school.pk, "grade": "2"})
            placement.set_fingerprints()
            placement.save()
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    child=child,
                    date=ago(days),
                    ratings=_ratings(days),
                    note=NOTES.get(days, ""),
                    in_report=days in NOTES,
                    logged_by=parent,
                )
                for days in range(DAYS, -1, -1)
                if days not in SKIPPED
            ]
        )
        made = Event.objects.bulk_create(_events(child, parent, school, ago))
    stdout.write(f"  journal: a demo child, {DAYS + 1 - len(SKIPPED)} check-ins and {len(made)} events")


def _events(child, parent, school, ago) -> list[Event]:
    exposure_start = events.week_of(ago(EXPOSURE))
    found = [
        Event(
            child=child,
            category=Event.Category.INFECTION,
            date=ago(INFECTION),
            details={"kind": "strep_throat", "test": "rapid", "result": "positive"},
            note="Sore throat and a fever for two days.",
            in_report=True,
            created_by=parent,
        ),
        Event(
            child=child,
            category=Event.Category.TREATMENT,
            date=ago(COURSE_START),
            end_date=ago(COURSE_START - COURSE_DAYS + 1),
            details={"kind": "antibiotic", "name": "Amoxicillin", "dose": "500 mg twice a day", "reactions": ""},
            created_by=parent,
        ),
        Event(
            child=child,
            category=Event.Category.APPOINTMENT,
            date=ago(APPOINTMENT),
            details={"with": "Pediatrician"},
            note="Asked about PANDAS; referred to a specialist.",
            created_by=parent,
        ),
    ]
    if school is not None:
        found.append(
            Event(
                child=child,
                category=Event.Category.EXPOSURE,
                date=exposure_start,
                end_date=exposure_start + datetime.timedelta(days=4),
                details={
                    "school": school.pk,
                    "school_name": school.name,
                    "grade": "2",
                    "scope": "grade",
                    "alert": None,
                    "alert_kind": "strep",
                    "week_of": exposure_start.isoformat(),
                    "status": events.ExposureStatus.CONFIRMED,
                },
                created_by=None,
            )
        )
    return found
