"""The one way to build an email: a plain-text and an HTML part from a pair of templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_plain_text(template_name: str, context: dict) -> str:
    """A text/plain part: no HTML escaping (a parent's "child's" must not arrive as "child&#x27;s")."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build_email(
    *, to: str, subject: str, template: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    """`template` names the pair `<template>.txt` and `<template>.html`."""
    context = {"site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_plain_text(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
