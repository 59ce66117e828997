"""Mail to the List-Unsubscribe `mailto:` address, through each supported provider's inbound webhook
(tests/portal/webhook_calls.py), stops exactly the subscription or follow whose token it carries;
wrong authentication, or a token not ours, changes nothing."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core import mail

from alerts import emails as alert_emails
from alerts.models import Alert, Subscription
from community.models import Follow
from portal import inbound as portal_inbound
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import UserFactory
from tests.portal.webhook_calls import ANYMAIL_SETTINGS, PROVIDERS, SENDER, inbound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhooks_configured(settings):
    settings.ANYMAIL = ANYMAIL_SETTINGS


def mailto_subject(message) -> str:
    """The subject of the `mailto:` link in a message's List-Unsubscribe, as a mail client sends it."""
    found = re.search(r"<mailto:[^?>]+\?subject=([^>]+)>", " ".join(message.extra_headers["List-Unsubscribe"].split()))
    return unquote(found.group(1))


def alert_email_for(subscription):
    today = datetime.date(2026, 11, 20)
    alert = Alert.objects.create(
        school=subscription.school, scope="school", kind="strep", iso_year=2026, iso_week=47,
        window_start=today - datetime.timedelta(days=2), window_end=today,
    )  # fmt: skip
    return alert_emails.alert_message(alert=alert, subscription=subscription)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_mail_to_an_alerts_mailto_address_unsubscribes_exactly_that_subscription(client, provider):
    school = SchoolFactory()
    subscription = SubscriptionFactory(email=SENDER, school=school)
    other_school = SubscriptionFactory(email=SENDER)  # the same address, another school
    subject = mailto_subject(alert_email_for(subscription))
    assert subject.startswith("unsubscribe ")

    assert inbound(client, provider, subject).status_code == 200

    subscription.refresh_from_db()
    other_school.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED and subscription.unsubscribed_at
    assert other_school.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_reply_keeps_working_when_the_client_adds_re(client, provider):
    subscription = SubscriptionFactory(email=SENDER)
    assert inbound(client, provider, "Re: " + mailto_subject(alert_email_for(subscription))).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


@pytest.mark.parametrize("provider", PROVIDERS)
def test_mail_to_a_reply_notifications_mailto_address_unfollows_that_thread_only(
    client, django_capture_on_commit_callbacks, provider
):
    follower = UserFactory(email=SENDER)
    thread = community_factories.thread(author=follower, title="Followed")
    other = community_factories.thread(author=follower, title="Also followed")
    with django_capture_on_commit_callbacks(execute=True):
        community_factories.replies(thread, 1)
    (notification,) = mail.outbox

    assert inbound(client, provider, mailto_subject(notification)).status_code == 200

    assert not Follow.objects.filter(user=follower, thread=thread).exists()
    assert Follow.objects.filter(user=follower, thread=other).exists()


@pytest.mark.parametrize("subject", ["unsubscribe not-a-token", "unsubscribe 12:forged:signature", "Hello", ""])
def test_a_subject_without_a_token_of_ours_changes_nothing(client, subject):
    subscription = SubscriptionFactory(email=SENDER)
    assert inbound(client, "postmark", subject).status_code == 200
    assert not portal_inbound.unsubscribe(subject)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrong_authentication_is_refused_and_changes_nothing(client, provider):
    subscription = SubscriptionFactory(email=SENDER)
    subject = mailto_subject(alert_email_for(subscription))

    assert inbound(client, provider, subject, auth=None).status_code in (400, 401, 403)
    assert inbound(client, provider, subject, auth="wrong:wrong").status_code in (400, 403)
    if provider == "mailgun":
        assert inbound(client, provider, subject, signing_key="forged").status_code in (400, 403)

    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_brevos_inbound_webhook_is_refused_until_its_api_key_is_set(client, settings):
    settings.ANYMAIL = {**ANYMAIL_SETTINGS, "BREVO_API_KEY": ""}  # anymail's view could not even start
    subscription = SubscriptionFactory(email=SENDER)
    assert inbound(client, "brevo", mailto_subject(alert_email_for(subscription))).status_code == 403
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
