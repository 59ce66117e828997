from django import template

register = template.Library()


@register.filter
def get_mean(means: dict, key: str) -> str:
    """A treatment's mean rating for a group, in words."""
    return means[key].text
