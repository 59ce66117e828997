"""What an alert email says: safe wording, red flags, the disclaimer, and honest labels for suspected cases."""

import datetime
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from alerts import services, tasks
from alerts.models import Alert, Delivery
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

# (language, disclaimer, red flags, "not confirmed" label, tests named, separate behaviour sentence)
WORDING = {
    "en": {
        "disclaimer": "information, not medical advice",
        "red_flags": ["drooling", "cannot swallow", "trouble breathing", "urgent care"],
        "not_confirmed": "not confirmed by a test",
        "tests": "a rapid test, a molecular test such as PCR, or a throat culture",
        "watch": "Watch for strep symptoms until",
        "behaviour": "in the following weeks, tell your child's clinician",
        "mixed": "the evidence is mixed",
    },
    "es": {
        "disclaimer": "información, no consejo médico",
        "red_flags": ["babea", "no puede tragar", "dificultad para respirar", "atención urgente"],
        "not_confirmed": "no confirmado por una prueba",
        "tests": "una prueba rápida, una prueba molecular como la PCR o un cultivo de garganta",
        "watch": "síntomas de estreptococo hasta el",
        "behaviour": "en las semanas siguientes, dígaselo a su médico",
        "mixed": "la evidencia es dispar",
    },
}


def subject(message) -> str:
    return " ".join(str(make_header(decode_header(message.subject))).split())


def approve(report, moderator, capture):
    with capture(execute=True):
        return services.approve_report(report=report, moderator=moderator)


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_alert_emails_carry_the_disclaimer_red_flags_tests_and_separate_behaviour_advice(
    language, mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(school=school, language=language)
    approve(ExposureReportFactory(school=school, kind="strep"), moderator, django_capture_on_commit_callbacks)
    (message,) = mail_server.wait_for(1)
    words = WORDING[language]
    for part in ("plain", "html"):
        body = normalised(message.body(part))
        assert words["disclaimer"] in body
        for flag in words["red_flags"]:
            assert flag in body
        assert words["tests"].lower() in body
        assert words["mixed"] in body and words["behaviour"].lower() in body
        # The watch window is about strep symptoms; behaviour change is its own sentence, not in that list.
        watch = body.index(words["watch"].lower())
        assert body.index(words["behaviour"].lower()) > watch
        assert words["not_confirmed"] not in body
    assert words["not_confirmed"] not in subject(message).lower()
    lines = message.body("plain").splitlines()
    start = next(i for i, line in enumerate(lines) if words["watch"] in line)
    watch_list = [line for line in lines[start + 1 :] if line.startswith("- ")][:4]
    assert len(watch_list) == 4 and not any("OCD" in line or "TOC" in line for line in watch_list)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_suspected_case_says_not_confirmed_by_a_test_in_subject_and_body(
    language, mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(school=school, language=language)
    approve(ExposureReportFactory(school=school, kind="suspected"), moderator, django_capture_on_commit_callbacks)
    (message,) = mail_server.wait_for(1)
    label = WORDING[language]["not_confirmed"]
    assert label in subject(message).lower()
    assert label in normalised(message.body("plain")) and label in normalised(message.body("html"))
    assert WORDING[language]["disclaimer"] in normalised(message.body("plain"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_daily_digest_carries_the_same_safety_wording(language, mail_server, moderator):
    school = SchoolFactory()
    SubscriptionFactory(school=school, language=language, delivery="digest")
    services.approve_report(report=ExposureReportFactory(school=school, kind="suspected"), moderator=moderator)
    tasks.send_daily_digests.delay()
    (message,) = mail_server.wait_for(1)
    words = WORDING[language]
    assert {"en": "not confirmed by a test", "es": "no confirmados por una prueba"}[language] in subject(
        message
    ).lower()
    for part in ("plain", "html"):
        body = normalised(message.body(part))
        assert words["disclaimer"] in body and words["not_confirmed"] in body and words["mixed"] in body
        assert all(flag in body for flag in words["red_flags"])


def test_a_confirmed_only_school_sends_no_suspected_alert_by_email_or_digest(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory(confirmed_cases_only=True)
    SubscriptionFactory(school=school, email="now@example.net")
    SubscriptionFactory(school=school, email="digest@example.net", delivery="digest")
    alert = approve(
        ExposureReportFactory(school=school, kind="suspected"), moderator, django_capture_on_commit_callbacks
    )
    services.plan_alert(alert_id=alert.pk)  # the sweeper planning it again changes nothing
    assert not Delivery.objects.filter(alert=alert).exists()
    alert.refresh_from_db()
    assert alert.planned_at is not None and alert.audience_size == 0
    tasks.send_daily_digests.delay()
    assert mail_server.messages == []


def test_a_confirmed_only_school_still_sends_confirmed_cases(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory(confirmed_cases_only=True)
    SubscriptionFactory(school=school)
    approve(ExposureReportFactory(school=school, kind="scarlet"), moderator, django_capture_on_commit_callbacks)
    assert len(mail_server.wait_for(1)) == 1


def test_a_test_confirming_the_weeks_suspected_case_sends_it_at_a_confirmed_only_school(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory(confirmed_cases_only=True)
    SubscriptionFactory(school=school)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    window = {"window_start": monday, "window_end": monday + datetime.timedelta(days=1)}
    alert = approve(
        ExposureReportFactory(school=school, kind="suspected", **window), moderator, django_capture_on_commit_callbacks
    )
    assert mail_server.messages == []
    approve(ExposureReportFactory(school=school, kind="strep", **window), moderator, django_capture_on_commit_callbacks)
    (message,) = mail_server.wait_for(1)
    assert "not confirmed" not in subject(message).lower()
    alert.refresh_from_db()
    assert alert.kind == "strep" and alert.audience_size == 1 and Alert.objects.count() == 1


def test_schools_that_did_not_choose_confirmed_only_send_suspected_cases(
    mail_server, moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    assert school.confirmed_cases_only is False
    SubscriptionFactory(school=school)
    approve(ExposureReportFactory(school=school, kind="suspected"), moderator, django_capture_on_commit_callbacks)
    assert len(mail_server.wait_for(1)) == 1


def test_the_alerts_page_calls_the_flare_link_uncertain(client):
    html = normalised(client.get("/alerts/").content.decode())
    assert "can mean a flare weeks later" not in html
    assert "may be followed by a flare in some children; the evidence is mixed" in html
    assert "not confirmed by a test" in html


def test_admins_set_a_school_to_confirmed_cases_only(admin_client):
    school = SchoolFactory()
    page = admin_client.get(f"/admin/alerts/school/{school.pk}/change/").content.decode()
    assert 'name="confirmed_cases_only"' in page and "Send confirmed cases only" in page
