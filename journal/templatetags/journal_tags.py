from django import template

register = template.Library()


@register.filter
def get_rating(row: dict, key: str):
    """A rating of a timeline row, or a dash where the group was not rated."""
    value = row.get(key)
    return "—" if value is None else f"{value:g}"


@register.filter
def get_mean(means: dict, key: str) -> str:
    """A treatment's mean rating for a group, in words."""
    return means[key].text
