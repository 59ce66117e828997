"""Mail to the List-Unsubscribe `mailto:` address, through the provider's inbound webhook (Postmark's
and Mailgun's payloads, in tests/portal/webhooks/), stops exactly the subscription or follow whose
token it carries; wrong authentication, or a token not ours, changes nothing."""

import datetime
import hashlib
import hmac
import json
import re
import time
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import reverse

from alerts import emails as alert_emails
from alerts.models import Alert, Subscription
from community.models import Follow
from portal import inbound
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import UserFactory
from tests.portal.test_email_webhooks import PAYLOADS, SECRET, SIGNING_KEY, basic_auth

pytestmark = pytest.mark.django_db
SENDER = "parent@example.net"


@pytest.fixture(autouse=True)
def webhooks_configured(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def mailto_subject(message) -> str:
    """The subject of the `mailto:` link in a message's List-Unsubscribe, as a mail client sends it."""
    found = re.search(r"<mailto:[^?>]+\?subject=([^>]+)>", " ".join(message.extra_headers["List-Unsubscribe"].split()))
    return unquote(found.group(1))


def postmark(client, subject: str, **auth):
    body = (PAYLOADS / "postmark_inbound.json").read_text().replace("SENDER", SENDER)
    data = json.loads(body)
    data["Subject"] = subject
    return client.post(
        reverse("email:postmark_inbound"), json.dumps(data), content_type="application/json", **(auth or basic_auth())
    )


def mailgun(client, subject: str, *, signing_key: str = SIGNING_KEY):
    data = json.loads((PAYLOADS / "mailgun_inbound.json").read_text().replace("SENDER", SENDER))
    data["subject"] = data["Subject"] = subject
    data["message-headers"] = data["message-headers"].replace("SUBJECT", subject.replace('"', '\\"'))
    timestamp, token = str(int(time.time())), "f" * 50
    data.update(
        timestamp=timestamp,
        token=token,
        signature=hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest(),
    )
    return client.post(reverse("email:mailgun_inbound"), data, **basic_auth())


def alert_email_for(subscription):
    today = datetime.date(2026, 11, 20)
    alert = Alert.objects.create(
        school=subscription.school, scope="school", kind="strep", iso_year=2026, iso_week=47,
        window_start=today - datetime.timedelta(days=2), window_end=today,
    )  # fmt: skip
    return alert_emails.alert_message(alert=alert, subscription=subscription)


def test_mail_to_an_alerts_mailto_address_unsubscribes_exactly_that_subscription(client):
    school = SchoolFactory()
    subscription = SubscriptionFactory(email=SENDER, school=school)
    other_school = SubscriptionFactory(email=SENDER)  # the same address, another school
    subject = mailto_subject(alert_email_for(subscription))
    assert subject.startswith("unsubscribe ")

    assert postmark(client, subject).status_code == 200

    subscription.refresh_from_db()
    other_school.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED and subscription.unsubscribed_at
    assert other_school.status == Subscription.Status.ACTIVE


def test_a_reply_keeps_working_when_the_client_adds_re(client):
    subscription = SubscriptionFactory(email=SENDER)
    assert mailgun(client, "Re: " + mailto_subject(alert_email_for(subscription))).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_mail_to_a_reply_notifications_mailto_address_unfollows_that_thread_only(
    client, django_capture_on_commit_callbacks
):
    follower = UserFactory(email=SENDER)
    thread = community_factories.thread(author=follower, title="Followed")
    other = community_factories.thread(author=follower, title="Also followed")
    with django_capture_on_commit_callbacks(execute=True):
        community_factories.replies(thread, 1)
    (notification,) = mail.outbox

    assert mailgun(client, mailto_subject(notification)).status_code == 200

    assert not Follow.objects.filter(user=follower, thread=thread).exists()
    assert Follow.objects.filter(user=follower, thread=other).exists()


@pytest.mark.parametrize("subject", ["unsubscribe not-a-token", "unsubscribe 12:forged:signature", "Hello", ""])
def test_a_subject_without_a_token_of_ours_changes_nothing(client, subject):
    subscription = SubscriptionFactory(email=SENDER)
    assert postmark(client, subject).status_code == 200
    assert not inbound.unsubscribe(subject)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_wrong_authentication_is_refused_and_changes_nothing(client):
    subscription = SubscriptionFactory(email=SENDER)
    subject = mailto_subject(alert_email_for(subscription))

    assert postmark(client, subject, HTTP_AUTHORIZATION="Basic d3Jvbmc6d3Jvbmc=").status_code in (400, 403)
    assert mailgun(client, subject, signing_key="forged").status_code in (400, 403)

    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
