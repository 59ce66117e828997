"""Joining the network, in headless Chromium against the live server and a real SMTP server."""

import re
from email.header import decode_header, make_header

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lighthouse in the fog 8"


def fill_signup(page, *, email, display_name, password=PASSWORD, language="English"):
    page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_label(language, exact=True).check()
    page.get_by_label("I have read and agree to the community rules").check()
    page.get_by_role("button", name="Sign up").click()


def log_in(page, *, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body()).group(0)


def test_a_parent_signs_up_confirms_by_email_and_logs_in(page, mail_server):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign up").click()
    assert page.get_by_role("heading", name="Sign up", exact=True).is_visible()
    assert_accessible(page)

    fill_signup(page, email="new.parent@example.org", display_name="Willow Lantern")
    # The one page that names the address: the person's own, right after they typed it.
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert "new.parent@example.org" in page.get_by_test_id("sent-to").inner_text()
    assert_accessible(page)

    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["new.parent@example.org"]
    assert message.subject == "[PANDAS Parent Network] Confirm your email address to join"
    assert "Hello Willow Lantern," in message.body() and "Hello from" not in message.body()
    assert 'href="' + confirmation_link(message) + '"' in message.body("html")
    page.goto(confirmation_link(message))
    assert "new.parent@example.org" not in page.content()
    page.get_by_role("button", name="Confirm my email address").click()

    # Confirmed in the browser that signed up: logged in at once, no second login.
    page.get_by_test_id("display-name").wait_for()
    assert "/accounts/login/" not in page.url
    assert page.get_by_test_id("display-name").inner_text() == "Willow Lantern"
    assert page.get_by_text("Your email address is confirmed.").is_visible()
    assert_accessible(page)
    assert "new.parent@example.org" not in page.content()
    page.get_by_test_id("display-name").click()
    page.get_by_role("heading", name="Your account").wait_for()
    assert "new.parent@example.org" not in page.content()


def test_a_link_opened_in_another_browser_confirms_and_asks_to_log_in(browser, live_server, page, mail_server):
    fill_signup(page, email="phone.parent@example.org", display_name="Harbour Light")
    (message,) = mail_server.wait_for(1)
    # The mail is read on a phone: another browser, without the session that signed up.
    phone = browser.new_context(base_url=live_server.url)
    other = phone.new_page()
    other.goto(confirmation_link(message))
    other.get_by_role("button", name="Confirm my email address").click()

    assert other.get_by_role("heading", name="Log in").is_visible()
    assert other.get_by_text("Your email address is confirmed.").is_visible()
    assert other.get_by_test_id("display-name").count() == 0  # a link alone never logs anyone in
    other.get_by_label("Email").fill("phone.parent@example.org")
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    assert other.get_by_test_id("display-name").inner_text() == "Harbour Light"
    phone.close()


def test_a_parent_who_chooses_spanish_gets_the_email_and_account_pages_in_spanish(page, mail_server):
    fill_signup(page, email="madre@example.org", display_name="Luna Serena", language="Español")

    (message,) = mail_server.wait_for(1)
    subject = str(make_header(decode_header(message.subject)))
    assert subject == "[PANDAS Parent Network] Confirme su dirección de correo para unirse"
    assert "Hola, Luna Serena:" in message.body()
    page.goto(confirmation_link(message))
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_test_id("display-name").click()
    assert page.get_by_role("heading", name="Su cuenta").is_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)


def test_a_wrong_password_says_so_and_keeps_the_email(page):
    UserFactory(email="member@example.org")
    log_in(page, email="member@example.org", password="not the password")
    assert page.get_by_text("That email address and password do not match.").first.is_visible()
    assert page.get_by_test_id("error-summary").is_visible()
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


def test_an_empty_signup_gets_the_servers_messages_with_links_to_the_fields(page, mail_server):
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()

    # No browser pop-up stopped the form: the server's summary answers, and has the focus.
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    summary.get_by_role("link", name="Display name: Choose a display name.").click()
    assert page.evaluate("document.activeElement.id") == "id_display_name"
    assert_accessible(page)
    assert mail_server.messages == []


def test_logging_in_before_confirming_says_to_confirm_first(page, mail_server):
    UserFactory(email="waiting@example.org", verified=False)
    log_in(page, email="waiting@example.org", password=DEFAULT_PASSWORD)
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert "waiting@example.org" in page.get_by_test_id("sent-to").inner_text()
    assert not page.get_by_test_id("display-name").count()
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["waiting@example.org"]
