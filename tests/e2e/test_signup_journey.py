"""Joining the network, in headless Chromium against the live server and a real SMTP server."""

import re

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lighthouse in the fog 8"


def fill_signup(page, *, email, display_name, password=PASSWORD):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_label("I have read and agree to the community rules").check()
    page.get_by_role("button", name="Sign Up").click()


def log_in(page, *, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_a_parent_signs_up_confirms_by_email_and_logs_in(page, mail_server):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)

    fill_signup(page, email="new.parent@example.org", display_name="Willow Lantern")
    assert page.get_by_role("heading", name="Verify Your Email Address").is_visible()

    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["new.parent@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body()).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    # Confirmed in the browser that signed up: logged in at once, no second login.
    page.get_by_test_id("display-name").wait_for()
    assert "/accounts/login/" not in page.url
    assert page.get_by_test_id("display-name").inner_text() == "Willow Lantern"
    assert_accessible(page)
    assert "new.parent@example.org" not in page.content()


def test_a_wrong_password_says_so_and_keeps_the_email(page):
    UserFactory(email="member@example.org")
    log_in(page, email="member@example.org", password="not the password")
    assert page.get_by_text("The email address and/or password you specified are not correct.").is_visible()
    assert page.get_by_label("Email").input_value() == "member@example.org"


def test_a_taken_display_name_says_so_and_keeps_the_input(page, mail_server):
    UserFactory(display_name="Willow Lantern")
    fill_signup(page, email="second@example.org", display_name="willow lantern")
    # Once beside the field, once in the error summary as a link to it.
    assert page.locator("p.error", has_text="That display name is taken. Please choose another.").is_visible()
    summary = page.get_by_test_id("error-summary")
    assert summary.get_by_role("link", name="That display name is taken. Please choose another.").is_visible()
    assert page.get_by_label("Email").input_value() == "second@example.org"
    assert page.get_by_label("Display name").input_value() == "willow lantern"
    assert_accessible(page)
    assert mail_server.messages == []


def test_logging_in_before_confirming_says_to_confirm_first(page, mail_server):
    UserFactory(email="waiting@example.org", verified=False)
    log_in(page, email="waiting@example.org", password=DEFAULT_PASSWORD)
    assert page.get_by_role("heading", name="Verify Your Email Address").is_visible()
    assert page.get_by_text("We have sent an email to you for verification").is_visible()
    assert not page.get_by_test_id("display-name").count()
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["waiting@example.org"]
