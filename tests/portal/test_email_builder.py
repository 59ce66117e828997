"""portal.emails builds every message: one brand prefix from one setting, the language of the
recipient, and an alert batch that renders its templates once per language, not once per subscriber."""

import datetime
from urllib.parse import unquote

import pytest
from django.core import mail

from alerts import emails as alert_emails
from alerts import services as alert_services
from alerts import tokens
from articles import emails as article_emails
from community import emails as community_emails
from moderation import emails as moderation_emails
from moderation.models import ModerationAction
from portal import emails
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.community import factories as community_factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

BRAND = "[Test Brand] "


@pytest.fixture
def brand(settings):
    settings.EMAIL_SUBJECT_PREFIX = BRAND


def test_member_emails_of_every_app_take_the_brand_from_the_one_setting(brand):
    member = UserFactory()
    post = community_factories.thread(author=member, title="Night waking").posts.get(is_opening=True)
    post.visibility = post.Visibility.HELD
    entry = ModerationAction(action=ModerationAction.Action.MEMBER_UNSUSPEND, member=member)
    editor = UserFactory()

    built = [
        moderation_emails.post_decision(post=post),
        moderation_emails.member_decision(entry=entry),
        community_emails.story_reminder(community_factories.story(author=member), months=3),
        article_emails.review_due(to=editor.email, articles=[], today=datetime.date(2025, 3, 12)),
    ]

    for message in built:
        assert message.subject.startswith(BRAND), message.subject
        assert not message.subject.startswith(BRAND + "[PANDAS"), message.subject
    assert built[1].subject == f"{BRAND}Your suspension is lifted"


def test_subscriber_emails_are_not_branded_and_come_in_the_subscribers_language(brand):
    subscription = SubscriptionFactory(school=SchoolFactory(name="Escuela Cervantes"), language="es")

    message = alert_emails.confirmation_message(subscription=subscription)

    assert message.subject == "Confirme las alertas de estreptococo de Escuela Cervantes"
    assert 'lang="es"' in message.alternatives[0][0]


def test_a_subject_template_is_rendered_on_one_line_without_html_escaping():
    rendered = emails.render_email(
        template="alerts/email/en/confirm",
        context={"school": SchoolFactory.build(name="St. Mary's <Annex>"), "confirm_url": "x", "days": 7},
        branded=False,
    )
    assert rendered.subject == "Confirm strep-exposure alerts for St. Mary's <Annex>"
    assert "St. Mary's <Annex>" in rendered.text and "St. Mary&#x27;s &lt;Annex&gt;" in rendered.html


def test_list_headers_offer_one_click_and_a_mailto_on_the_sites_domain(settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.DEFAULT_FROM_EMAIL = "Alerts <alerts@portal.example.org>"

    headers = emails.list_headers(
        name="demo.alerts", unsubscribe_url="https://portal.example.org/stop/", mailto_subject="unsubscribe a:b"
    )
    settings_only = emails.list_headers(
        name="replies.community", unsubscribe_url="https://x/settings/", one_click=False
    )

    assert headers == {
        "List-Unsubscribe": "<https://portal.example.org/stop/>, "
        "<mailto:alerts@portal.example.org?subject=unsubscribe%20a%3Ab>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": "<demo.alerts.portal.example.org>",
    }
    assert settings_only == {
        "List-Unsubscribe": "<https://x/settings/>",
        "List-Id": "<replies.community.portal.example.org>",
    }
    assert emails.message_id("digest-4") == "<digest-4@portal.example.org>"
    assert emails.automatic_headers({"Message-ID": "<fixed@x>"})["Message-ID"] == "<fixed@x>"


def test_an_alert_batch_renders_once_per_language_and_each_message_has_its_own_links(
    monkeypatch, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    subscriptions = [
        SubscriptionFactory(school=school, language=language) for language in ["en", "es", "en", "es", "en"]
    ]
    with django_capture_on_commit_callbacks(execute=False):
        alert = alert_services.approve_report(report=ExposureReportFactory(school=school), moderator=ModeratorFactory())
    renders = []
    real_render = alert_emails.render_email
    monkeypatch.setattr(alert_emails, "render_email", lambda **kw: renders.append(kw["language"]) or real_render(**kw))
    (batch,) = alert_services.plan_alert(alert_id=alert.pk)

    alert_services.send_deliveries(delivery_ids=batch)

    assert sorted(renders) == ["en", "es"]
    sent = {message.to[0]: message for message in mail.outbox}
    assert len(sent) == len(subscriptions)
    for subscription in subscriptions:
        token = tokens.unsubscribe_token(subscription)
        message = sent[subscription.email]
        assert (
            f"/alerts/unsubscribe/{token}/" in message.body and f"/alerts/manage/{token}/" in message.alternatives[0][0]
        )
        assert alert_emails.TOKEN_PLACEHOLDER not in message.body + message.alternatives[0][0]
        assert unquote(message.extra_headers["List-Unsubscribe"]).endswith(f"subject=unsubscribe {token}>")
