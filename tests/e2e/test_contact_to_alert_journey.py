"""A school nurse becomes the school's verified contact and her report reaches the right families, in
headless Chromium against the live server, a real Celery worker on Redis and the real SMTP server:
request at /alerts/contact/ → the moderators are told → a moderator (two-factor) verifies her in the
queue → she is told by email → her report publishes at once → the alert reaches the confirmed
subscriber of that school and grade, and nobody else."""

import pytest

from alerts.models import Alert, ExposureReport, SchoolContact
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.alerts.worker_process import wait_until
from tests.e2e.conftest import decide, log_in, report_exposure
from tests.factories import UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

NURSE = "nurse@maplewood.k12.example.org"
MODERATOR = "mod@example.org"  # the moderator_page fixture's account, with two-factor


def test_a_nurse_is_verified_in_the_queue_and_her_report_alerts_that_grade(
    page, moderator_page, live_server, mail_server, celery_worker
):
    school = SchoolFactory(
        name="Maplewood Elementary",
        slug="maplewood-elementary",
        city="Riverbend",
        email_domain="maplewood.k12.example.org",
    )
    grade_three = SubscriptionFactory(school=school, email="grade3@example.net", grade="3")
    grade_five = SubscriptionFactory(school=school, email="grade5@example.net", grade="5")
    elsewhere = SubscriptionFactory(school=SchoolFactory(name="Cedar Hill Middle"), email="cedar@example.net")
    UserFactory(email=NURSE, display_name="Nurse Wren")

    # The nurse asks to speak for the school.
    log_in(page, email=NURSE)
    page.get_by_test_id("display-name").wait_for()
    page.goto("/alerts/contact/")
    assert_accessible(page)
    page.get_by_label("Find the school").fill("Maplewood")
    page.get_by_label("School", exact=True).select_option("maplewood-elementary")
    page.get_by_label("Your role at the school").fill("School nurse")
    page.get_by_role("button", name="Ask to be verified").click()
    page.get_by_role("heading", name="My alerts", level=1).wait_for()
    assert page.get_by_text("Maplewood Elementary: requested").is_visible()

    # The moderators hear that a request waits; the queue shows it with the address's domain.
    wait_until(lambda: len(mail_server.to(MODERATOR)) == 1, timeout=60)
    assert "school contact request waits" in mail_server.to(MODERATOR)[0].subject
    moderator_page.goto("/moderation/")
    item = moderator_page.locator(
        ".queue-item", has=moderator_page.get_by_role("heading", name="School contact request: Maplewood Elementary")
    )
    assert item.get_by_test_id("contact-domain").inner_text().endswith("matches")
    assert_accessible(moderator_page)
    decide(moderator_page, "School contact request: Maplewood Elementary", "Verify this contact")
    moderator_page.get_by_text("Verified: their reports for Maplewood Elementary now publish at once.").wait_for()
    assert SchoolContact.objects.get(user__email=NURSE).status == SchoolContact.Status.VERIFIED

    # She is told by email.
    wait_until(lambda: len(mail_server.to(NURSE)) == 1, timeout=60)
    verified = mail_server.to(NURSE)[0]
    assert (
        " ".join(verified.subject.split())
        == "PANDAS Parent Network: you are a verified contact for Maplewood Elementary"
    )
    assert "go to its subscribers at once" in " ".join(verified.body().split())

    # Her report of a strep case in grade 3 publishes without review.
    report_exposure(page, days_ago=2)
    assert page.get_by_text("your report is published: subscribers are being alerted now").is_visible()
    report = ExposureReport.objects.get()
    assert report.by_verified_contact and report.status == ExposureReport.Status.APPROVED

    wait_until(lambda: len(mail_server.to(grade_three.email)) == 1, timeout=60)
    alert_mail = mail_server.to(grade_three.email)[0]
    assert " ".join(alert_mail.subject.split()).startswith("Strep exposure at Maplewood Elementary")
    assert "Who was exposed: Grade 3" in alert_mail.body()
    assert "Nurse Wren" not in alert_mail.body() and NURSE not in alert_mail.body()  # never the reporter
    alert = Alert.objects.get()
    wait_until(lambda: alert.deliveries.filter(status="sent").count() == 1, timeout=30)
    assert alert.audience_size == 1
    assert mail_server.to(grade_five.email) == [] and mail_server.to(elsewhere.email) == []
