"""The clinician report: the onset laid beside the published criteria, the symptom chart, infections
and exposures, treatments with the ratings before and after, and the notes the parent chose; then an
appendix with every rating and event. The same data makes the print view and the PDF (journal/pdf.py).

Three queries: the check-ins, the events, the evidence articles. This is the parent's record beside
the criteria, not a diagnosis: the report says so.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import ngettext

from articles.models import Article
from journal import events as event_texts
from journal import timeline
from journal.models import CheckIn, Child, Event
from journal.symptoms import GROUP_LABELS, PRIMARY_GROUPS

WINDOW = datetime.timedelta(days=14)
BEFORE_ONSET = datetime.timedelta(days=90)
CO_OCCURRING_FROM = 3  # a mean rating at least this high counts as present
OTHER_GROUPS = ("anxiety", "mood", "irritability", "regression", "school", "sensory_motor", "sleep_urinary")
EVIDENCE = [
    ("how-diagnosis-works", "How the diagnosis is made, and why it is debated"),
    ("getting-evaluated-timeline-and-checklist", "The onset timeline and checklist this report follows"),
    ("what-are-pandas-and-pans", "The PANS and PANDAS criteria"),
    (
        "antibiotics-anti-inflammatories-plasma-exchange-and-tonsils",
        "The evidence on antibiotics and anti-inflammatories",
    ),
    ("ivig-evidence-and-side-effects", "The evidence on IVIG"),
]


@dataclass
class Mean:
    value: float | None
    count: int

    @property
    def text(self) -> str:
        if self.value is None:
            return "no check-ins"
        return f"{self.value:g} ({ngettext('%(n)d check-in', '%(n)d check-ins', self.count) % {'n': self.count}})"


@dataclass
class Onset:
    date: datetime.date | None
    speed: str
    window_text: str
    primary: tuple[str, Mean] | None
    primary_key: str | None
    co_occurring: list[tuple[str, Mean]]
    infections_before: list[str]


@dataclass
class TreatmentEffect:
    title: str
    dates: str
    facts: list
    before: dict[str, Mean]
    after: dict[str, Mean]
    after_text: str


@dataclass
class Report:
    child: Child
    generated: datetime.date
    onset: Onset
    chart: timeline.Timeline
    infections: list
    treatments: list[TreatmentEffect]
    notes: list[tuple[datetime.date, str, str]]
    articles: list[tuple[str, Article]]
    appendix_events: list
    compared_groups: list[str] = field(default_factory=list)

    @property
    def compared_labels(self) -> list[str]:
        return [GROUP_LABELS[key] for key in self.compared_groups]


def mean(check_ins: list[CheckIn], key: str, start: datetime.date, end: datetime.date) -> Mean:
    values = [c.ratings[key] for c in check_ins if start <= c.date <= end and key in c.ratings]
    return Mean(round(sum(values) / len(values), 1) if values else None, len(values))


def build(child: Child, *, today: datetime.date | None = None) -> Report:
    today = today or timezone.localdate()
    check_ins = list(CheckIn.objects.filter(child=child).order_by("date", "id"))
    child_events = Event.objects.filter(child=child).in_order()
    rows = [event_texts_row(e) for e in child_events]
    onset = _onset(child, check_ins, child_events)
    first = min([c.date for c in check_ins] + [e.date for e in child_events] + [today])
    start = min(first, child.onset_date - datetime.timedelta(days=30)) if child.onset_date else first
    chart = timeline.build(child, today=today, start=start, check_ins=check_ins, child_events=child_events)
    compared = [onset.primary_key] if onset.primary_key else []
    compared += ["overall"] if "overall" not in compared else []
    return Report(
        child=child,
        generated=today,
        onset=onset,
        chart=chart,
        infections=[
            row for row in rows if row["category"] in ("infection", "exposure") and row["status"] != "dismissed"
        ],
        treatments=[_treatment(e, check_ins, compared) for e in child_events if e.category == "treatment"],
        notes=_notes(check_ins, child_events),
        articles=_articles(),
        appendix_events=rows,
        compared_groups=compared,
    )


def event_texts_row(event: Event) -> dict:
    return {
        "category": event.category,
        "title": event_texts.title(event),
        "date": event.date,
        "end_date": event.end_date if event.category == "treatment" else None,
        "facts": event_texts.facts(event),
        "status": event_texts.exposure_status(event),
    }


def _onset(child: Child, check_ins: list[CheckIn], child_events: list[Event]) -> Onset:
    if child.onset_date and any(child.onset_date <= c.date <= child.onset_date + WINDOW for c in check_ins):
        start, window_text = child.onset_date, "the two weeks after onset"
    elif check_ins:
        start, window_text = check_ins[0].date, f"the first two weeks recorded (from {check_ins[0].date:%-d %B %Y})"
    else:
        start, window_text = None, "no check-ins yet"
    primary, co_occurring = None, []
    if start:
        end = start + WINDOW
        core = [(key, mean(check_ins, key, start, end)) for key in PRIMARY_GROUPS]
        rated = [(key, m) for key, m in core if m.value is not None]
        if rated:
            primary = max(rated, key=lambda item: item[1].value)
        for key in OTHER_GROUPS:
            m = mean(check_ins, key, start, end)
            if m.value is not None and m.value >= CO_OCCURRING_FROM:
                co_occurring.append((GROUP_LABELS[key], m))
    before = []
    if child.onset_date:
        since = child.onset_date - BEFORE_ONSET
        for event in child_events:
            shown = event_texts.exposure_status(event) != event_texts.ExposureStatus.DISMISSED
            if event.category in ("infection", "exposure") and shown and since <= event.date <= child.onset_date:
                facts = ", ".join(value for _, value in event_texts.facts(event))
                before.append(f"{event.date:%-d %B %Y}: {event_texts.title(event)}" + (f" ({facts})" if facts else ""))
    return Onset(
        date=child.onset_date,
        speed=child.onset_speed_text,
        window_text=window_text,
        primary=(GROUP_LABELS[primary[0]], primary[1]) if primary else None,
        primary_key=primary[0] if primary else None,
        co_occurring=co_occurring,
        infections_before=before,
    )


def _treatment(event: Event, check_ins: list[CheckIn], groups: list[str]) -> TreatmentEffect:
    start = event.date
    if event.end_date:
        after_start, after_text = event.end_date + datetime.timedelta(days=1), "in the two weeks after it ended"
    else:
        after_start, after_text = start + WINDOW, "two to four weeks after it began"
    before_range = (start - WINDOW, start - datetime.timedelta(days=1))
    after_range = (after_start, after_start + WINDOW - datetime.timedelta(days=1))
    dates = f"{start:%-d %B %Y}" + (f" to {event.end_date:%-d %B %Y}" if event.end_date else " (no end date)")
    return TreatmentEffect(
        title=event_texts.title(event),
        dates=dates,
        facts=event_texts.facts(event),
        before={key: mean(check_ins, key, *before_range) for key in groups},
        after={key: mean(check_ins, key, *after_range) for key in groups},
        after_text=after_text,
    )


def _notes(check_ins: list[CheckIn], child_events: list[Event]) -> list[tuple[datetime.date, str, str]]:
    chosen = [(c.date, "Check-in", c.note) for c in check_ins if c.in_report and c.note]
    chosen += [(e.date, event_texts.title(e), e.note) for e in child_events if e.in_report and e.note]
    return sorted(chosen, key=lambda note: note[0])


def _articles() -> list[tuple[str, Article]]:
    found = {a.slug: a for a in Article.objects.published().filter(slug__in=[slug for slug, _ in EVIDENCE])}
    return [(why, found[slug]) for slug, why in EVIDENCE if slug in found]
