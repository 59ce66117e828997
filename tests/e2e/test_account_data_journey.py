"""A member's data rights in headless Chromium: download everything, delete the account, no more mail."""

import json
import re
import time
import zipfile

import pytest

from alerts import services as alerts_services
from community.models import Post
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.community import factories as community
from tests.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, *, email, next_url=""):
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("display-name").wait_for()
    page.wait_for_load_state("load")


def test_account_page_export_downloads_then_delete_with_password_logs_out_and_no_alert_follows(
    page, mail_server, tmp_path
):
    school = SchoolFactory(name="Maplewood Elementary")
    member = UserFactory(email="journey@example.org", display_name="Journey Parent")
    SubscriptionFactory(email="journey@example.org", school=school)
    SubscriptionFactory(email="neighbour@example.net", school=school)
    community.thread(author=member, title="Our first flare", body="It began after a sore throat.")

    log_in(page, email="journey@example.org")
    page.get_by_test_id("display-name").click()
    page.get_by_role("heading", name="Your data").wait_for()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    download = download_info.value
    assert re.fullmatch(r"pandas-parent-network-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("member-data.json"))
        assert "It began after a sore throat." in archive.read("posts.csv").decode()
    assert data["account"]["display_name"] == "Journey Parent"
    assert data["alerts"]["subscriptions"][0]["school"].startswith("Maplewood Elementary")

    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Delete your account").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile("^Delete my posts too")).check()
    page.get_by_label("I understand: my account is deleted for good").check()
    page.get_by_role("button", name="Delete my account").click()

    page.get_by_text("Your account has been deleted.").wait_for()
    assert page.get_by_role("link", name="Log in").is_visible()
    assert page.get_by_test_id("display-name").count() == 0
    assert Post.objects.get(author=member).visibility == Post.Visibility.DELETED

    # A strep case at the school: the alert reaches the neighbour, never the deleted address.
    alerts_services.approve_report(report=ExposureReportFactory(school=school), moderator=ModeratorFactory())
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["neighbour@example.net"]
    time.sleep(1)
    assert [m.recipients for m in mail_server.messages] == [["neighbour@example.net"]]


def draft_keys(page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('community-draft'))")


def test_a_draft_stays_with_its_member_and_is_cleared_at_logout(page):
    UserFactory(email="first@example.org")
    UserFactory(email="second@example.org")
    thread = community.thread()

    log_in(page, email="first@example.org", next_url=thread.get_absolute_url())
    page.get_by_label("Your reply").fill("A private worry about our daughter")
    page.reload()
    assert page.get_by_label("Your reply").input_value() == "A private worry about our daughter"
    assert draft_keys(page) and all(":member-" in key for key in draft_keys(page))

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").wait_for()
    assert draft_keys(page) == []

    log_in(page, email="second@example.org", next_url=thread.get_absolute_url())
    assert page.get_by_label("Your reply").input_value() == ""
    assert page.get_by_text("We restored the draft you were writing.").count() == 0
