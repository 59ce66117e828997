"""The one way to build an email: a plain-text and an HTML part from a pair of templates."""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_plain_text(template_name: str, context: dict) -> str:
    """A text/plain part: no HTML escaping (a parent's "child's" must not arrive as "child&#x27;s")."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def site_domain() -> str:
    """The site's host name (from SITE_URL), for Message-IDs and List-Ids: never the machine's name."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id(name: str) -> str:
    """An RFC 2919 List-Id: `name` is the list's own label, such as "replies.community"."""
    return f"<{name}.{site_domain()}>"


def automatic_headers(headers: dict | None = None) -> dict[str, str]:
    """`headers` plus what every email the site sends by itself carries: RFC 3834's Auto-Submitted (so
    autoresponders do not answer it) and a Message-ID on the site's domain. Given headers win."""
    return {"Auto-Submitted": "auto-generated", "Message-ID": make_msgid(domain=site_domain()), **(headers or {})}


def build_email(
    *, to: str, subject: str, template: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    """`template` names the pair `<template>.txt` and `<template>.html`. A list-like message (one a
    member can stop) passes its List-Id and List-Unsubscribe in `headers`."""
    context = {"site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_plain_text(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=automatic_headers(headers),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
