"""Filters every template can use without `{% load %}` (registered as a builtin in settings)."""

import datetime

from django import template
from django.utils import timezone

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
