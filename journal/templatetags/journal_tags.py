from django import template
from django.utils.formats import date_format
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def get_mean(means: dict, key: str) -> str:
    """A treatment's mean rating for a group, in words."""
    return means[key].text


@register.simple_tag
def figure_rows(rows: list[dict]):
    """The rows of a timeline's table of figures (a day or week, a cell per group, its events), written in
    one go: three years of them cost the template language more than the rest of the page."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}<td>{}</td></tr>',
        (
            (
                date_format(row["date"], "j M Y"),
                format_html_join("", "<td>{}</td>", ((cell,) for cell in row["cells"])),
                "; ".join(row["events"]),
            )
            for row in rows
        ),
    )
