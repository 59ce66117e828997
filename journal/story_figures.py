"""Figures for a community story, read from a child's journal: what the parent may choose to share.

A story asks for the child's symptom severity (0-10) before a treatment and about 1, 3 and 6 months
after it began. The journal's overall rating is the same scale, so each figure is the mean of the
overall ratings in a window: the week before the treatment began, and a window around each mark.
A window without check-ins gives no figure (the story leaves it "not yet / not known").

Nothing here writes or shares anything: the figures only fill in the story form, where the parent
can change or clear them, and nothing is posted until they submit it.
"""

import datetime
from dataclasses import dataclass

from community.models import Story
from journal import events as event_texts
from journal.models import CheckIn, Child, Event

KEY = "overall"
DAY = datetime.timedelta(days=1)
# (story field, days after the start at the middle of the window, days either side)
MARKS = [
    ("severity_1_month", 30, 7),
    ("severity_3_months", 91, 14),
    ("severity_6_months", 182, 14),
]
BEFORE_DAYS = 7

TREATMENTS = {
    event_texts.TreatmentKind.ANTIBIOTIC: Story.Treatment.ANTIBIOTICS,
    event_texts.TreatmentKind.IVIG: Story.Treatment.IVIG,
    event_texts.TreatmentKind.STEROID: Story.Treatment.STEROIDS,
    event_texts.TreatmentKind.NSAID: Story.Treatment.NSAIDS,
    event_texts.TreatmentKind.SSRI: Story.Treatment.MEDICATION,
    event_texts.TreatmentKind.THERAPY: Story.Treatment.CBT_ERP,
    event_texts.TreatmentKind.OTHER: Story.Treatment.OTHER,
}
AGE_BANDS = [
    (4, Story.AgeBand.UNDER_5),
    (8, Story.AgeBand.FROM_5),
    (12, Story.AgeBand.FROM_9),
    (17, Story.AgeBand.FROM_13),
]


@dataclass(frozen=True)
class Window:
    field: str
    start: datetime.date
    end: datetime.date


def windows(start: datetime.date) -> list[Window]:
    found = [Window("severity_before", start - BEFORE_DAYS * DAY, start - DAY)]
    for name, middle, spread in MARKS:
        found.append(Window(name, start + (middle - spread) * DAY, start + (middle + spread) * DAY))
    return found


def rounded_mean(values: list[int]) -> int | None:
    # Half up, as a parent would round (Python's round() goes to the even number).
    return int(sum(values) / len(values) + 0.5) if values else None


def age_band(child: Child, on: datetime.date) -> str:
    if child.age_band:
        return child.age_band
    if not str(child.birth_year).isdigit():
        return ""
    age = on.year - int(child.birth_year)
    return next((band for upper, band in AGE_BANDS if age <= upper), Story.AgeBand.ADULT) if age >= 0 else ""


def treatments_of(child: Child) -> list[Event]:
    """The child's treatments, oldest first: the events a story can be about."""
    return [event for event in Event.objects.filter(child=child).in_order() if event.category == "treatment"]


def figures(child: Child, treatment: Event) -> dict:
    """The story form's initial values for `treatment`: the story field -> its value, only those known."""
    spans = windows(treatment.date)
    ratings = CheckIn.objects.filter(child=child).between(spans[0].start, spans[-1].end).ratings_by_day()
    found = {}
    kind = TREATMENTS.get(treatment.details.get("kind", ""))
    if kind:
        found["treatment"] = kind.value
    band = age_band(child, treatment.date)
    if band:
        found["age_band"] = str(band)
    for span in spans:
        values = [day.ratings[KEY] for day in ratings if span.start <= day.date <= span.end and KEY in day.ratings]
        value = rounded_mean(values)
        if value is not None:
            found[span.field] = value
    return found
