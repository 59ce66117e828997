"""Browser-journey helpers: logging in (with two-factor), a moderator's tab, reporting an exposure."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory, enable_two_factor, totp_code


def log_in(page, *, email, secret=None):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if secret:
        page.get_by_label("Code", exact=True).fill(totp_code(secret))
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)  # a refused code fails here, not steps later


def decide(page, item_title, button):
    item = page.locator(".queue-item", has=page.get_by_role("heading", name=item_title))
    item.get_by_role("button", name=button).click()
    return item


@pytest.fixture
def moderator_page(browser, live_server):
    moderator = UserFactory(email="mod@example.org", display_name="Mod Willow", roles=[Role.MODERATOR])
    secret = enable_two_factor(moderator)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    log_in(tab, email=moderator.email, secret=secret)
    yield tab
    context.close()


def report_exposure(page, *, days_ago: int):
    """A strep case in grade 3 at Maplewood Elementary, `days_ago` days back, sent from the report form."""
    page.goto("/alerts/report/")
    page.get_by_label("Find the school").fill("Maplewood")
    page.get_by_label("School", exact=True).select_option("maplewood-elementary")
    page.get_by_label("What was diagnosed").select_option("strep")
    page.get_by_label("Who was exposed").select_option("grade")
    page.get_by_label("Grade").select_option("3")
    today = timezone.localdate()
    page.get_by_label("First day of exposure").fill((today - datetime.timedelta(days=days_ago + 1)).isoformat())
    page.get_by_label("Last day of exposure").fill((today - datetime.timedelta(days=days_ago)).isoformat())
    page.get_by_role("button", name="Send the report").click()
    page.get_by_role("heading", name="Thank you: report received").wait_for()
