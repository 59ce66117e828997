"""Done-when journey for the journal, on a phone-sized screen in headless Chromium: add a child with a
school → three check-ins → an alert for that school and grade is approved → the exposure appears →
an antibiotic course → the timeline shows it all → the PDF holds the onset, the exposure and the
course → a clinician link opens logged out, the parent sees the opening, a revoked link answers 404.
axe finds no violation of any impact on the journal's pages."""

import datetime
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from alerts import services as alerts_services
from alerts.models import School
from tests.alerts.factories import ExposureReportFactory, SchoolFactory
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def assert_no_axe_violations(page) -> None:
    """The journal's bar: no axe-core violation of any impact (the site's check stops at serious)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
    assert not violations, f"axe-core found violations on {page.url}:\n{report}"


def check_in(page, day: datetime.date, ratings: dict[str, str], note: str = "") -> None:
    page.get_by_role("link", name="Today's check-in").first.click()
    page.get_by_label("Day", exact=True).fill(day.isoformat())
    for group, value in ratings.items():
        page.get_by_role("group", name=group).get_by_label(value, exact=True).check()
    if note:
        page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Save the check-in").click()
    page.get_by_text(f"Check-in saved for {day:%-d %B %Y}.").wait_for()


def test_a_parents_journal_from_the_first_check_in_to_a_revoked_clinician_link(page, browser, live_server):
    SchoolFactory(name="Maplewood Elementary", slug="maplewood-elementary")
    parent = UserFactory(email="parent@example.org")
    today = timezone.localdate()
    onset = today - datetime.timedelta(days=20)
    page.set_viewport_size(PHONE)
    log_in(page, email=parent.email)

    # A child, by a label, with the school and grade.
    page.goto("/journal/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add a child").click()
    page.get_by_label("What you call this child here").fill("Our eldest")
    page.get_by_label("Date the symptoms began suddenly (onset)").fill(onset.isoformat())
    page.get_by_label("How fast did it come?").select_option("abrupt")
    page.get_by_label("Find the school").fill("Maplewood")
    page.get_by_role("button", name="Search schools").click()
    page.get_by_label("School", exact=True).select_option("maplewood-elementary")
    page.get_by_label("Grade").select_option("2")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add the child").click()
    page.get_by_role("heading", name="Our eldest").wait_for()
    child_url = page.url

    # Three check-ins on three days.
    check_in(page, onset, {"OCD (obsessions, compulsions)": "8", "Anxiety": "7", "Overall": "8"}, "Sudden rituals")
    check_in(page, today - datetime.timedelta(days=10), {"OCD (obsessions, compulsions)": "6", "Overall": "6"})
    page.get_by_role("link", name="Today's check-in").first.click()
    assert_no_axe_violations(page)
    page.go_back()
    check_in(page, today - datetime.timedelta(days=1), {"OCD (obsessions, compulsions)": "3", "Overall": "3"})

    # An alert for the school and grade is approved: the exposure appears, to confirm.
    start = today - datetime.timedelta(days=16)
    report = ExposureReportFactory(
        school=School.objects.get(slug="maplewood-elementary"),
        scope="grade",
        scope_label="2",
        window_start=start,
        window_end=start + datetime.timedelta(days=1),
    )
    alerts_services.approve_report(report=report, moderator=UserFactory(roles=[Role.MODERATOR]))
    page.goto(child_url)
    exposures = page.get_by_role("region", name="Exposures at school to check")
    assert exposures.locator("strong", has_text="Strep reported at Maplewood Elementary, Grade 2").is_visible()
    assert_no_axe_violations(page)
    exposures.get_by_role("button", name="Confirm the exposure").click()
    page.get_by_text("Exposure confirmed.").wait_for()

    # An antibiotic course.
    page.get_by_role("link", name="Add a treatment").click()
    page.get_by_label("Treatment", exact=True).select_option("antibiotic")
    page.get_by_label("Medicine or therapy").fill("Amoxicillin")
    page.get_by_label("First day").fill((today - datetime.timedelta(days=9)).isoformat())
    page.get_by_label("Last day").fill((today - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Dose").fill("500 mg twice a day")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save the treatment").click()
    page.get_by_text("Antibiotic course: Amoxicillin").first.wait_for()
    assert_no_axe_violations(page)

    # The timeline shows all of it.
    page.goto(child_url)
    page.get_by_role("link", name="Timeline").click()
    summary = page.get_by_test_id("timeline-summary")
    assert "3 check-ins" in summary.inner_text() and "1 exposure at school" in summary.inner_text()
    assert "1 treatment" in summary.inner_text()
    chart = page.locator("svg.journal-timeline")
    assert chart.locator("polyline").count() >= 2
    assert "Antibiotic course: Amoxicillin" in chart.inner_html() and "Strep reported at" in chart.inner_html()
    assert_no_axe_violations(page)

    # The PDF for the clinician.
    page.goto(child_url)
    page.get_by_role("link", name="Report for the clinician").click()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_test_id("report-pdf").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert f"{onset:%-d %B %Y}" in text
    assert "Strep reported at Maplewood Elementary, Grade 2" in text
    assert "Antibiotic course: Amoxicillin" in text

    # A link for the clinician, opened logged out, seen by the parent, then revoked.
    page.goto(child_url)
    page.get_by_role("link", name="Sharing").click()
    page.get_by_label("Who the link is for").fill("Dr Rivera")
    page.get_by_label("The link works for").select_option("14")
    page.get_by_role("button", name="Make the link").click()
    # The link as given (on SITE_URL); its path, on the test server.
    shared_url = urlsplit(page.get_by_label("The link to give").input_value()).path
    assert_no_axe_violations(page)
    clinician = browser.new_context(base_url=live_server.url)
    clinician_tab = clinician.new_page()
    response = clinician_tab.goto(shared_url)
    assert response.status == 200
    assert clinician_tab.get_by_role("heading", name="Symptom journal: summary for the clinician").is_visible()
    assert_no_axe_violations(clinician_tab)
    page.reload()
    assert "Opened 1 time:" in page.get_by_test_id("share-views").inner_text()
    page.get_by_role("button", name="Revoke this link").click()
    page.get_by_text("Link revoked").wait_for()
    assert clinician_tab.goto(shared_url).status == 404
    clinician.close()
