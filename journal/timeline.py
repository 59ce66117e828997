"""The timeline: each symptom group over time, with infections, exposures and treatments marked.

One query and one token (journal/series.py: the child's check-ins and events), laid out here in Python;
the chart's SVG is written from here too (`Timeline.svg`): hundreds of marks and points through the
template language cost more than everything else. Long periods are
drawn and tabled by weekly averages, so a page for three years of daily check-ins stays light.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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

    def svg(self, *, chart_id: str, label: str) -> SafeString:
        """The whole chart as SVG markup. Written here rather than in a template: hundreds of marks, dots
        and numbers through the template language cost more than the rest of the page (issue 16), and
        numbers written by Python never take a locale's decimal comma. Every text is escaped."""
        weekly = " (weekly averages)" if self.weekly else ""
        parts = [
            f'<svg class="journal-timeline" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}" '
            'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
            f'<title id="{chart_id}-title">{escape(label)}: symptoms from {_long_date(self.start)} to '
            f"{_long_date(self.end)}{weekly}</title>"
            f'<desc id="{chart_id}-desc">One strip per symptom group, rated 0 to 10, with infections, exposures at '
            "school and treatments marked above. The table and the summary on this page have the same figures.</desc>",
            *_marks_svg(self),
        ]
        left, right = self.left, self.right_edge
        for strip in self.strips:
            top, middle, bottom = strip.plot_top, strip.plot_middle, strip.plot_bottom
            parts.append(
                f'<text x="{left}" y="{strip.label_y}" fill="#1f2a30" font-size="13" font-weight="600">'
                f"{escape(strip.label)}</text>"
                f'<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="#cdd6d2" stroke-width="1"/>'
                f'<line x1="{left}" y1="{middle}" x2="{right}" y2="{middle}" stroke="#e3e9e6" stroke-width="1"/>'
                f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#4a5a63" stroke-width="1"/>'
                f'<text x="{left - 4}" y="{top}" fill="#4a5a63" font-size="10" text-anchor="end" '
                'dominant-baseline="middle">10</text>'
                f'<text x="{left - 4}" y="{bottom}" fill="#4a5a63" font-size="10" text-anchor="end" '
                'dominant-baseline="middle">0</text>'
            )
            if strip.points:
                parts.append(
                    f'<polyline points="{strip.points}" fill="none" stroke="#1f2a30" stroke-width="1.5" '
                    'stroke-linejoin="round"/>'
                )
            parts.extend(f'<circle cx="{x}" cy="{y}" r="2.5" fill="#1f2a30"/>' for x, y in strip.dots)
        axis = self.axis_y
        for x, tick in self.ticks:
            parts.append(
                f'<line x1="{x}" y1="{axis}" x2="{x}" y2="{axis + 5}" stroke="#4a5a63" stroke-width="1"/>'
                f'<text x="{x}" y="{axis + 18}" fill="#4a5a63" font-size="11" text-anchor="middle">'
                f"{escape(tick)}</text>"
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped; the rest are numbers)

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
    row_xs = [x(row["date"]) for row in rows]  # once per row, not once per row and group
    for index, key in enumerate(groups):
        strip = Strip(key, GROUP_LABELS[key], BAND_TOP + BAND_HEIGHT + index * (STRIP_LABEL + STRIP_PLOT + STRIP_GAP))
        rated = [(px, row) for px, row in zip(row_xs, rows, strict=True) if row[key] is not None]
        bottom = strip.plot_bottom
        coordinates = [(px, round(bottom - row[key] / 10 * STRIP_PLOT, 1)) for px, row in rated]
        strip.points = " ".join(f"{px},{py}" for px, py in coordinates)
        strip.dots = coordinates if len(coordinates) <= 60 else []
        strip.summary = _summary(GROUP_LABELS[key], [(row["date"], row[key]) for _, row in rated], weekly)
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
        summary=_overall_summary(check_ins, marks, strips, weeks=len(rows) if weekly else 0),
        empty=not check_ins and not marks,
    )


def _marks_svg(chart: Timeline) -> list[str]:
    """Each event's shapes, its tooltip escaped (once per distinct text: courses and exposures repeat)."""
    escaped: dict[str, str] = {}
    parts = []
    top, bottom, marker_y, treatment_y = chart.line_top, chart.axis_y, chart.marker_y, chart.treatment_y
    shade = chart.shade_height
    for mark in chart.marks:
        x, colour = mark.x, mark.colour
        title = escaped.get(mark.label)
        if title is None:
            title = escaped[mark.label] = escape(mark.label)
        if mark.category == "treatment":
            width = mark.width
            parts.append(
                f'<rect x="{x}" y="{treatment_y}" width="{width}" height="{shade}" fill="{colour}" '
                f'fill-opacity="0.07"/><rect x="{x}" y="{treatment_y}" width="{width}" height="12" '
                f'fill="{colour}"><title>{title}</title></rect>'
            )
            continue
        dashes = "" if mark.category == "infection" else ' stroke-dasharray="4 3"'
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{colour}" stroke-width="1"{dashes}/>')
        if mark.category == "appointment":
            parts.append(f'<circle cx="{x}" cy="{marker_y}" r="5" fill="{colour}"><title>{title}</title></circle>')
        else:
            parts.append(f'<polygon points="{mark.shape}" fill="{colour}"><title>{title}</title></polygon>')
    return parts


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


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


def _overall_summary(check_ins, marks, strips, *, weeks: int) -> list[str]:
    counts = {category: sum(1 for m in marks if m.category == category) for category in MARK_COLOURS}
    counts["check-in"] = len(check_ins)
    parts = [ngettext(one, many, counts[key]) % {"n": counts[key]} for key, one, many in COUNTED]
    lines = [f"In this period: {', '.join(parts[:-1])} and {parts[-1]}."]
    if weeks:
        # Longer than WEEKLY_AFTER_DAYS: a day is under a pixel wide, so the chart could not show each one.
        lines.append(
            f"For a period this long the chart and the table show each week's average rating ({weeks} weeks), "
            "not each day."
        )
    return [*lines, *(strip.summary for strip in strips)]
