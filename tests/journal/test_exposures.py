"""An alert that goes out for a school and grade becomes an exposure in the journal of each child there."""

import datetime
import time

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from alerts import services as alerts_services
from alerts.models import Alert, Delivery, ExposureReport
from journal import events, services
from journal.models import Event, ExposureScan
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.factories import UserFactory
from tests.journal import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(roles=[Role.MODERATOR])


@pytest.fixture
def maplewood():
    return SchoolFactory(name="Maplewood Elementary")


def child_at(school, grade="", label="A child"):
    child = factories.child(label=label)
    services.add_school(user=factories.owner_of(child), child=child, school=school, grade=grade)
    return child


def approve(report, moderator, django_capture_on_commit_callbacks) -> Alert:
    with django_capture_on_commit_callbacks(execute=True):
        return alerts_services.approve_report(report=report, moderator=moderator)


def exposures(child) -> list[Event]:
    return [event for event in Event.objects.filter(child=child) if event.category == "exposure"]


def test_a_grade_alert_reaches_the_children_of_that_grade_and_those_whose_grade_is_not_given(
    maplewood, moderator, django_capture_on_commit_callbacks
):
    second, no_grade = child_at(maplewood, "2"), child_at(maplewood, "")
    fourth, elsewhere = child_at(maplewood, "4"), child_at(SchoolFactory(), "2")
    start = datetime.date(2026, 11, 25)
    report = ExposureReportFactory(
        school=maplewood, scope="grade", scope_label="2", window_start=start, window_end=start + datetime.timedelta(1)
    )

    approve(report, moderator, django_capture_on_commit_callbacks)

    [exposure] = exposures(second)
    assert events.title(exposure) == "Strep reported at Maplewood Elementary, Grade 2, week of 23 November 2026"
    assert exposure.date == start and exposure.details["status"] == "pending"
    assert len(exposures(no_grade)) == 1
    assert exposures(fourth) == [] and exposures(elsewhere) == []


def test_a_whole_school_alert_reaches_every_child_at_the_school(
    maplewood, moderator, django_capture_on_commit_callbacks
):
    children = [child_at(maplewood, grade) for grade in ("K", "3", "")]

    approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)

    assert [len(exposures(child)) for child in children] == [1, 1, 1]


def test_an_alert_is_recorded_once_however_often_the_task_runs(
    maplewood, moderator, django_capture_on_commit_callbacks
):
    child = child_at(maplewood)
    alert = approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)

    assert services.record_exposures(alert_id=alert.pk) == 0
    assert len(exposures(child)) == 1 and ExposureScan.objects.filter(alert=alert).count() == 1


def test_a_second_report_of_the_same_week_adds_no_second_exposure(
    maplewood, moderator, django_capture_on_commit_callbacks
):
    child = child_at(maplewood)
    approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)
    approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)

    assert len(exposures(child)) == 1


def test_a_suspected_case_held_back_by_the_school_becomes_an_exposure_once_confirmed(
    moderator, django_capture_on_commit_callbacks
):
    school = SchoolFactory(confirmed_cases_only=True)
    child = child_at(school)
    approve(ExposureReportFactory(school=school, kind="suspected"), moderator, django_capture_on_commit_callbacks)
    assert exposures(child) == []

    approve(ExposureReportFactory(school=school, kind="strep"), moderator, django_capture_on_commit_callbacks)

    [exposure] = exposures(child)
    assert events.title(exposure).startswith("Strep reported at")


def test_nothing_about_the_children_reaches_the_alert_or_its_subscribers(
    maplewood, moderator, django_capture_on_commit_callbacks
):
    for _ in range(3):
        child_at(maplewood)
    SubscriptionFactory(school=maplewood)

    alert = approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)

    alert.refresh_from_db()
    assert alert.audience_size == 1 and Delivery.objects.filter(alert=alert).count() == 1
    assert Event.objects.count() == 3


def test_children_whose_school_was_saved_under_the_previous_key_are_still_found(
    maplewood, moderator, django_capture_on_commit_callbacks, settings
):
    child = child_at(maplewood, "2")
    settings.JOURNAL_KEYS = [Fernet.generate_key().decode(), settings.JOURNAL_KEYS[0]]  # a new key, not yet rotated

    approve(
        ExposureReportFactory(school=maplewood, scope="grade", scope_label="2"),
        moderator,
        django_capture_on_commit_callbacks,
    )

    assert len(exposures(child)) == 1


def test_the_sweeper_records_an_alert_whose_task_was_lost(maplewood):
    child = child_at(maplewood)
    report = ExposureReportFactory(school=maplewood)
    # Approved without running the on-commit publish (as if the broker had been down).
    alerts_services.approve_report(report=report, moderator=UserFactory(roles=[Role.MODERATOR]))
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))

    assert services.sweep_exposures() == 1
    assert len(exposures(child)) == 1
    assert services.sweep_exposures() == 0


def test_the_parent_confirms_or_dismisses_an_exposure(client, maplewood, moderator, django_capture_on_commit_callbacks):
    child = child_at(maplewood, label="Our eldest")
    approve(ExposureReportFactory(school=maplewood), moderator, django_capture_on_commit_callbacks)
    [exposure] = exposures(child)
    client.force_login(factories.owner_of(child))
    child_page = reverse("journal:child", args=[child.pk])
    assert "Exposures at school to check" in client.get(child_page).content.decode()
    assert "1 exposure at school to check" in client.get(reverse("journal:home")).content.decode()

    client.post(reverse("journal:exposure", args=[child.pk, exposure.pk]), {"status": "confirmed"})

    exposure.refresh_from_db()
    assert exposure.details["status"] == "confirmed"
    html = client.get(child_page).content.decode()
    assert "Exposures at school to check" not in html and "Confirmed: my child was there" in html
    assert "exposure at school to check" not in client.get(reverse("journal:home")).content.decode()

    client.post(reverse("journal:exposure", args=[child.pk, exposure.pk]), {"status": "dismissed", "next": "events"})
    exposure.refresh_from_db()
    assert exposure.details["status"] == "dismissed"


def test_only_an_exposure_can_be_confirmed(client):
    child = factories.child()
    owner = factories.owner_of(child)
    appointment = services.add_event(
        user=owner, child=child, category="appointment", date=factories.days_ago(1), details={}
    )
    client.force_login(owner)

    response = client.post(reverse("journal:exposure", args=[child.pk, appointment.pk]), {"status": "confirmed"})

    assert response.status_code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_a_real_worker_the_alerts_publish_reaches_the_journals_task(celery_worker):
    school = SchoolFactory()
    child = child_at(school)
    alerts_services.approve_report(
        report=ExposureReportFactory(school=school), moderator=UserFactory(roles=[Role.MODERATOR])
    )  # commits; on commit publishes journal.tasks.record_exposures by name

    deadline = time.monotonic() + 20
    while not exposures(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(exposures(child)) == 1
    assert ExposureReport.objects.get().status == "approved"
