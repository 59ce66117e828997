"""The email provider's tracking webhooks: real payload shapes (tests/portal/webhooks/, written from
Postmark's and Mailgun's webhook documentation) POSTed with the right authentication suppress
addresses everywhere; wrong authentication is refused and changes nothing."""

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from community import services as community_services
from community.models import Notification
from journal.models import Reminder
from portal import suppression
from portal.models import SoftBounce, SuppressedAddress
from tests.alerts.factories import SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import UserFactory
from tests.journal.test_reminders import parent_with_reminder, plan_and_send

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).parent / "webhooks"
SECRET = "portal-hooks:a-long-random-webhook-password"
SIGNING_KEY = "mailgun-signing-key-for-tests"
ADDRESS = "Parent.Bounced@Example.net"


@pytest.fixture(autouse=True)
def webhooks_configured(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def basic_auth(credentials: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def payload(name: str, recipient: str = ADDRESS, *, signing_key: str = SIGNING_KEY) -> str:
    text = (PAYLOADS / f"{name}.json").read_text().replace("RECIPIENT", recipient)
    data = json.loads(text)
    if "signature" in data:  # Mailgun signs timestamp + token with the webhook signing key
        timestamp, token = str(int(time.time())), hashlib.sha256(name.encode()).hexdigest()[:50]
        signature = hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
        data["signature"] = {"timestamp": timestamp, "token": token, "signature": signature}
    return json.dumps(data)


def post(client, provider: str, name: str, *, auth: dict | None = None, **options):
    return client.post(
        reverse(f"email:{provider}_tracking"),
        payload(name, **options),
        content_type="application/json",
        **(basic_auth() if auth is None else auth),
    )


def reasons() -> list[str]:
    return list(SuppressedAddress.objects.values_list("reason", flat=True))


@pytest.mark.parametrize(
    ("provider", "name", "reason"),
    [
        ("postmark", "postmark_bounce", "hard_bounce"),
        ("postmark", "postmark_spam_complaint", "complaint"),
        ("mailgun", "mailgun_failed_permanent", "hard_bounce"),
        ("mailgun", "mailgun_complained", "complaint"),
    ],
)
def test_a_hard_bounce_or_a_complaint_suppresses_the_address_everywhere(client, provider, name, reason):
    subscription = SubscriptionFactory(email=ADDRESS.lower())
    other = SubscriptionFactory(email="someone.else@example.net")

    assert post(client, provider, name).status_code == 200

    assert suppression.is_suppressed(ADDRESS) and suppression.is_suppressed(ADDRESS.upper())
    (row,) = SuppressedAddress.objects.all()
    assert (row.reason, row.provider) == (reason, provider)
    assert "example.net" not in row.address_hash  # a keyed hash, never the address
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert subscription.status == Subscription.Status.SUPPRESSED and subscription.suppressed_at
    assert other.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize(("provider", "name"), [("postmark", "postmark_delivery"), ("mailgun", "mailgun_delivered")])
def test_a_delivery_changes_nothing(client, provider, name):
    subscription = SubscriptionFactory(email=ADDRESS)
    assert post(client, provider, name).status_code == 200
    assert reasons() == [] and not SoftBounce.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize(
    ("provider", "name"), [("postmark", "postmark_soft_bounce"), ("mailgun", "mailgun_failed_temporary")]
)
def test_soft_bounces_count_and_the_third_in_fourteen_days_suppresses(client, provider, name):
    for _ in range(2):
        assert post(client, provider, name).status_code == 200
    assert reasons() == [] and SoftBounce.objects.count() == 2
    assert not suppression.is_suppressed(ADDRESS)

    assert post(client, provider, name).status_code == 200
    assert reasons() == ["soft_bounces"] and suppression.is_suppressed(ADDRESS)


def test_soft_bounces_older_than_fourteen_days_do_not_count():
    long_ago = timezone.now() - timedelta(days=15)
    suppression.record_soft_bounce(ADDRESS, at=long_ago)
    suppression.record_soft_bounce(ADDRESS, at=long_ago + timedelta(days=1))
    assert not suppression.record_soft_bounce(ADDRESS)  # only two fall within the window
    assert not suppression.is_suppressed(ADDRESS)


@pytest.mark.parametrize(
    ("provider", "name", "auth", "options"),
    [
        ("postmark", "postmark_bounce", {}, {}),
        ("postmark", "postmark_bounce", basic_auth("portal-hooks:wrong"), {}),
        ("mailgun", "mailgun_failed_permanent", {}, {}),
        ("mailgun", "mailgun_failed_permanent", basic_auth("portal-hooks:wrong"), {}),
        ("mailgun", "mailgun_failed_permanent", None, {"signing_key": "not-the-key"}),  # right password, forged
    ],
    ids=["postmark-no-auth", "postmark-wrong-auth", "mailgun-no-auth", "mailgun-wrong-auth", "mailgun-bad-signature"],
)
def test_wrong_authentication_is_refused_and_changes_nothing(client, provider, name, auth, options):
    subscription = SubscriptionFactory(email=ADDRESS)
    response = post(client, provider, name, auth=auth, **options)
    assert response.status_code in (400, 403)
    assert reasons() == []
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_without_a_webhook_secret_every_call_is_refused(client, settings):
    settings.ANYMAIL = {}  # anymail alone would accept the call with a warning
    assert post(client, "postmark", "postmark_bounce").status_code == 403
    assert reasons() == []


def test_the_webhooks_are_post_only_and_need_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    url = reverse("email:postmark_tracking")
    assert client.get(url, **basic_auth()).status_code == 405
    assert (
        client.post(url, payload("postmark_bounce"), content_type="application/json", **basic_auth()).status_code == 200
    )
    assert reasons() == ["hard_bounce"]


def test_a_suppressed_member_gets_no_reply_notification(client, django_capture_on_commit_callbacks):
    follower = UserFactory(email=ADDRESS.lower())
    thread = community_factories.thread(author=follower, title="Quiet")
    assert post(client, "postmark", "postmark_bounce").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        community_services.reply(author=UserFactory(), thread=thread, body="Thinking of you")

    assert mail.outbox == []
    assert Notification.objects.get(recipient=follower).email == Notification.Email.SKIPPED


def test_a_suppressed_member_gets_no_journal_reminder(client):
    parent, _ = parent_with_reminder()
    assert post(client, "postmark", "postmark_bounce", recipient=parent.email).status_code == 200

    assert plan_and_send() == 0
    assert mail.outbox == []
    assert Reminder.objects.get(user=parent).status == Reminder.Status.FAILED
