"""Reporting an exposure: the form, its refusals, verified contacts' reports, and privacy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Alert, ExposureReport, SchoolContact
from moderation.models import ModerationAction
from tests.alerts.factories import SchoolContactFactory, SchoolFactory, SubscriptionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def report_form(for_school, **overrides):
    return {
        "school": for_school.slug,
        "kind": "strep",
        "scope": "school",
        "grade": "",
        "classroom": "",
        "window_start": (TODAY() - datetime.timedelta(days=4)).isoformat(),
        "window_end": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "note_to_moderators": "",
        **overrides,
    }


def post_report(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("alerts:report"), data)


def test_report_page_needs_login_and_says_what_never_to_write(client):
    assert client.get(reverse("alerts:report")).status_code == 302
    client.force_login(UserFactory())
    html = client.get(reverse("alerts:report")).content.decode()
    assert "Never write a child&#x27;s name, initials, age" in html
    assert "never emailed" in html


def test_member_report_waits_for_a_moderator_and_nothing_is_sent(
    client, mail_server, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(school=school)
    client.force_login(UserFactory())
    response = post_report(
        client, report_form(school, note_to_moderators="my neighbour's kid"), django_capture_on_commit_callbacks
    )
    report = ExposureReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("alerts:report_sent", args=[report.pk])
    assert report.status == ExposureReport.Status.PENDING and not report.by_verified_contact
    assert list(ExposureReport.objects.awaiting_review()) == [report]
    assert not Alert.objects.exists()
    assert b"A moderator will check" in client.get(response["Location"]).content
    assert mail_server.messages == []


def test_verified_contact_report_publishes_at_once_and_other_contacts_hear_of_every_report(
    client, mail_server, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    subscriber = SubscriptionFactory(school=school, email="family@example.net")
    reporter = SchoolContactFactory(school=school).user
    colleague = SchoolContactFactory(school=school, user=UserFactory(email="nurse2@example.org")).user
    SchoolContactFactory(
        school=school, status=SchoolContact.Status.REQUESTED, user=UserFactory(email="unverified@example.org")
    )
    client.force_login(reporter)
    post_report(client, report_form(school, note_to_moderators="PRIVATE NOTE"), django_capture_on_commit_callbacks)

    report = ExposureReport.objects.get()
    assert report.status == ExposureReport.Status.APPROVED and report.by_verified_contact
    assert report.alert is not None
    assert ModerationAction.objects.get(action="report.approve").actor is None
    messages = mail_server.wait_for(2)
    assert {m.recipients[0] for m in messages} == {subscriber.email, colleague.email}
    for message in messages:
        assert "PRIVATE NOTE" not in message.body() and reporter.display_name not in message.body()

    # A member's report, still under review, reaches the verified contacts but no subscriber.
    client.force_login(UserFactory())
    post_report(client, report_form(school, kind="suspected"), django_capture_on_commit_callbacks)
    mail_server.wait_for(4)
    assert {m.recipients[0] for m in mail_server.messages[2:]} == {reporter.email, colleague.email}
    assert "under review" in mail_server.messages[-1].subject
    assert len(mail_server.to("family@example.net")) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"window_end": (TODAY() + datetime.timedelta(days=1)).isoformat()}, "window_end", "cannot end in the future"),
        (
            {
                "window_start": (TODAY() + datetime.timedelta(days=1)).isoformat(),
                "window_end": (TODAY() + datetime.timedelta(days=2)).isoformat(),
            },
            "window_start",
            "cannot start in the future",
        ),
        ({"window_start": (TODAY() - datetime.timedelta(days=20)).isoformat()}, "window_end", "at most 14 days"),
        (
            {"window_start": TODAY().isoformat(), "window_end": (TODAY() - datetime.timedelta(days=3)).isoformat()},
            "window_end",
            "on or after the first day",
        ),
        ({"scope": "classroom", "classroom": "Room 12"}, "scope", "has not allowed classroom-level alerts"),
        ({"scope": "grade"}, "grade", "Say which grade or classroom"),
        ({"school": "no-such-school"}, "school", "We do not know that school"),
    ],
)
def test_bad_reports_are_refused_with_a_message_and_keep_the_input(client, overrides, field, message):
    school = SchoolFactory()
    client.force_login(UserFactory())
    data = report_form(school, note_to_moderators="kept text", **overrides)
    response = client.post(reverse("alerts:report"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html and message in html
    assert "kept text" in html
    assert not ExposureReport.objects.exists()


def test_classroom_scope_when_the_school_allows_it(client, django_capture_on_commit_callbacks):
    school = SchoolFactory(allow_classroom_scope=True, classroom_labels="Room 12\nRoom 14")
    client.force_login(UserFactory())
    post_report(client, report_form(school, scope="classroom", classroom="room 12"), django_capture_on_commit_callbacks)
    report = ExposureReport.objects.get()
    assert (report.scope, report.scope_label) == ("classroom", "Room 12")  # as the school spells it


def test_a_classroom_the_school_does_not_list_is_refused_and_the_input_kept(client):
    school = SchoolFactory(allow_classroom_scope=True, classroom_labels="Room 12\nRoom 14")
    client.force_login(UserFactory())
    data = report_form(school, scope="classroom", classroom="Mrs Smith's class")
    html = client.post(reverse("alerts:report"), data).content.decode()
    assert "Choose one of the school&#x27;s classrooms: Room 12, Room 14." in html
    assert "Mrs Smith&#x27;s class" in html
    assert not ExposureReport.objects.exists()


def test_a_school_without_a_classroom_list_takes_no_classroom_reports(client):
    school = SchoolFactory(allow_classroom_scope=True)
    client.force_login(UserFactory())
    html = client.post(reverse("alerts:report"), report_form(school, scope="classroom", classroom="Room 12")).content
    assert "This school has not listed its classrooms yet" in html.decode()
    assert not ExposureReport.objects.exists()


def test_services_refuse_what_the_form_refuses():
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied, ValidationError

    school = SchoolFactory()
    with pytest.raises(ValidationError):
        services.submit_report(
            reporter=UserFactory(),
            school=school,
            kind="strep",
            window_start=TODAY() - datetime.timedelta(days=30),
            window_end=TODAY(),
        )
    with pytest.raises(PermissionDenied):
        services.submit_report(
            reporter=AnonymousUser(), school=school, kind="strep", window_start=TODAY(), window_end=TODAY()
        )


@pytest.mark.django_db
def test_a_classroom_label_of_only_spaces_is_refused():
    from django.core.exceptions import ValidationError

    from alerts import services
    from tests.alerts.factories import SchoolFactory, last_week
    from tests.factories import UserFactory

    start, end = last_week()
    with pytest.raises(ValidationError):
        services.submit_report(
            reporter=UserFactory(), school=SchoolFactory(allow_classroom_scope=True), kind="strep",
            window_start=start, window_end=end, scope="grade", scope_label="   ",
        )  # fmt: skip
