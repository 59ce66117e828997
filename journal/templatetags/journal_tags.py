from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_mean(means: dict, key: str) -> str:
    """A treatment's mean rating for a group, in words."""
    return means[key].text


@register.simple_tag
def timeline_svg(chart, chart_id: str, label: str):
    """A timeline's chart (journal.timeline.Timeline.svg), titled with the child's label."""
    return chart.svg(chart_id=chart_id, label=label)


@register.simple_tag
def figure_rows(rows: list[dict]):
    """The rows of a timeline's table of figures (a day or week, a cell per group, its events), written in
    one go: three years of them cost the template language more than the rest of the page. The cells are
    numbers (or a dash) made by journal.timeline._cell; the events' titles are escaped (the standard
    library's html.escape: what Django's escape calls, without its wrapper's cost per call)."""
    return mark_safe(  # noqa: S308 (dates and cells are ours, the titles go through escape)
        "".join(
            f'<tr><th scope="row">{row["date"].day} {row["date"]:%b %Y}</th>'
            + "".join(f"<td>{cell}</td>" for cell in row["cells"])
            + f"<td>{escape('; '.join(row['events']))}</td></tr>"
            for row in rows
        )
    )
