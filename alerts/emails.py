"""Alert-related messages, described for portal.emails (which builds every email). Sending is a task's job.

Subscribers' messages come in their language, from `alerts/email/<language>/<name>` (subject, text,
HTML); they carry no brand prefix (the subject says what the alert is at once).
"""

from django.urls import reverse

from accounts.models import User
from alerts import tokens
from alerts.models import Alert, ExposureReport, School, SchoolContact, Subscription
from portal.emails import absolute_url, build_email, compose, list_headers, message_id, render_email
from portal.outbox import EmailKind

STREP_ARTICLE = "/articles/strep-at-school-after-an-exposure/"
PANDAS_ARTICLE = "/articles/what-are-pandas-and-pans/"


def _language(code: str) -> str:
    return code if code in Subscription.Language.values else Subscription.Language.ENGLISH


def _to_subscriber(*, to: str, language: str, name: str, context: dict, headers=None, connection=None):
    language = _language(language)
    return build_email(
        to=to,
        template=f"alerts/email/{language}/{name}",
        context=context,
        language=language,
        branded=False,
        headers=headers,
        connection=connection,
    )


def _subscriber_list(*, name: str, unsubscribe_url: str, token: str) -> dict[str, str]:
    """One-click unsubscribe by the https link, or by an email to the sender with the token."""
    return list_headers(name=name, unsubscribe_url=unsubscribe_url, mailto_subject=f"unsubscribe {token}")


def alert_context(alert: Alert) -> dict:
    return {
        "alert": alert,
        "school": alert.school,
        "strep_url": absolute_url(STREP_ARTICLE),
        "pandas_url": absolute_url(PANDAS_ARTICLE),
        "school_url": absolute_url(alert.school.get_absolute_url()),
    }


# Rendered once per alert and language in a batch; each message only swaps in its own token.
TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"  # noqa: S105 — a marker in a template, not a secret


def unsubscribe_url(token: str) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[token]))


def subscription_links(token: str) -> dict[str, str]:
    manage_url = absolute_url(reverse("alerts:manage", args=[token]))
    return {"unsubscribe_url": unsubscribe_url(token), "manage_url": manage_url}


def alert_message(*, alert: Alert, subscription: Subscription, connection=None, rendered: dict | None = None):
    """The alert for one subscriber. Pass the same `rendered` dict for a whole batch to render once."""
    token = tokens.unsubscribe_token(subscription)
    rendered = {} if rendered is None else rendered
    language = _language(subscription.language)
    key = (alert.pk, language)
    if key not in rendered:
        rendered[key] = render_email(
            template=f"alerts/email/{language}/alert",
            context={**alert_context(alert), **subscription_links(TOKEN_PLACEHOLDER)},
            language=language,
            branded=False,
        )
    headers = {
        "Message-ID": message_id(f"alert-{alert.pk}.subscription-{subscription.pk}"),
        **_subscriber_list(name=f"{alert.school.slug}.alerts", unsubscribe_url=unsubscribe_url(token), token=token),
    }
    personal = rendered[key].replace(TOKEN_PLACEHOLDER, token)
    return compose(personal, to=subscription.email, headers=headers, connection=connection)


def digest_message(*, digest, items: list[tuple[Subscription, list[Alert]]], connection=None):
    """One email listing the day's alerts for every school the address follows by digest."""
    first = items[0][0]
    token = tokens.unsubscribe_token(first, all_digests=True)
    stop_all = unsubscribe_url(token)
    headers = {
        "Message-ID": message_id(f"digest-{digest.pk}"),
        **_subscriber_list(name="digest.alerts", unsubscribe_url=stop_all, token=token),
    }
    sections = [
        {"school": subscription.school, "alerts": alerts, **subscription_links(tokens.unsubscribe_token(subscription))}
        for subscription, alerts in items
    ]
    return _to_subscriber(
        to=digest.email,
        language=first.language,
        name="digest",
        context={
            "day": digest.day,
            "sections": sections,
            "has_suspected": any(alert.is_suspected for _, alerts in items for alert in alerts),
            "unsubscribe_url": stop_all,
            "strep_url": absolute_url(STREP_ARTICLE),
            "pandas_url": absolute_url(PANDAS_ARTICLE),
        },
        headers=headers,
        connection=connection,
    )


def confirmation_message(*, subscription: Subscription):
    confirm_url = absolute_url(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]))
    return _to_subscriber(
        to=subscription.email,
        language=subscription.language,
        name="confirm",
        context={"school": subscription.school, "confirm_url": confirm_url, "days": tokens.CONFIRM_MAX_AGE.days},
    )


def already_subscribed_message(*, subscription: Subscription):
    """Sent instead of a confirmation when the address already follows the school (the page says the same)."""
    return _to_subscriber(
        to=subscription.email,
        language=subscription.language,
        name="already_subscribed",
        context={"school": subscription.school, **subscription_links(tokens.unsubscribe_token(subscription))},
    )


CONFIRMATION = "alerts.confirmation"
ALREADY_SUBSCRIBED = "alerts.already_subscribed"
CONTACT_NOTICE = "alerts.contact_notice"
CONTACT_REQUEST_WAITING = "alerts.contact_request_waiting"
CONTACT_DECISION = "alerts.contact_decision"


def contact_notice_message(*, report: ExposureReport, school: School, to: str):
    """To a verified school contact: a report about their school, even one still under review.

    Never the reporter and never the note to moderators.
    """
    return _to_subscriber(
        to=to,
        language="en",
        name="contact_notice",
        context={"report": report, "school": school, "school_url": absolute_url(school.get_absolute_url())},
    )


# The two messages about school contacts name the site in their own words ("PANDAS Parent Network: ..."),
# so they go without the prefix.


def contact_request_waiting(*, moderator, contact):
    """To a moderator: a school-contact request waits in the queue (no name or address in it)."""
    return build_email(
        to=moderator.email,
        subject="PANDAS Parent Network: a school contact request waits for a moderator",
        branded=False,
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
        branded=False,
        template="alerts/email/contact/decision",
        context={
            "contact": contact,
            "verified": verified,
            "report_url": absolute_url(reverse("alerts:report")),
            "my_alerts_url": absolute_url(reverse("alerts:my_alerts")),
        },
    )


# --- The outbox's builders (portal.outbox): the message for one row, or None when it no longer applies.


def _contact_notice_for_row(*, key: str, to: str, language: str):
    report = ExposureReport.objects.select_related("school").filter(pk=key).first()
    # Only while the address still belongs to a verified contact of the school.
    if report is None or not SchoolContact.objects.verified().filter(school=report.school, user__email=to).exists():
        return None
    return contact_notice_message(report=report, school=report.school, to=to)


def _contact_request_waiting_for_row(*, key: str, to: str, language: str):
    contact_id, _, _ = key.partition(":")  # "<contact>:<day of the request>"
    contact = SchoolContact.objects.select_related("school").filter(pk=contact_id).first()
    if contact is None or contact.status != SchoolContact.Status.REQUESTED:
        return None
    moderator = User.objects.filter(email=to, is_active=True).first()
    return None if moderator is None else contact_request_waiting(moderator=moderator, contact=contact)


def _contact_decision_for_row(*, key: str, to: str, language: str):
    contact_id, _, _ = key.partition(":")  # "<contact>:<decision's audit entry>"
    contact = SchoolContact.objects.select_related("school", "user").filter(pk=contact_id).first()
    if contact is None or not contact.user.is_active or contact.status == SchoolContact.Status.REQUESTED:
        return None
    return contact_decision(contact=contact)


def _confirmation_for_row(*, key: str, to: str, language: str):
    from alerts.services.subscriptions import confirmation_email

    subscription_id, _, requested_at = key.partition(":")  # "<subscription>:<time of the request>"
    return confirmation_email(subscription_id=int(subscription_id), requested_at=requested_at, to=to)


def _already_subscribed_for_row(*, key: str, to: str, language: str):
    from alerts.services.subscriptions import already_subscribed_email

    subscription_id, _, _ = key.partition(":")  # "<subscription>:<minute of the request>"
    return already_subscribed_email(subscription_id=int(subscription_id), to=to)


OUTBOX_KINDS = {
    CONFIRMATION: EmailKind(_confirmation_for_row),
    ALREADY_SUBSCRIBED: EmailKind(_already_subscribed_for_row),
    CONTACT_NOTICE: EmailKind(_contact_notice_for_row),
    CONTACT_REQUEST_WAITING: EmailKind(_contact_request_waiting_for_row),
    CONTACT_DECISION: EmailKind(_contact_decision_for_row),
}
