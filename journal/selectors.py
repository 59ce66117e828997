"""Reads of the journal for its pages: a fixed number of queries each, decrypted and sorted in Python."""

from dataclasses import dataclass, field

from django.db.models import Max

from alerts.models import School
from journal import events as event_texts
from journal.models import Caregiver, CheckIn, Child, ChildSchool, Event

PENDING = event_texts.ExposureStatus.PENDING


@dataclass
class ChildSummary:
    child: Child
    link: Caregiver
    last_check_in: object = None
    pending_exposures: int = 0


def children_of(user) -> list[ChildSummary]:
    """The journal's home: the user's children, their last check-in and exposures not yet checked."""
    links = list(
        Caregiver.objects.of_user(user)
        .select_related("child")
        .annotate(last_check_in=Max("child__check_ins__date"))
        .order_by("child_id")
    )
    pending = {}
    # The category and details only: two tokens an event to decrypt rather than five (dates and notes unread).
    events = Event.objects.filter(child_id__in=[link.child_id for link in links]).values_list(
        "child_id", "category", "details"
    )
    for child_id, category, details in events:
        if category == Event.Category.EXPOSURE and details.get("status", PENDING) == PENDING:
            pending[child_id] = pending.get(child_id, 0) + 1
    return [
        ChildSummary(
            child=link.child,
            link=link,
            last_check_in=link.last_check_in,
            pending_exposures=pending.get(link.child_id, 0),
        )
        for link in links
    ]


@dataclass
class SchoolPlace:
    placement: ChildSchool
    school: School | None

    @property
    def name(self) -> str:
        return str(self.school) if self.school else "A school no longer listed"


def schools_of(child: Child) -> list[SchoolPlace]:
    placements = list(ChildSchool.objects.filter(child=child))
    schools = School.objects.in_bulk([placement.school_id for placement in placements])
    return [SchoolPlace(placement=p, school=schools.get(p.school_id)) for p in placements]


@dataclass
class EventRow:
    event: Event
    title: str
    facts: list = field(default_factory=list)
    status: str = ""


def event_rows(child: Child, *, newest_first: bool = True) -> list[EventRow]:
    rows = [
        EventRow(event=e, title=event_texts.title(e), facts=event_texts.facts(e), status=event_texts.exposure_status(e))
        for e in Event.objects.filter(child=child).in_order()
    ]
    return rows[::-1] if newest_first else rows


def recent_check_ins(child: Child, count: int = 7) -> list[CheckIn]:
    return list(CheckIn.objects.filter(child=child).order_by("-date")[:count])
