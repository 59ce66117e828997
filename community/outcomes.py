"""The outcomes page: what parents reported, per treatment, only where at least 5 stories stand behind a figure.

Figures are computed in Python from a single query (stories are few); chart geometry is computed
here too, so the SVG templates only place shapes.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field

from community import access
from community.models import Story

MIN_STORIES = 5
TIME_POINTS = [
    ("1 month", "severity_1_month"),
    ("3 months", "severity_3_months"),
    ("6 months", "severity_6_months"),
]
CONTEXT = {
    "min_stories": MIN_STORIES,
    "scale_note": "Severity is the portal's own 0 to 10 scale (0 = no symptoms, 10 = the worst). "
    "It is not a validated clinical scale.",
    # Why a fall in these figures does not show that a treatment worked (read beside every figure).
    "caveats": [
        "Symptoms often ease with time anyway: PANDAS/PANS flares tend to come and go, with or without treatment.",
        "Families drop out: fewer parents add the 3- and 6-month figures than the first ones, and those who do "
        "may not be typical.",
        "Children usually get several treatments at once, so a change cannot be put down to one of them.",
        "Parents chose to share and rate their own child: these are reports, not a study, with no comparison group.",
    ],
}

# Chart geometry, in SVG user units.
ROW_HEIGHT = 30
LABEL_WIDTH = 150
CHANGE_UNIT = 14  # per point of severity change; ±10 fits in 280
CHART_WIDTH = LABEL_WIDTH + 2 * 10 * CHANGE_UNIT + 70
PERCENT_WIDTH = 250


@dataclass
class Bar:
    label: str
    value: float | None  # None: fewer than MIN_STORIES behind it
    text: str
    stories: int = 0
    x: float = 0
    y: float = 0
    width: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    axis_x: float = 0

    @property
    def shown(self) -> bool:
        return any(bar.value is not None for bar in self.bars)


@dataclass
class TreatmentOutcome:
    treatment: str
    label: str
    stories: int
    change: Chart | None = None
    side_effects: Chart | None = None
    insurance: Chart | None = None
    enough: bool = field(init=False)

    def __post_init__(self):
        self.enough = self.stories >= MIN_STORIES


def _change_chart(rows: list[dict]) -> Chart:
    """Median change from before treatment to each time point (negative = fewer symptoms)."""
    axis = LABEL_WIDTH + 10 * CHANGE_UNIT
    bars = []
    for index, (label, name) in enumerate(TIME_POINTS):
        changes = [row[name] - row["severity_before"] for row in rows if row[name] is not None]
        y = index * ROW_HEIGHT + 6
        if len(changes) < MIN_STORIES:
            bar = Bar(label, None, f"fewer than {MIN_STORIES} stories", len(changes), text_x=axis + 6)
        else:
            median = statistics.median(changes)
            width = abs(median) * CHANGE_UNIT
            bar = Bar(
                label,
                median,
                f"{median:+g}",
                len(changes),
                x=axis - width if median < 0 else axis,
                width=width,
                text_x=(axis + 6) if median <= 0 else (axis + width + 6),
            )
        bar.y, bar.text_y = y, y + 13
        bars.append(bar)
    return Chart(bars, CHART_WIDTH, len(bars) * ROW_HEIGHT + 10, axis_x=axis)


def _share_chart(counts: Counter, labels: list[tuple[str, str]], total: int) -> Chart:
    """Share of stories per answer, most frequent first."""
    bars = []
    ordered = sorted(labels, key=lambda item: (-counts[item[0]], item[1]))
    for index, (value, label) in enumerate(ordered):
        share = counts[value] / total
        y = index * ROW_HEIGHT + 6
        width = share * PERCENT_WIDTH
        bars.append(
            Bar(
                label,
                share,
                f"{round(share * 100)}% ({counts[value]} of {total})",
                counts[value],
                x=LABEL_WIDTH,
                y=y,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
                text_y=y + 13,
            )
        )
    return Chart(bars, LABEL_WIDTH + PERCENT_WIDTH + 130, len(bars) * ROW_HEIGHT + 10, axis_x=LABEL_WIDTH)


def summarize() -> list[TreatmentOutcome]:
    """One entry per treatment that has stories; figures only when MIN_STORIES stand behind them."""
    rows = access.outcome_stories().values(
        "treatment", "severity_before", *(name for _, name in TIME_POINTS), "side_effects", "insurance"
    )
    by_treatment: dict[str, list[dict]] = {}
    for row in rows:
        by_treatment.setdefault(row["treatment"], []).append(row)
    results = []
    for value, label in Story.Treatment.choices:
        group = by_treatment.get(value, [])
        if not group:
            continue
        outcome = TreatmentOutcome(value, label, len(group))
        if outcome.enough:
            outcome.change = _change_chart(group)
            side_effects = Counter(effect for row in group for effect in set(row["side_effects"] or []))
            outcome.side_effects = _share_chart(side_effects, Story.SideEffect.choices, len(group))
            insurance = Counter(row["insurance"] for row in group)
            outcome.insurance = _share_chart(insurance, Story.Insurance.choices, len(group))
        results.append(outcome)
    return results
