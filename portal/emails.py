"""The one way to build an email the site sends: every app's emails.py describes its messages, this
module makes them.

A message is a pair of templates, `<template>.txt` (plain text, never HTML-escaped) and
`<template>.html`, rendered in the recipient's language; its subject is given, or rendered from
`<template>_subject.txt`, and starts with settings.EMAIL_SUBJECT_PREFIX unless `branded=False`.
Every message carries Auto-Submitted and a Message-ID on the site's domain; a list-like one (a
member can stop it) adds `list_headers`. Sending is a service's or a task's job.

A batch to many recipients renders once (`render_email`) and makes each message from the result
(`compose`), after `RenderedEmail.replace` has put in the recipient's own parts.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import TypedDict, Unpack
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_plain_text(template_name: str, context: dict) -> str:
    """A text/plain part: no HTML escaping (a parent's "child's" must not arrive as "child&#x27;s")."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def site_domain() -> str:
    """The site's host name (from SITE_URL), for Message-IDs and List-Ids: never the machine's name."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(local_part: str | None = None) -> str:
    """A Message-ID on the site's domain; a fixed `local_part` makes one that a retry repeats."""
    return f"<{local_part}@{site_domain()}>" if local_part else make_msgid(domain=site_domain())


def list_id(name: str) -> str:
    """An RFC 2919 List-Id: `name` is the list's own label, such as "replies.community"."""
    return f"<{name}.{site_domain()}>"


def list_headers(
    *, name: str, unsubscribe_url: str, one_click: bool = True, mailto_subject: str | None = None
) -> dict[str, str]:
    """What a list-like message says about its list (RFC 2369, 2919, 8058): its List-Id, where to stop
    it, and (`one_click`) that a POST to that URL stops it at once. With `mailto_subject`, an email to
    the sender's mailbox with that subject stops it too."""
    links = [f"<{unsubscribe_url}>"]
    if mailto_subject:
        mailbox = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"alerts@{site_domain()}"
        links.append(f"<mailto:{mailbox}?subject={quote(mailto_subject)}>")
    headers = {"List-Unsubscribe": ", ".join(links)}
    if one_click:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return {**headers, "List-Id": list_id(name)}


def automatic_headers(headers: dict | None = None) -> dict[str, str]:
    """`headers` plus what every email the site sends by itself carries: RFC 3834's Auto-Submitted (so
    autoresponders do not answer it) and a Message-ID on the site's domain. Given headers win."""
    headers = headers or {}
    own_id = {} if "Message-ID" in headers else {"Message-ID": message_id()}
    return {"Auto-Submitted": "auto-generated", **own_id, **headers}


def subject_line(subject: str, *, branded: bool = True) -> str:
    return f"{settings.EMAIL_SUBJECT_PREFIX}{subject}" if branded else subject


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str

    def replace(self, old: str, new: str) -> "RenderedEmail":
        """The same message with a placeholder put in for one recipient (a token in its links)."""
        return RenderedEmail(self.subject.replace(old, new), self.text.replace(old, new), self.html.replace(old, new))


def render_email(
    *,
    template: str,
    context: dict,
    subject: str | None = None,
    subject_template: str | None = None,
    language: str | None = None,
    branded: bool = True,
) -> RenderedEmail:
    """Subject, text and HTML, rendered in `language` (month and day names too) when one is given.
    Without `subject`, it is rendered from `subject_template` (`<template>_subject.txt` by default),
    on one line."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language) if language else nullcontext():
        if subject is None:
            rendered = render_plain_text(subject_template or f"{template}_subject.txt", context)
            subject = " ".join(rendered.split())
        text = render_plain_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return RenderedEmail(subject_line(subject, branded=branded), text, html)


def compose(
    rendered: RenderedEmail, *, to: str, headers: dict | None = None, connection=None
) -> EmailMultiAlternatives:
    """The message for one recipient, from the site's address, with the automatic headers."""
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=automatic_headers(headers),
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


class Rendering(TypedDict, total=False):
    """What `build_email` passes on to `render_email` besides the template and context."""

    subject: str | None
    subject_template: str | None
    language: str | None
    branded: bool


def build_email(
    *,
    to: str,
    template: str,
    context: dict,
    headers: dict | None = None,
    connection=None,
    **rendering: Unpack[Rendering],
) -> EmailMultiAlternatives:
    """One message to `to`: `render_email` then `compose`."""
    rendered = render_email(template=template, context=context, **rendering)
    return compose(rendered, to=to, headers=headers, connection=connection)
