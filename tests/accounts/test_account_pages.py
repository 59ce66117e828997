"""The account pages (allauth's, in the portal's layout and voice, and the portal's own): sentence-case
titles, a real contact, forms like GOV.UK's, the address named only where its owner just typed it, and
a new member logged in by the confirmation link opened in the browser that signed up."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.account_pages import NEWCOMER, account_page_types
from tests.factories import DEFAULT_PASSWORD, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLES = {
    "login": "Log in",
    "login-errors": "Log in",
    "signup": "Sign up",
    "signup-errors": "Sign up",
    "verification-sent": "Check your email",
    "email-confirm": "Confirm your email address",
    "email-confirm-expired": "This link has expired",
    "password-reset": "Reset your password",
    "password-reset-errors": "Reset your password",
    "password-reset-done": "Check your email",
    "password-reset-from-key": "Choose a new password",
    "password-reset-from-key-expired": "This link has expired",
    "password-reset-from-key-done": "Your password is changed",
    "password-change": "Change your password",
    "password-change-errors": "Change your password",
    "email-addresses": "Your email addresses",
    "email-addresses-errors": "Your email addresses",
    "reauthenticate": "Confirm it is you",
    "reauthenticate-code": "Confirm it is you",
    "logout": "Log out",
    "account": "Your account",
    "sessions": "Devices where you are logged in",
    "account-spanish": "Su cuenta",
    "account-language-errors": "Your account",
    "account-delete": "Delete your account",
    "data-export": "Download your data",
    "two-factor": "Two-factor authentication",
    "two-factor-spanish": "Verificación en dos pasos",
    "two-factor-activate": "Turn on two-factor authentication",
    "two-factor-code": "Enter your code",
    "two-factor-code-errors": "Enter your code",
    "recovery-codes": "Recovery codes",
}
# Pages where someone may be stuck: they say whom to write to.
WITH_CONTACT = {
    "login", "signup", "verification-sent", "email-confirm", "email-confirm-expired", "password-reset",
    "password-reset-done", "password-reset-from-key", "password-reset-from-key-expired", "account", "two-factor-code",
}  # fmt: skip
# allauth's own wording, which must not reach a page.
STOCK_PHRASES = (
    "Hello from", "Sign In", "Sign Up", "Sign Out", "Verify Your Email Address", "Password Reset", "Change Password",
    "Email Addresses", "Confirm Access", "Two-Factor Authentication", "Authenticator App", "Recovery Codes",
    "Please contact us", "contact us if", "Make Primary", "Re-send Verification", "Remember Me", "Sessions",
)  # fmt: skip


class _Page(HTMLParser):
    """The parts of a page these tests look at: ids, forms (with their inputs), error-summary links."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.forms, self.placeholders, self.summary_links, self.typed = [], [], 0, [], {}
        self._in_summary = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "placeholder" in attrs:
            self.placeholders += 1
        if tag == "form":
            self.forms.append({"novalidate": "novalidate" in attrs, "inputs": []})
        if tag in ("input", "textarea", "select") and self.forms and attrs.get("type") not in ("hidden", "submit"):
            self.forms[-1]["inputs"].append(attrs.get("name"))
        if tag == "input" and attrs.get("type") in ("text", "email", "password"):
            self.typed[attrs["name"]] = attrs.get("value", "")
        if attrs.get("data-testid") == "error-summary":
            self._in_summary = True
        if tag == "a" and self._in_summary:
            self.summary_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "ul":
            self._in_summary = False


def render(name: str) -> tuple[int, str, dict]:
    roles, pages = account_page_types(UserFactory(display_name="Quiet Heron"), ModeratorFactory())
    role, method, url, data = pages[name]
    client = Client()
    if role:
        roles[role](client)
    response = getattr(client, method)(url, data or {})
    return response.status_code, response.content.decode(), data or {}


def test_every_account_page_type_is_checked_here():
    _, pages = account_page_types(UserFactory(), ModeratorFactory())
    assert set(pages) == set(TITLES)


@pytest.mark.parametrize("name", TITLES)
def test_account_page_speaks_in_the_portals_voice_and_forms_leave_checks_to_the_server(name, settings):
    settings.CONTACT_EMAIL = "help@pandas.example.org"
    status, html, sent = render(name)

    assert status == 200, name
    title = TITLES[name]
    assert f"<title>{title} · PANDAS Parent Network</title>" in html
    assert re.search(rf"<h1>\s*{re.escape(title)}\s*</h1>", html)
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert not [phrase for phrase in STOCK_PHRASES if phrase in main]
    page = _Page(html)
    assert len(page.ids) == len(set(page.ids)), f"duplicate ids: {sorted(i for i in page.ids if page.ids.count(i) > 1)}"
    assert page.placeholders == 0
    assert all(form["novalidate"] for form in page.forms if form["inputs"]), "a form with fields lacks novalidate"
    if name in WITH_CONTACT:
        assert 'href="mailto:help@pandas.example.org"' in main
    if name.endswith("-errors"):
        assert 'role="alert"' in html and page.summary_links
        assert all(link.startswith("#") and link[1:] in page.ids for link in page.summary_links), page.summary_links
        # What was typed comes back, except passwords.
        for field, value in sent.items():
            if field in page.typed:
                assert page.typed[field] == ("" if "password" in field else value), field


def test_the_error_summary_links_each_signup_problem_to_its_field_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {**NEWCOMER, "display_name": "", "password2": "something else 9", "language": "es", "agree_to_rules": ""},
    )
    html = response.content.decode()
    summary = html.split('data-testid="error-summary"', 1)[1].split("</ul>", 1)[0]

    assert '<a href="#id_display_name">Display name: Choose a display name.</a>' in summary
    assert '<a href="#id_password2">Password (again): You must type the same password each time.</a>' in summary
    assert '<a href="#id_agree_to_rules">' in summary
    assert 'value="newcomer@example.org"' in html
    assert re.search(r'<input type="radio" name="language" value="es"[^>]* checked', html)
    assert "lanterns along the river 5" not in html  # passwords are never sent back


def test_an_empty_login_says_what_to_type(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()

    assert '<a href="#id_login">Email: Enter your email address.</a>' in html
    assert '<a href="#id_password">Password: Enter your password.</a>' in html


def test_the_error_summary_links_a_group_of_radio_buttons_to_its_first_button(client):
    client.force_login(UserFactory())
    html = client.post(reverse("accounts:account"), {"form": "language", "language": "fr"}).content.decode()

    assert '<a href="#id_language_0">' in html and 'id="id_language_0"' in html
    assert "<legend>Language of your account pages and emails</legend>" in html


def confirmation_path() -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)


# --- "Check your email" names the address, to its owner only -----------------------------------------


def test_check_your_email_names_the_address_the_link_went_to(client):
    response = client.post(reverse("account_signup"), NEWCOMER, follow=True)

    html = response.content.decode()
    assert "<h1>Check your email</h1>" in html
    assert "We have sent a link to <strong>newcomer@example.org</strong>." in html


def test_check_your_email_names_a_registered_address_just_the_same(client):
    UserFactory(email="newcomer@example.org")

    html = client.post(reverse("account_signup"), NEWCOMER, follow=True).content.decode()

    assert "We have sent a link to <strong>newcomer@example.org</strong>." in html


def test_check_your_email_names_no_address_to_anyone_else(client):
    client.post(reverse("account_signup"), NEWCOMER)

    html = Client().get(reverse("account_email_verification_sent")).content.decode()

    assert "<h1>Check your email</h1>" in html and "newcomer@example.org" not in html


def test_the_confirmation_page_does_not_show_the_address(client):
    client.post(reverse("account_signup"), NEWCOMER)

    html = client.get(confirmation_path()).content.decode()

    assert "Confirm my email address" in html and "newcomer@example.org" not in html


# --- Logged in after confirming --------------------------------------------------------------------


def test_confirming_in_the_browser_that_signed_up_logs_the_new_member_in(client):
    client.post(reverse("account_signup"), NEWCOMER)

    response = client.post(confirmation_path(), follow=True)

    assert response.context["user"].email == "newcomer@example.org"
    html = response.content.decode()
    assert 'data-testid="display-name"' in html and "Your email address is confirmed." in html


def signed_up_minutes_ago(client, minutes: int) -> None:
    client.post(reverse("account_signup"), NEWCOMER)
    session = client.session
    pending = session["account_login"]
    pending["initiated_at"] -= minutes * 60
    session["account_login"] = pending
    session.save()


def test_confirming_the_next_hour_in_the_same_browser_still_logs_in(client):
    signed_up_minutes_ago(client, 50)

    response = client.post(confirmation_path(), follow=True)

    assert response.context["user"].email == "newcomer@example.org"


def test_confirming_hours_later_confirms_but_asks_to_log_in(client):
    signed_up_minutes_ago(client, 120)

    response = client.post(confirmation_path(), follow=True)

    assert not response.context["user"].is_authenticated
    assert "Your email address is confirmed." in response.content.decode()


def test_confirming_after_logging_in_unconfirmed_logs_in_too(client):
    UserFactory(email="waiting@example.org", verified=False)
    client.post(reverse("account_login"), {"login": "waiting@example.org", "password": DEFAULT_PASSWORD})

    response = client.post(confirmation_path(), follow=True)

    assert response.context["user"].email == "waiting@example.org"


def test_confirming_in_another_browser_confirms_but_asks_to_log_in(client):
    client.post(reverse("account_signup"), NEWCOMER)

    elsewhere = Client()
    response = elsewhere.post(confirmation_path(), follow=True)

    # A link alone never opens a session: whoever holds it is not necessarily the member.
    assert not response.context["user"].is_authenticated
    html = response.content.decode()
    assert "<h1>Log in</h1>" in html and "Your email address is confirmed." in html
    assert elsewhere.post(reverse("account_login"), {"login": NEWCOMER["email"], "password": NEWCOMER["password1"]})[
        "Location"
    ] == reverse("home")
