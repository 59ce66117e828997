"""Done-when journey, in headless Chromium against the live server, a real Celery worker on Redis
and the real SMTP server: subscribe → confirm → a verified contact reports → the alert arrives
with the list headers → one-click unsubscribe (no cookie) → nothing more reaches that address."""

import re
import urllib.request

import pytest

from alerts.models import Alert, Subscription
from tests.alerts.factories import SchoolContactFactory, SchoolFactory, SubscriptionFactory
from tests.alerts.worker_process import wait_until
from tests.e2e.conftest import report_exposure
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SUBSCRIBER = "family@example.net"


def log_in(page, *, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("display-name").wait_for()


def header(message, name):
    return " ".join(str(message.message[name]).split())


def test_subscribe_confirm_alert_and_one_click_unsubscribe(page, live_server, mail_server, celery_worker):
    school = SchoolFactory(name="Maplewood Elementary", slug="maplewood-elementary", city="Riverbend")
    SchoolFactory(name="Cedar Hill Middle", slug="cedar-hill")
    witness = SubscriptionFactory(school=school, email="witness@example.net")
    contact = SchoolContactFactory(school=school).user

    page.goto("/")
    page.get_by_label("Your child's school").fill("maple")
    page.get_by_role("button", name="Find the school and subscribe").click()
    assert_accessible(page)
    page.get_by_label("Email address").fill(SUBSCRIBER)
    # Search as you type (JS) narrows the list.
    page.get_by_label("Find the school").fill("Riverb")
    page.wait_for_function("document.querySelectorAll('#id_school option').length === 2")
    page.get_by_label("School", exact=True).select_option("maplewood-elementary")
    page.get_by_label("You are").select_option("parent")
    page.get_by_label("Send alerts").select_option("immediate")
    page.get_by_label("Language of the emails").select_option("en")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    page.get_by_role("heading", name="Check your email").wait_for()

    (confirmation,) = mail_server.wait_for(1, timeout=60)
    assert confirmation.recipients == [SUBSCRIBER]
    link = re.search(r"http://testserver(/alerts/confirm/\S+/)", confirmation.body()).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    page.get_by_role("heading", name="Your alerts are on").wait_for()
    assert Subscription.objects.get(email=SUBSCRIBER).status == "active"

    log_in(page, email=contact.email)
    page.goto("/alerts/report/")
    assert_accessible(page)
    report_exposure(page, days_ago=2)

    wait_until(lambda: len(mail_server.to(SUBSCRIBER)) == 2, timeout=60)
    alert_mail = mail_server.to(SUBSCRIBER)[1]
    assert "Maplewood Elementary" in alert_mail.subject
    assert header(alert_mail, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert header(alert_mail, "List-Id") == "<maplewood-elementary.alerts.testserver>"
    unsubscribe_url = re.search(
        r"<(http://testserver/alerts/unsubscribe/\S+/)>", header(alert_mail, "List-Unsubscribe")
    )
    assert "mailto:" in header(alert_mail, "List-Unsubscribe")

    # What a mail provider does: POST, no cookie, no CSRF token.
    request = urllib.request.Request(
        unsubscribe_url.group(1).replace("http://testserver", live_server.url),
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.url.endswith("/")  # no redirect was followed
    assert Subscription.objects.get(email=SUBSCRIBER).status == "unsubscribed"

    report_exposure(page, days_ago=9)
    wait_until(lambda: len(mail_server.to(witness.email)) == 2, timeout=60)
    assert Alert.objects.count() == 2
    assert len(mail_server.to(SUBSCRIBER)) == 2  # the confirmation and the first alert only

    page.goto(f"/alerts/schools/{school.slug}/")
    assert page.get_by_role("heading", name="Maplewood Elementary").is_visible()
    assert_accessible(page)


def test_subscribe_form_errors_keep_input_and_are_accessible(page):
    SchoolFactory(name="Maplewood Elementary", slug="maplewood-elementary")
    page.goto("/alerts/subscribe/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    # Once beside the field, once in the error summary as a link to it.
    assert page.locator("p.error", has_text="Enter a valid email address.").is_visible()
    assert page.get_by_test_id("error-summary").get_by_role("link", name="Enter a valid email address.").is_visible()
    assert page.get_by_label("Email address").input_value() == "not an address"
    assert_accessible(page)


def test_report_form_refusal_is_accessible_and_keeps_the_note(page):
    SchoolFactory(name="Maplewood Elementary", slug="maplewood-elementary")
    log_in(page, email=UserFactory().email)
    page.goto("/alerts/report/")
    page.get_by_label("School", exact=True).select_option("maplewood-elementary")
    page.get_by_label("First day of exposure").fill("2020-01-01")
    page.get_by_label("Last day of exposure").fill("2020-02-01")
    page.get_by_label("Note to moderators").fill("from the class newsletter")
    page.get_by_role("button", name="Send the report").click()
    # Once beside the field, once in the error summary as a link to it.
    assert page.locator("p.error", has_text="An exposure window is at most 14 days.").is_visible()
    summary = page.get_by_test_id("error-summary")
    assert summary.get_by_role("link", name="An exposure window is at most 14 days.").is_visible()
    assert page.get_by_label("Note to moderators").input_value() == "from the class newsletter"
    assert_accessible(page)
