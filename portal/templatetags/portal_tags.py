"""Filters every template can use without `{% load %}` (registered as a builtin in settings)."""

import datetime
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def machine_datetime(value) -> str:
    """`value` for a `<time datetime>` attribute: ISO 8601 in the current time zone, to the second.

    Django's `date:"c"` keeps microseconds, which HTML does not allow (at most three digits of a second).
    """
    if not isinstance(value, datetime.datetime):
        return value.isoformat() if isinstance(value, datetime.date) else ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def block_text(context, name: str) -> str:
    """The text of this page's block `name` (its most specific override), rendered again.

    Lets the `<head>` reuse the page's title and description for Open Graph without each template
    repeating them. Returns "" when the page has no such block.
    """
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context else None
    if block is None:
        return ""
    with context.push():
        # Already escaped by the block's own rendering: mark it safe so it is not escaped twice.
        return mark_safe(" ".join(block.render(context).split()))  # noqa: S308


@register.simple_tag
def absolute_static(path: str) -> str:
    """The absolute URL of a static file (social previews need one)."""
    url = static(path)
    return url if urlsplit(url).scheme else settings.SITE_URL + url


def week_of(iso_year: int, iso_week: int) -> str:
    """An ISO week as people say it: "week of 23 November 2026" (its Monday), never "2026-W48"."""
    monday = datetime.date.fromisocalendar(int(iso_year), int(iso_week), 1)
    return f"week of {monday.day} {monday:%B %Y}"


@register.filter(name="week_of")
def week_of_filter(week) -> str:
    """`{{ week|week_of }}` for a row with `iso_year` and `iso_week` (a dict or an object)."""
    get = week.get if isinstance(week, dict) else lambda name: getattr(week, name)
    return week_of(get("iso_year"), get("iso_week"))


@register.filter
def ago(value) -> str:
    """How long ago, in words: "just now" under a minute (never "0 minutes ago"), else "3 hours ago"."""
    if not value:
        return ""
    if timezone.now() - value < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(value)} ago"
