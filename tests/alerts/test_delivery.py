"""Fan-out against the real SMTP server (tasks eager unless a test starts a worker)."""

import datetime
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from alerts import services, tasks, tokens
from alerts.models import Alert, Delivery, Subscription
from moderation.models import ModerationAction
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def header(message, name: str) -> str:
    """A header unfolded (long headers are folded over lines on the wire)."""
    return " ".join(str(message.message[name]).split())


def approve(report, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.approve_report(report=report, moderator=moderator)


def test_approval_sends_each_confirmed_subscriber_one_alert_with_list_headers(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory(name="Maplewood Elementary", return_rule="12h")
    active = SubscriptionFactory.create_batch(3, school=school)
    SubscriptionFactory(school=school, status=Subscription.Status.PENDING, email="pending@example.net")
    SubscriptionFactory(school=school, status=Subscription.Status.UNSUBSCRIBED, email="gone@example.net")
    SubscriptionFactory(email="other-school@example.net")
    report = ExposureReportFactory(school=school, note_to_moderators="SECRET NOTE about Jamie")

    alert = approve(report, moderator, django_capture_on_commit_callbacks)

    messages = mail_server.wait_for(3)
    assert sorted(m.recipients[0] for m in messages) == sorted(s.email for s in active)
    message = messages[0]
    sub = Subscription.objects.get(email=message.recipients[0])
    assert header(message, "List-Unsubscribe").startswith("<http://testserver/alerts/unsubscribe/")
    assert "mailto:" in header(message, "List-Unsubscribe")
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message["List-Id"] == f"<{school.slug}.alerts.testserver>"
    assert message.message["Message-ID"] == f"<alert-{alert.pk}.subscription-{sub.pk}@testserver>"
    token = tokens.unsubscribe_token(sub)
    text, html = message.body("plain"), message.body("html")
    watch_until = report.window_end + datetime.timedelta(days=5)
    for body in (text, html):
        assert "Maplewood Elementary" in body
        assert watch_until.strftime("%-d %B %Y") in body
        assert "12 hours on antibiotics and fever-free" in body
        assert "contact your clinician" in body
        assert "http://testserver/articles/strep-at-school-after-an-exposure/" in body
        assert "http://testserver/articles/what-are-pandas-and-pans/" in body
        assert f"http://testserver/alerts/unsubscribe/{token}/" in body
        assert f"http://testserver/alerts/manage/{token}/" in body
        assert "SECRET NOTE" not in body and "Jamie" not in body
        assert report.reporter.display_name not in body and report.reporter.email not in body
    assert Delivery.objects.filter(alert=alert, status="sent").count() == 3
    alert.refresh_from_db()
    assert alert.audience_size == 3 and alert.planned_at is not None
    assert ModerationAction.objects.filter(action="report.approve", actor=moderator).count() == 1


def test_spanish_subscriber_gets_the_alert_in_spanish(mail_server, moderator, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    SubscriptionFactory(school=school, language="es")
    approve(ExposureReportFactory(school=school, kind="scarlet"), moderator, django_capture_on_commit_callbacks)
    (message,) = mail_server.wait_for(1)
    assert str(make_header(decode_header(message.subject))).startswith("Exposición a estreptococo en")
    assert "escarlatina" in message.body("plain")
    assert "Vigile los síntomas de estreptococo hasta el" in message.body("html")
    assert "consulte a su médico" in message.body("plain")


def test_fan_out_run_twice_creates_and_sends_nothing_more(mail_server, moderator, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    SubscriptionFactory.create_batch(5, school=school)
    alert = approve(ExposureReportFactory(school=school), moderator, django_capture_on_commit_callbacks)
    mail_server.wait_for(5)
    tasks.plan_alert.delay(alert.pk)
    batch = list(Delivery.objects.values_list("pk", flat=True))
    tasks.send_deliveries.delay(batch)
    assert Delivery.objects.count() == 5
    assert len(mail_server.messages) == 5


def test_451_is_retried_and_delivered(mail_server, moderator, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    SubscriptionFactory(school=school, email="busy@example.net")
    SubscriptionFactory(school=school, email="fine@example.net")
    mail_server.refuse("busy@example.net", code=451, times=2)
    alert = approve(ExposureReportFactory(school=school), moderator, django_capture_on_commit_callbacks)
    mail_server.wait_for(2)
    assert len(mail_server.to("busy@example.net")) == 1
    assert len(mail_server.to("fine@example.net")) == 1
    busy = Delivery.objects.get(alert=alert, subscription__email="busy@example.net")
    assert (busy.status, busy.attempts, busy.last_error_code) == ("sent", 3, "")


def test_550_suppresses_the_subscription_and_nothing_more_goes_to_it(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    gone = SubscriptionFactory(school=school, email="nobody@example.net")
    SubscriptionFactory(school=school, email="fine@example.net")
    mail_server.refuse("nobody@example.net", code=550)
    first = approve(ExposureReportFactory(school=school), moderator, django_capture_on_commit_callbacks)
    mail_server.wait_for(1)
    delivery = Delivery.objects.get(alert=first, subscription=gone)
    assert (delivery.status, delivery.attempts, delivery.last_error_code) == ("suppressed", 1, "550")
    gone.refresh_from_db()
    assert gone.status == Subscription.Status.SUPPRESSED and gone.suppressed_at

    next_week = ExposureReportFactory(
        school=school,
        window_start=timezone.localdate() - datetime.timedelta(days=10),
        window_end=timezone.localdate() - datetime.timedelta(days=9),
    )
    second = approve(next_week, moderator, django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    mail_server.wait_for(2)
    assert not Delivery.objects.filter(alert=second, subscription=gone).exists()
    assert len(mail_server.to("fine@example.net")) == 2


def test_same_school_scope_and_week_make_one_alert_with_a_count(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(school=school)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    first = ExposureReportFactory(school=school, window_start=monday, window_end=monday + datetime.timedelta(days=1))
    second = ExposureReportFactory(
        school=school, window_start=monday + datetime.timedelta(days=2), window_end=monday + datetime.timedelta(days=4)
    )
    alert = approve(first, moderator, django_capture_on_commit_callbacks)
    assert approve(second, moderator, django_capture_on_commit_callbacks).pk == alert.pk
    alert.refresh_from_db()
    assert alert.report_count == 2
    assert (alert.window_start, alert.window_end) == (monday, monday + datetime.timedelta(days=4))
    assert Alert.objects.count() == 1
    assert len(mail_server.messages) == 1


def test_grade_alert_reaches_that_grade_and_whole_school_subscribers_only(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(school=school, grade="3", email="grade3@example.net")
    SubscriptionFactory(school=school, grade="", email="whole@example.net")
    SubscriptionFactory(school=school, grade="5", email="grade5@example.net")
    approve(
        ExposureReportFactory(school=school, scope="grade", scope_label="3"),
        moderator,
        django_capture_on_commit_callbacks,
    )
    assert sorted(m.recipients[0] for m in mail_server.wait_for(2)) == ["grade3@example.net", "whole@example.net"]


def test_sweeper_sends_deliveries_left_pending(mail_server, moderator):
    school = SchoolFactory()
    SubscriptionFactory.create_batch(3, school=school)
    report = ExposureReportFactory(school=school)
    # No on-commit callbacks run: as if the publish after the approval had been lost.
    alert = services.approve_report(report=report, moderator=moderator)
    assert not mail_server.messages
    assert services.sweep().alerts == 0  # too young: a task may still be on its way
    result = services.sweep(older_than=datetime.timedelta(0))
    assert result.alerts == 1
    mail_server.wait_for(3)
    assert Delivery.objects.filter(alert=alert, status="sent").count() == 3
    assert services.sweep(older_than=datetime.timedelta(0)).deliveries == 0


def test_smtp_refusing_connections_leaves_deliveries_pending_until_it_recovers(settings, moderator):
    from tests.support.smtp import MailServer, free_port

    school = SchoolFactory()
    SubscriptionFactory.create_batch(3, school=school)
    alert = services.approve_report(report=ExposureReportFactory(school=school), moderator=moderator)
    (batch,) = services.plan_alert(alert_id=alert.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with pytest.raises(OSError):  # the task's autoretry_for catches this and backs off
        services.send_deliveries(delivery_ids=batch)
    assert Delivery.objects.filter(alert=alert, status="pending").count() == 3

    server = MailServer().start()  # the mail server is back
    try:
        settings.EMAIL_PORT = server.port
        assert services.sweep(older_than=datetime.timedelta(0)).deliveries == 3
        assert len(server.wait_for(3)) == 3
    finally:
        server.stop()
    assert Delivery.objects.filter(alert=alert, status="sent").count() == 3


def test_logs_name_ids_and_outcomes_never_addresses(mail_server, moderator, caplog, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    SubscriptionFactory(school=school, email="private.parent@example.net")
    mail_server.refuse("private.parent@example.net", code=550)
    with caplog.at_level("DEBUG", logger="alerts"):
        approve(ExposureReportFactory(school=school), moderator, django_capture_on_commit_callbacks)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("alerts", "celery")))
    assert "suppressed 550" in ours
    assert "private.parent" not in ours


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_school_name_with_an_apostrophe_arrives_as_written(language):
    import datetime

    from alerts import emails
    from alerts.models import Alert
    from tests.alerts.factories import SchoolFactory, SubscriptionFactory

    school = SchoolFactory(name="St. Mary's School")
    today = datetime.date(2026, 11, 20)
    alert = Alert.objects.create(
        school=school, scope="school", kind="strep", iso_year=2026, iso_week=47,
        window_start=today - datetime.timedelta(days=2), window_end=today,
    )  # fmt: skip
    message = emails.alert_message(alert=alert, subscription=SubscriptionFactory(school=school, language=language))
    assert "St. Mary's School" in message.subject
    assert "St. Mary's School" in message.body and "&#x27;" not in message.subject + message.body
