"""Every email the site sends by itself says so (RFC 3834 `Auto-Submitted: auto-generated`, so
autoresponders stay quiet), has a Message-ID on the site's own domain (not the machine's host name),
and every list-like email (reply notifications, digests, alerts) carries List-Id and List-Unsubscribe,
with List-Unsubscribe-Post where one click unsubscribes (RFC 2369, 2919, 8058).
"""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from alerts import emails as alert_emails
from alerts import services as alert_services
from alerts.models import Digest
from community import emails as community_emails
from community.models import MemberSettings, Notification
from moderation import emails as moderation_emails
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "portal.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = f"https://{SITE}"


def headers(message) -> dict[str, str]:
    """The headers as they leave the server, unfolded."""
    return {name: " ".join(str(value).split()) for name, value in message.message().items()}


def assert_automatic(message):
    sent = headers(message)
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["Message-ID"].endswith(f"@{SITE}>"), sent["Message-ID"]


def replies_for(follower, *threads):
    author = UserFactory()
    for thread in threads:
        community_factories.replies(thread, 1, author=author)
    return list(Notification.objects.filter(recipient=follower).select_related("post__thread", "post__author"))


def test_a_reply_notification_names_its_list_and_unfollows_in_one_click():
    follower = UserFactory()
    thread = community_factories.thread(author=follower, title="Night waking")

    message = community_emails.reply_notification(follower, replies_for(follower, thread))

    assert_automatic(message)
    sent = headers(message)
    assert sent["List-Id"] == f"<replies.community.{SITE}>"
    assert sent["List-Unsubscribe"].startswith(f"<https://{SITE}/community/unfollow/")
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_reply_digest_over_several_threads_names_its_list_and_links_to_the_email_settings():
    follower = UserFactory()
    first = community_factories.thread(author=follower, title="First")
    second = community_factories.thread(author=follower, title="Second")

    message = community_emails.reply_notification(follower, replies_for(follower, first, second), digest=True)

    assert_automatic(message)
    sent = headers(message)
    assert sent["List-Id"] == f"<digest.community.{SITE}>"
    assert sent["List-Unsubscribe"] == f"<https://{SITE}{reverse('community:settings')}>"
    assert "List-Unsubscribe-Post" not in sent  # the settings page is not a one-click unsubscribe


def test_reply_emails_sent_by_the_service_carry_the_headers(django_capture_on_commit_callbacks):
    follower = UserFactory()
    MemberSettings.objects.update_or_create(user=follower, defaults={"emails": MemberSettings.Emails.EACH_REPLY})
    thread = community_factories.thread(author=follower, title="Sent for real")
    with django_capture_on_commit_callbacks(execute=True):
        community_factories.replies(thread, 1)

    (message,) = [m for m in mail.outbox if m.to == [follower.email]]

    assert_automatic(message)
    assert headers(message)["List-Id"] == f"<replies.community.{SITE}>"


def test_an_alert_and_an_alert_digest_are_list_emails_on_the_sites_domain():
    school = SchoolFactory()
    subscription = SubscriptionFactory(school=school)
    alert = alert_services.approve_report(report=ExposureReportFactory(school=school), moderator=ModeratorFactory())
    digest = Digest.objects.create(
        email=subscription.email,
        day=alert.created_at.date(),
        period_start=alert.created_at - datetime.timedelta(days=1),
        period_end=alert.created_at + datetime.timedelta(seconds=1),
    )

    for message in (
        alert_emails.alert_message(alert=alert, subscription=subscription),
        alert_emails.digest_message(digest=digest, items=[(subscription, [alert])]),
    ):
        assert_automatic(message)
        sent = headers(message)
        assert sent["List-Id"].endswith(f".{SITE}>")
        assert sent["List-Unsubscribe"].startswith(f"<https://{SITE}/alerts/unsubscribe/")
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_off_emails_are_marked_automatic_with_a_message_id_on_the_sites_domain():
    subscription = SubscriptionFactory()
    flagged = community_factories.thread().posts.get(is_opening=True)
    flagged.visibility = flagged.Visibility.HELD

    for message in (
        alert_emails.confirmation_message(subscription=subscription),
        alert_emails.already_subscribed_message(subscription=subscription),
        moderation_emails.post_decision(post=flagged),
    ):
        assert_automatic(message)


def test_the_signup_confirmation_email_is_marked_automatic_with_a_message_id_on_the_sites_domain(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.parent@example.org",
            "display_name": "Calm Otter",
            "password1": "a long demo passphrase 42",
            "password2": "a long demo passphrase 42",
            "agree_to_rules": "on",
        },
    )

    (message,) = mail.outbox
    assert message.to == ["new.parent@example.org"]
    assert_automatic(message)
    # allauth's subjects carry the brand of every other member email: one setting (portal.emails).
    assert settings.ACCOUNT_EMAIL_SUBJECT_PREFIX == settings.EMAIL_SUBJECT_PREFIX
    assert message.subject.startswith(settings.EMAIL_SUBJECT_PREFIX)
