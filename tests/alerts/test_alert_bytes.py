"""The fan-out's per-batch message template (alerts.services.alert_bytes): each recipient's bytes say
exactly what `alerts.emails.alert_message` would have built for them, in both languages; what the
template cannot carry safely is refused, and those messages are built one by one."""

import datetime
import email

import pytest
from django.core.mail.message import sanitize_address

from alerts import emails, tokens
from alerts.models import Alert, Subscription
from alerts.services import alert_bytes
from portal.emails import RenderedEmail
from tests.alerts.factories import SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

# Headers whose values differ between any two messages Django builds, whatever the content.
VARYING = {"Date"}


def make_alert(school) -> Alert:
    today = datetime.date(2026, 11, 20)
    return Alert.objects.create(
        school=school, scope="school", kind="strep", iso_year=2026, iso_week=47,
        window_start=today - datetime.timedelta(days=2), window_end=today,
    )  # fmt: skip


def parsed(data: bytes):
    message = email.message_from_bytes(data)
    boundary = message.get_boundary()  # random in every message Django builds
    headers = [
        (name, " ".join(str(value).replace(boundary, "BOUNDARY").split()))
        for name, value in message.items()
        if name not in VARYING
    ]
    parts = [
        (part.get_content_type(), part.get("Content-Transfer-Encoding"), part.get_payload(decode=True))
        for part in message.walk()
        if not part.is_multipart()
    ]
    return headers, parts


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("address", ["parent@example.net", "Parent.Name+alerts@Example.NET", "a_b-c@mail.example.org"])
def test_each_recipients_bytes_are_the_message_alert_message_builds_for_them(language, address):
    school = SchoolFactory(name="Escuela Piñón")
    subscription = SubscriptionFactory(school=school, email=address, language=language)
    alert = make_alert(school)

    template = alert_bytes.build(alert, language, {})
    assert template is not None
    data = template.message(subscription_id=subscription.pk, address=address)

    expected = emails.alert_message(alert=alert, subscription=subscription)
    assert parsed(data) == parsed(expected.message().as_bytes(linesep="\r\n"))
    token = tokens.unsubscribe_token(subscription)
    assert data.count(token.encode()) >= 3  # the links in both parts and List-Unsubscribe
    assert f"<alert-{alert.pk}.subscription-{subscription.pk}@".encode() in data
    assert str(alert_bytes.PLACEHOLDER_PK).encode() not in data and b"placeholder" not in data
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # as smtplib sends it
    assert template.sender == sanitize_address(expected.from_email, "utf-8").rpartition("<")[2].rstrip(">")
    assert sanitize_address(address, "utf-8") == address  # the envelope recipient goes as it is


def test_a_batch_in_two_languages_renders_each_once(django_assert_num_queries):
    school = SchoolFactory()
    alert = make_alert(school)
    rendered = {}
    english, spanish = alert_bytes.build(alert, "en", rendered), alert_bytes.build(alert, "es", rendered)
    assert set(rendered) == {(alert.pk, "en"), (alert.pk, "es")}
    assert english.pieces != spanish.pieces


def test_a_template_whose_parts_would_be_encoded_is_refused():
    school = SchoolFactory()
    alert = make_alert(school)
    long_line = "word " * 250  # over 998 characters: Django sends the text quoted-printable
    rendered = {(alert.pk, "en"): RenderedEmail("Alert", long_line + emails.TOKEN_PLACEHOLDER, "<p>html</p>")}
    assert alert_bytes.build(alert, "en", rendered) is None


@pytest.mark.parametrize(
    "address", ["josé@example.net", "parent@exämple.net", '"two words"@example.net', "a..b@example.net", "a@b@c"]
)
def test_addresses_django_would_rewrite_are_not_plain(address):
    assert not alert_bytes.plain_address(address)


def test_the_token_quoting_matches_urllib_for_signed_tokens():
    from urllib.parse import quote

    for pk in (1, 42, 10**9, alert_bytes.PLACEHOLDER_PK):
        token = tokens.unsubscribe_token(Subscription(pk=pk))
        assert alert_bytes.quote_token(token) == quote(token)


def test_a_batch_mixing_plain_and_other_addresses_sends_each_one_message(mail_server):
    from alerts import services

    school = SchoolFactory()
    plain = SubscriptionFactory(school=school, email="plain@example.net")
    international = SubscriptionFactory(school=school, email="parent@exämple.net", language="es")
    alert = make_alert(school)
    (batch,) = services.plan_alert(alert_id=alert.pk)

    result = services.send_deliveries(delivery_ids=batch)

    assert result.sent == 2 and not result.to_retry
    messages = mail_server.wait_for(2)
    assert sorted(m.recipients[0] for m in messages) == ["parent@xn--exmple-cua.net", "plain@example.net"]
    for message, subscription in ((mail_server.to("plain@example.net")[0], plain),
                                  (mail_server.to("parent@xn--exmple-cua.net")[0], international)):  # fmt: skip
        assert message.message["Message-ID"] == f"<alert-{alert.pk}.subscription-{subscription.pk}@testserver>"
        assert tokens.unsubscribe_token(subscription) in message.body("plain")
