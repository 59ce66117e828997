"""The timeline: each symptom group over time, with infections, exposures and treatments marked.

One query and one token (journal/series.py: the child's check-ins and events), laid out here in Python;
the SVG template places the strips (as the community's outcome charts do) and the events' marks,
a few hundred of them, come written from here (`Timeline.marks_svg`). Long periods are
drawn and tabled by weekly averages, so a page for three years of daily check-ins stays light.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from journal import events as event_texts
from journal import series
from journal.models import CheckIn, Child, Event
from journal.querysets import DayRatings, EventFacts
from journal.symptoms import GROUP_LABELS, GROUPS

Rated = DayRatings | CheckIn  # a day's ratings: a check-in, or only its day and ratings
Dated = EventFacts | Event  # an event, with or without its note

PERIODS = {
    "30": ("Last 30 days", 30),
    "90": ("Last 3 months", 91),
    "365": ("Last 12 months", 365),
    "all": ("Everything", None),
}
DEFAULT_PERIOD = "90"
WEEKLY_AFTER_DAYS = 120  # longer spans are drawn and tabled by week

# Geometry, in SVG user units.
WIDTH, LEFT, RIGHT = 640, 34, 10
PLOT_WIDTH = WIDTH - LEFT - RIGHT
BAND_TOP, BAND_HEIGHT = 8, 44
STRIP_LABEL, STRIP_PLOT, STRIP_GAP = 18, 44, 10
AXIS_HEIGHT = 26
MARK_COLOURS = {"infection": "#a4161a", "exposure": "#8a3b00", "treatment": "#1d5f4a", "appointment": "#2a4d8f"}


@dataclass
class Strip:
    key: str
    label: str
    top: float
    points: str = ""
    dots: list = field(default_factory=list)
    summary: str = ""

    @property
    def label_y(self):
        return self.top + 13

    @property
    def plot_top(self):
        return self.top + STRIP_LABEL

    @property
    def plot_bottom(self):
        return self.top + STRIP_LABEL + STRIP_PLOT

    @property
    def plot_middle(self):
        return self.top + STRIP_LABEL + STRIP_PLOT / 2


MARKER_Y = BAND_TOP + 30
TREATMENT_Y = BAND_TOP + 4


@dataclass
class Mark:
    """An event on the timeline: a treatment is a bar over its days; the others a shape and a line."""

    category: str
    title: str
    date: datetime.date
    x: float
    x_end: float | None = None
    colour: str = ""
    label: str = ""

    @property
    def width(self):
        return round(max((self.x_end or self.x) - self.x, 3), 1)

    @property
    def shape(self) -> str:
        x, y = self.x, MARKER_Y
        if self.category == "infection":  # a triangle
            return f"{x},{y - 7} {x - 6},{y + 5} {x + 6},{y + 5}"
        return f"{x},{y - 7} {x + 6},{y} {x},{y + 7} {x - 6},{y}"  # a diamond


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    weekly: bool
    groups: list[str]
    strips: list[Strip]
    marks: list[Mark]
    rows: list[dict]
    ticks: list[tuple[float, str]]
    height: float
    summary: list[str]
    empty: bool
    width: int = WIDTH
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    band_top: int = BAND_TOP

    @property
    def marks_svg(self) -> str:
        """The chart's layer of events, written here rather than in the template: a few hundred marks
        through the template language cost more than everything else on the page (bench: issue 16)."""
        return format_html_join("", "{}", ((_mark_svg(mark, self),) for mark in self.marks))

    @property
    def strips_top(self):
        return BAND_TOP + BAND_HEIGHT

    @property
    def axis_y(self):
        return self.height - AXIS_HEIGHT

    @property
    def group_labels(self):
        return [GROUP_LABELS[key] for key in self.groups]

    @property
    def shade_height(self):
        return self.axis_y - BAND_TOP

    @property
    def line_top(self):
        return MARKER_Y + 7

    marker_y: int = MARKER_Y
    treatment_y: int = TREATMENT_Y


def build(
    child: Child,
    *,
    period: str = DEFAULT_PERIOD,
    groups: list[str] | None = None,
    today=None,
    start: datetime.date | None = None,
    check_ins: list[Rated] | None = None,
    child_events: list[Dated] | None = None,
) -> Timeline:
    """The child's timeline for a period (or from `start`); rows already read may be passed in (the report)."""
    today = today or timezone.localdate()
    days = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    if start is None and days:
        start = today - datetime.timedelta(days=days - 1)
    if check_ins is None or child_events is None:
        # Days and ratings, events' facts (notes are not shown here): all from the child's one digest.
        stored_check_ins, stored_events = series.series_of(child)
        check_ins = stored_check_ins if check_ins is None else check_ins
        child_events = stored_events if child_events is None else child_events
    check_ins = [c for c in check_ins if (start is None or c.date >= start) and c.date <= today]
    child_events = [e for e in child_events if _shown(e)]
    if start is None:
        dates = [c.date for c in check_ins] + [e.date for e in child_events]
        start = min(dates) if dates else today - datetime.timedelta(days=29)
    start = min(start, today - datetime.timedelta(days=6))
    groups = [key for key, _ in GROUPS if key in groups] if groups else _rated_groups(check_ins)
    weekly = (today - start).days > WEEKLY_AFTER_DAYS
    rows = _rows(check_ins, groups, weekly)
    span = max((today - start).days, 1)

    def x(day: datetime.date) -> float:
        clamped = min(max(day, start), today)
        return round(LEFT + (clamped - start).days / span * PLOT_WIDTH, 1)

    strips = []
    for index, key in enumerate(groups):
        strip = Strip(key, GROUP_LABELS[key], BAND_TOP + BAND_HEIGHT + index * (STRIP_LABEL + STRIP_PLOT + STRIP_GAP))
        points = [(x(row["date"]), row[key]) for row in rows if row.get(key) is not None]
        coordinates = [(px, round(strip.plot_bottom - value / 10 * STRIP_PLOT, 1)) for px, value in points]
        strip.points = " ".join(f"{px},{py}" for px, py in coordinates)
        strip.dots = coordinates if len(coordinates) <= 60 else []
        strip.summary = _summary(
            GROUP_LABELS[key], [(row["date"], row[key]) for row in rows if row.get(key) is not None], weekly
        )
        strips.append(strip)
    marks = [
        _mark(
            e.category,
            event_texts.title(e),
            e.date,
            x(e.date),
            x(e.end_date) if e.end_date and e.category == "treatment" else None,
            MARK_COLOURS[e.category],
        )
        for e in child_events
        if e.date <= today and (e.end_date or e.date) >= start
    ]
    height = BAND_TOP + BAND_HEIGHT + len(strips) * (STRIP_LABEL + STRIP_PLOT + STRIP_GAP) + AXIS_HEIGHT
    return Timeline(
        start=start,
        end=today,
        weekly=weekly,
        groups=groups,
        strips=strips,
        marks=marks,
        rows=_with_events(rows, marks, weekly, groups),
        ticks=_ticks(start, today, x),
        height=height,
        summary=_overall_summary(check_ins, marks, strips),
        empty=not check_ins and not marks,
    )


def _mark_svg(mark: Mark, chart: Timeline) -> str:
    """One event's shapes; every value goes through format_html (escaped)."""
    if mark.category == "treatment":
        return format_html(
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}" fill-opacity="0.07"/>'
            '<rect x="{x}" y="{y}" width="{w}" height="12" fill="{c}"><title>{t}</title></rect>',
            x=mark.x, y=chart.treatment_y, w=mark.width, h=chart.shade_height, c=mark.colour, t=mark.label,
        )  # fmt: skip
    line = format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{c}" stroke-width="1"{dashes}/>',
        x=mark.x, top=chart.line_top, bottom=chart.axis_y, c=mark.colour,
        dashes="" if mark.category == "infection" else mark_safe(' stroke-dasharray="4 3"'),
    )  # fmt: skip
    if mark.category == "appointment":
        shape = '<circle cx="{x}" cy="{y}" r="5" fill="{c}"><title>{t}</title></circle>'
        return line + format_html(shape, x=mark.x, y=chart.marker_y, c=mark.colour, t=mark.label)
    return line + format_html(
        '<polygon points="{p}" fill="{c}"><title>{t}</title></polygon>', p=mark.shape, c=mark.colour, t=mark.label
    )


def _mark(category, title, date, x, x_end, colour) -> Mark:
    # The tooltip's words, made once here rather than by a template filter per mark.
    when = f"from {date:%-d %B %Y}" if category == "treatment" else f"{date:%-d %B %Y}"
    return Mark(category, title, date, x, x_end, colour, label=f"{title}, {when}")


def _shown(event: Dated) -> bool:
    """Dismissed exposures are left out: the parent said they did not concern the child."""
    return event_texts.exposure_status(event) != event_texts.ExposureStatus.DISMISSED


def _rated_groups(check_ins: list[Rated]) -> list[str]:
    rated = {key for c in check_ins for key in c.ratings}
    return [key for key, _ in GROUPS if key in rated] or ["overall"]


def _rows(check_ins: list[Rated], groups: list[str], weekly: bool) -> list[dict]:
    if not weekly:
        return [{"date": c.date, **{key: c.ratings.get(key) for key in groups}} for c in check_ins]
    weeks: dict[datetime.date, list[Rated]] = {}
    for c in check_ins:
        weeks.setdefault(event_texts.week_of(c.date), []).append(c)
    rows = []
    for monday, week in sorted(weeks.items()):
        row = {"date": monday}
        for key in groups:
            values = [c.ratings[key] for c in week if key in c.ratings]
            row[key] = round(sum(values) / len(values), 1) if values else None
        rows.append(row)
    return rows


def _with_events(rows: list[dict], marks: list[Mark], weekly: bool, groups: list[str]) -> list[dict]:
    """The table's rows: each day (or week) with its ratings as text and the events that began then
    (days with only an event too). Cells are made here: a template filter per cell costs more."""
    by_day: dict[datetime.date, list[str]] = {}
    for mark in marks:
        day = event_texts.week_of(mark.date) if weekly else mark.date
        by_day.setdefault(day, []).append(mark.title)
    table = {
        row["date"]: {"date": row["date"], "cells": [_cell(row.get(key)) for key in groups], "events": []}
        for row in rows
    }
    for day, titles in by_day.items():
        table.setdefault(day, {"date": day, "cells": ["—"] * len(groups), "events": []})["events"] = titles
    return [table[day] for day in sorted(table)]


def _cell(value) -> str:
    return "—" if value is None else f"{value:g}"


def _ticks(start, end, x) -> list[tuple[float, str]]:
    """A label at the first of each month (or each quarter, for long spans); at least the two ends."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 12 else 3 if months <= 36 else 6
    ticks, day = [], start.replace(day=1)
    while day <= end:
        if day >= start and (day.month - 1) % step == 0:
            ticks.append((x(day), f"{day:%b %Y}" if day.month == 1 or not ticks else f"{day:%b}"))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return ticks or [(x(start), f"{start:%-d %b}"), (x(end), f"{end:%-d %b}")]


def _summary(label: str, values: list[tuple[datetime.date, float]], weekly: bool) -> str:
    if not values:
        return f"{label}: not rated in this period."
    first, last = values[0], values[-1]
    high = max(values, key=lambda item: item[1])
    unit = "week of " if weekly else ""
    return (
        f"{label}: {first[1]:g} on {unit}{first[0]:%-d %B %Y}, {last[1]:g} on {unit}{last[0]:%-d %B %Y}; "
        f"highest {high[1]:g} on {unit}{high[0]:%-d %B %Y}."
    )


COUNTED = [
    ("check-in", "%(n)d check-in", "%(n)d check-ins"),
    ("infection", "%(n)d infection", "%(n)d infections"),
    ("exposure", "%(n)d exposure at school", "%(n)d exposures at school"),
    ("treatment", "%(n)d treatment", "%(n)d treatments"),
    ("appointment", "%(n)d appointment", "%(n)d appointments"),
]


def _overall_summary(check_ins, marks, strips) -> list[str]:
    counts = {category: sum(1 for m in marks if m.category == category) for category in MARK_COLOURS}
    counts["check-in"] = len(check_ins)
    parts = [ngettext(one, many, counts[key]) % {"n": counts[key]} for key, one, many in COUNTED]
    return [f"In this period: {', '.join(parts[:-1])} and {parts[-1]}.", *(strip.summary for strip in strips)]
