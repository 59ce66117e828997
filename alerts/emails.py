"""Building alert-related messages: subject, plain text, HTML and headers. Sending is a task's job."""

from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alerts import tokens
from alerts.models import Alert, ExposureReport, School, Subscription
from portal.emails import absolute_url, automatic_headers, build_email, render_plain_text

STREP_ARTICLE = "/articles/strep-at-school-after-an-exposure/"
PANDAS_ARTICLE = "/articles/what-are-pandas-and-pans/"


def site_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _language(code: str) -> str:
    return code if code in Subscription.Language.values else Subscription.Language.ENGLISH


def _render(name: str, language: str, context: dict) -> tuple[str, str, str]:
    language = _language(language)
    base = f"alerts/email/{language}/{name}"
    # Month and day names in dates follow the subscriber's language.
    with translation.override(language):
        # Subject and text are plain text: never HTML-escaped ("St. Mary's", not "St. Mary&#x27;s").
        subject = " ".join(render_plain_text(f"{base}_subject.txt", context).split())
        return subject, render_plain_text(f"{base}.txt", context), render_to_string(f"{base}.html", context)


def _message(*, to: str, language: str, name: str, context: dict, headers=None, connection=None):
    context = {"site_url": settings.SITE_URL, **context}
    subject, text, html = _render(name, language, context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=automatic_headers(headers), connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def list_headers(*, unsubscribe_url: str, token: str, list_id: str) -> dict[str, str]:
    """RFC 2369/8058 one-click unsubscribe (https URL and mailto) and RFC 2919 List-Id."""
    mailbox = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"alerts@{site_host()}"
    mailto = f"mailto:{mailbox}?subject={quote('unsubscribe ' + token)}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id,
    }


def alert_context(alert: Alert) -> dict:
    return {
        "alert": alert,
        "school": alert.school,
        "strep_url": absolute(STREP_ARTICLE),
        "pandas_url": absolute(PANDAS_ARTICLE),
        "school_url": absolute(alert.school.get_absolute_url()),
    }


# Rendered once per alert and language in a batch; each message only swaps in its own token.
TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"  # noqa: S105 — a marker in a template, not a secret


def subscription_links(token: str) -> dict[str, str]:
    return {
        "unsubscribe_url": absolute(reverse("alerts:unsubscribe", args=[token])),
        "manage_url": absolute(reverse("alerts:manage", args=[token])),
    }


def alert_message(
    *, alert: Alert, subscription: Subscription, connection=None, rendered: dict | None = None
) -> EmailMultiAlternatives:
    """The alert for one subscriber. Pass the same `rendered` dict for a whole batch to render once."""
    token = tokens.unsubscribe_token(subscription)
    rendered = {} if rendered is None else rendered
    key = (alert.pk, _language(subscription.language))
    if key not in rendered:
        context = {"site_url": settings.SITE_URL, **alert_context(alert), **subscription_links(TOKEN_PLACEHOLDER)}
        rendered[key] = _render("alert", subscription.language, context)
    subject, text, html = rendered[key]
    headers = {
        "Message-ID": f"<alert-{alert.pk}.subscription-{subscription.pk}@{site_host()}>",
        **list_headers(
            unsubscribe_url=subscription_links(token)["unsubscribe_url"], token=token, list_id=alert.school.list_id
        ),
    }
    message = EmailMultiAlternatives(
        subject,
        text.replace(TOKEN_PLACEHOLDER, token),
        to=[subscription.email],
        headers=automatic_headers(headers),
        connection=connection,
    )
    message.attach_alternative(html.replace(TOKEN_PLACEHOLDER, token), "text/html")
    return message


def digest_message(*, digest, items: list[tuple[Subscription, list[Alert]]], connection=None):
    """One email listing the day's alerts for every school the address follows by digest."""
    first = items[0][0]
    token = tokens.unsubscribe_token(first, all_digests=True)
    unsubscribe_url = absolute(reverse("alerts:unsubscribe", args=[token]))
    headers = {
        "Message-ID": f"<digest-{digest.pk}@{site_host()}>",
        **list_headers(unsubscribe_url=unsubscribe_url, token=token, list_id=f"<digest.alerts.{site_host()}>"),
    }
    sections = [
        {"school": subscription.school, "alerts": alerts, **subscription_links(tokens.unsubscribe_token(subscription))}
        for subscription, alerts in items
    ]
    return _message(
        to=digest.email,
        language=first.language,
        name="digest",
        context={
            "day": digest.day,
            "sections": sections,
            "has_suspected": any(alert.is_suspected for _, alerts in items for alert in alerts),
            "unsubscribe_url": unsubscribe_url,
            "strep_url": absolute(STREP_ARTICLE),
            "pandas_url": absolute(PANDAS_ARTICLE),
        },
        headers=headers,
        connection=connection,
    )


def confirmation_message(*, subscription: Subscription) -> EmailMultiAlternatives:
    confirm_url = absolute(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]))
    return _message(
        to=subscription.email,
        language=subscription.language,
        name="confirm",
        context={"school": subscription.school, "confirm_url": confirm_url, "days": tokens.CONFIRM_MAX_AGE.days},
    )


def already_subscribed_message(*, subscription: Subscription) -> EmailMultiAlternatives:
    """Sent instead of a confirmation when the address already follows the school (the page says the same)."""
    return _message(
        to=subscription.email,
        language=subscription.language,
        name="already_subscribed",
        context={"school": subscription.school, **subscription_links(tokens.unsubscribe_token(subscription))},
    )


def contact_notice_message(*, report: ExposureReport, school: School, to: str) -> EmailMultiAlternatives:
    """To a verified school contact: a report about their school, even one still under review.

    Never the reporter and never the note to moderators.
    """
    return _message(
        to=to,
        language="en",
        name="contact_notice",
        context={"report": report, "school": school, "school_url": absolute(school.get_absolute_url())},
    )


def contact_request_waiting(*, moderator, contact):
    """To a moderator: a school-contact request waits in the queue (no name or address in it)."""
    return build_email(
        to=moderator.email,
        subject="PANDAS Parent Network: a school contact request waits for a moderator",
        template="alerts/email/contact/request_waiting",
        context={"contact": contact, "queue_url": absolute_url(reverse("moderation:queue"))},
    )


def contact_decision(*, contact):
    """To the member who asked: verified (their reports now publish at once) or not."""
    verified = contact.status == contact.Status.VERIFIED
    return build_email(
        to=contact.user.email,
        subject=f"PANDAS Parent Network: {'you are' if verified else 'you are not'} a verified contact "
        f"for {contact.school.name}",
        template="alerts/email/contact/decision",
        context={
            "contact": contact,
            "verified": verified,
            "report_url": absolute_url(reverse("alerts:report")),
            "my_alerts_url": absolute_url(reverse("alerts:my_alerts")),
        },
    )
