"""The email providers' tracking webhooks: each supported provider's real payload shapes
(tests/portal/webhook_calls.py, tests/portal/webhooks/) POSTed with the right authentication suppress
addresses everywhere; wrong authentication is refused and changes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from community import services as community_services
from community.models import Notification
from journal.models import Reminder
from portal import email_providers, suppression, webhooks
from portal.models import SoftBounce, SuppressedAddress
from tests.alerts.factories import SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import UserFactory
from tests.journal.test_reminders import parent_with_reminder, plan_and_send
from tests.portal.webhook_calls import (
    ADDRESS,
    ANYMAIL_SETTINGS,
    PAYLOADS,
    PROVIDERS,
    SECRET,
    SIGNING_KEY,
    basic_auth,
    load,
    sns_request,
    tracking,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhooks_configured(settings):
    settings.ANYMAIL = ANYMAIL_SETTINGS


def reasons() -> list[str]:
    return list(SuppressedAddress.objects.values_list("reason", flat=True))


def test_every_provider_the_portal_sends_through_has_webhooks_and_payloads_under_test():
    sending = set(email_providers.BACKENDS) - {"test"}
    assert sending == set(webhooks.PROVIDERS) == set(PROVIDERS)
    for provider in PROVIDERS:
        assert (PAYLOADS / f"{provider}_inbound.json").exists()


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(("event", "reason"), [("hard_bounce", "hard_bounce"), ("complaint", "complaint")])
def test_a_hard_bounce_or_a_complaint_suppresses_the_address_everywhere(client, provider, event, reason):
    subscription = SubscriptionFactory(email=ADDRESS.lower())
    other = SubscriptionFactory(email="someone.else@example.net")

    assert tracking(client, provider, event).status_code == 200

    assert suppression.is_suppressed(ADDRESS) and suppression.is_suppressed(ADDRESS.upper())
    (row,) = SuppressedAddress.objects.all()
    assert (row.reason, row.provider) == (reason, provider)
    assert "example.net" not in row.address_hash  # a keyed hash, never the address
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert subscription.status == Subscription.Status.SUPPRESSED and subscription.suppressed_at
    assert other.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_delivery_changes_nothing(client, provider):
    subscription = SubscriptionFactory(email=ADDRESS)
    assert tracking(client, provider, "delivered").status_code == 200
    assert reasons() == [] and not SoftBounce.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize("provider", PROVIDERS)
def test_soft_bounces_count_and_the_third_in_fourteen_days_suppresses(client, provider):
    for _ in range(2):
        assert tracking(client, provider, "soft_bounce").status_code == 200
    assert reasons() == [] and SoftBounce.objects.count() == 2
    assert not suppression.is_suppressed(ADDRESS)

    assert tracking(client, provider, "soft_bounce").status_code == 200
    assert reasons() == ["soft_bounces"] and suppression.is_suppressed(ADDRESS)


def test_soft_bounces_older_than_fourteen_days_do_not_count():
    long_ago = timezone.now() - timedelta(days=15)
    suppression.record_soft_bounce(ADDRESS, at=long_ago)
    suppression.record_soft_bounce(ADDRESS, at=long_ago + timedelta(days=1))
    assert not suppression.record_soft_bounce(ADDRESS)  # only two fall within the window
    assert not suppression.is_suppressed(ADDRESS)


WRONG_AUTH = [
    *[(provider, None, {}) for provider in PROVIDERS],  # no credentials (SNS first asks for them: 401)
    *[(provider, "portal-hooks:wrong", {}) for provider in PROVIDERS],
    ("mailgun", SECRET, {"signing_key": "not-the-key"}),  # the right password, a forged signature
]


@pytest.mark.parametrize(
    ("provider", "auth", "options"),
    WRONG_AUTH,
    ids=[
        f"{provider}-{'forged' if options else 'none' if auth is None else 'wrong'}"
        for provider, auth, options in WRONG_AUTH
    ],
)
@pytest.mark.parametrize("event", ["hard_bounce", "complaint"])
def test_wrong_authentication_is_refused_and_changes_nothing(client, provider, event, auth, options):
    subscription = SubscriptionFactory(email=ADDRESS)
    response = tracking(client, provider, event, auth=auth, **options)
    assert response.status_code in (400, 401, 403)
    assert reasons() == [] and not SoftBounce.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_an_sns_message_whose_headers_disagree_with_its_body_is_refused(client):
    request = sns_request(load("amazon_ses_bounce", RECIPIENT=ADDRESS))
    request["HTTP_X_AMZ_SNS_MESSAGE_ID"] = "another-message"
    assert client.post(reverse("email:amazon_ses_tracking"), **request, **basic_auth()).status_code == 400
    assert reasons() == []


def test_an_sns_subscription_confirmation_without_our_secret_is_refused_and_not_confirmed(client):
    envelope = load("amazon_ses_bounce", RECIPIENT=ADDRESS)
    envelope.update(Type="SubscriptionConfirmation", Token="2336412f37fb687f5d51e6e2425f004aed", Message="confirm")
    request = sns_request(envelope)  # confirming would call AWS: with the wrong secret it never gets that far
    response = client.post(reverse("email:amazon_ses_tracking"), **request, **basic_auth("portal-hooks:wrong"))
    assert response.status_code == 400


@pytest.mark.parametrize("provider", PROVIDERS)
def test_without_a_webhook_secret_every_call_is_refused(client, settings, provider):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}  # anymail alone would accept with a warning
    assert tracking(client, provider, "hard_bounce").status_code == 403
    assert reasons() == []


def test_the_webhooks_are_post_only_and_need_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("email:postmark_tracking"), **basic_auth()).status_code == 405
    assert tracking(client, "postmark", "hard_bounce").status_code == 200
    assert reasons() == ["hard_bounce"]


def test_a_suppressed_member_gets_no_reply_notification(client, django_capture_on_commit_callbacks):
    follower = UserFactory(email=ADDRESS.lower())
    thread = community_factories.thread(author=follower, title="Quiet")
    assert tracking(client, "postmark", "hard_bounce").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        community_services.reply(author=UserFactory(), thread=thread, body="Thinking of you")

    assert mail.outbox == []
    assert Notification.objects.get(recipient=follower).email == Notification.Email.SKIPPED


def test_a_suppressed_member_gets_no_journal_reminder(client):
    parent, _ = parent_with_reminder()
    assert tracking(client, "postmark", "hard_bounce", parent.email).status_code == 200

    assert plan_and_send() == 0
    assert mail.outbox == []
    assert Reminder.objects.get(user=parent).status == Reminder.Status.FAILED
