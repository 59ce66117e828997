"""Account emails (allauth's and the portal's own) in the portal's voice: a text and an HTML part, the
site's name and a contact address, no "Hello from <host>", and in Spanish for a member who chose it."""

import re

import pytest
from allauth.core import context as allauth_context
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.adapter import AccountAdapter
from accounts.models import DataExport, User
from tests.accounts.account_pages import NEWCOMER
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPANISH = User.Language.SPANISH
# Every account email the portal can send, and what its own context adds.
EMAILS = {
    "account/email/email_confirmation_signup": {"activate_url": "http://testserver/accounts/confirm-email/k/"},
    "account/email/email_confirmation": {"activate_url": "http://testserver/accounts/confirm-email/k/"},
    "account/email/password_reset_key": {"password_reset_url": "http://testserver/accounts/password/reset/key/x/"},
    "account/email/unknown_account": {"signup_url": "http://testserver/accounts/signup/"},
    "account/email/account_already_exists": {"password_reset_url": "http://testserver/accounts/password/reset/"},
    "account/email/password_changed": {},
    "account/email/password_set": {},
    "account/email/password_reset": {},
    "account/email/email_changed": {"from_email": "old@example.org", "to_email": "new@example.org"},
    "account/email/email_confirm": {},
    "account/email/email_deleted": {"deleted_email": "old@example.org"},
    "mfa/email/totp_activated": {},
    "mfa/email/totp_deactivated": {},
    "mfa/email/recovery_codes_generated": {},
}
NOTICE = {"timestamp": None, "ip": "192.0.2.7", "user_agent": "Firefox"}


def parts(message) -> tuple[str, str]:
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return message.body, html


@pytest.fixture
def contact(settings):
    settings.CONTACT_EMAIL = "help@pandas.example.org"
    return settings.CONTACT_EMAIL


@pytest.mark.parametrize("prefix", EMAILS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_account_email_has_text_and_html_in_the_members_language_with_a_contact(prefix, language, contact):
    member = UserFactory(email="parent@example.org", display_name="Calm Fern", language=language)

    AccountAdapter().send_mail(prefix, member.email, {**NOTICE, "timestamp": timezone.now(), **EMAILS[prefix]})

    (message,) = mail.outbox
    text, html = parts(message)
    assert message.subject.startswith("[PANDAS Parent Network] ")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    greeting = "Hola, Calm Fern:" if language == "es" else "Hello Calm Fern,"
    assert text.startswith(greeting) and f"<p>{greeting}</p>" in html
    assert f'<html lang="{language}">' in html
    for part in (text, html):
        assert "Hello from" not in part and "testserver!" not in part
        assert contact in part and "PANDAS Parent Network" in part
        for url in EMAILS[prefix].values():
            if url.startswith("http"):
                assert url in part
    assert "&#x27;" not in text and "&quot;" not in text and "<p>" not in text  # plain text, never HTML-escaped
    spanish_words = ("Hola", "su ", "Su ", "correo", "contraseña", "verificación", "códigos")
    assert any(word in message.subject + text for word in spanish_words) == (language == "es"), message.subject


def test_a_spanish_signup_gets_its_confirmation_in_spanish(client):
    client.post(reverse("account_signup"), {**NEWCOMER, "language": "es"})

    (message,) = mail.outbox
    text, html = parts(message)
    assert message.subject == "[PANDAS Parent Network] Confirme su dirección de correo para unirse"
    assert "Gracias por unirse a PANDAS Parent Network." in text
    assert re.search(r'<a href="http://testserver/accounts/confirm-email/[^"]+/">Confirmar mi dirección', html)
    assert User.objects.get(email=NEWCOMER["email"]).language == SPANISH


def test_a_signup_with_a_registered_address_tells_its_owner_in_the_owners_language(client):
    UserFactory(email=NEWCOMER["email"], display_name="Luna Serena", language=SPANISH)

    client.post(reverse("account_signup"), NEWCOMER)

    (message,) = mail.outbox
    assert message.subject == "[PANDAS Parent Network] Ya tiene una cuenta"
    assert message.body.startswith("Hola, Luna Serena:")


def test_a_reset_for_an_unknown_address_greets_nobody_by_name(client):
    member = UserFactory(display_name="Logged In Wren")
    client.force_login(member)  # whoever asks is not who the mail is for

    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    (message,) = mail.outbox
    assert message.subject == "[PANDAS Parent Network] No account uses this email address"
    assert message.body.startswith("Hello,\n") and "Logged In Wren" not in message.body


def test_a_spanish_member_gets_the_password_reset_link_in_spanish(client):
    UserFactory(email="madre@example.org", language=SPANISH)

    client.post(reverse("account_reset_password"), {"email": "madre@example.org"})

    (message,) = mail.outbox
    assert message.subject == "[PANDAS Parent Network] Restablecer su contraseña"
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", message.body)


def test_a_changed_password_is_told_to_the_member_with_where_it_came_from(client):
    member = UserFactory(email="parent@example.org")
    client.force_login(member)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": "new quiet words 77", "password2": "new quiet words 77"},
        HTTP_USER_AGENT="Firefox on a tablet",
    )

    (message,) = mail.outbox
    text, html = parts(message)
    assert message.to == ["parent@example.org"]
    assert message.subject == "[PANDAS Parent Network] Your password was changed"
    assert "with this browser: Firefox on a tablet." in text
    assert '<a href="http://testserver/accounts/password/reset/">Choose a new one</a>' in html


def test_turning_on_two_factor_is_told_to_the_member_even_after_the_request(client):
    """allauth sends this notice when the transaction commits, when there may be no request left."""
    member = UserFactory(language=SPANISH)
    request = RequestFactory().post("/accounts/2fa/totp/activate/", HTTP_USER_AGENT="Firefox")
    with allauth_context.request_context(request):
        adapter = AccountAdapter()

    adapter.send_notification_mail("mfa/email/totp_activated", member)  # the request is over

    (message,) = mail.outbox
    assert message.subject == "[PANDAS Parent Network] La verificación en dos pasos está activada"


def test_the_confirmation_email_reaches_a_real_smtp_server_with_both_parts(client, mail_server):
    client.post(reverse("account_signup"), NEWCOMER)

    (received,) = mail_server.wait_for(1)
    assert received.message.get_content_type() == "multipart/alternative"
    assert "Hello Bright Newcomer," in received.body("plain")
    assert "<p>Hello Bright Newcomer,</p>" in received.body("html")


def test_the_data_export_email_is_in_the_members_language(django_capture_on_commit_callbacks):
    member = UserFactory(language=SPANISH)
    export = DataExport.objects.create(user=member, expires_at="2030-01-01T00:00Z")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.build_data_export(export_id=export.pk)

    (message,) = mail.outbox
    assert message.subject == "Sus datos de PANDAS Parent Network están listos"
    assert "El enlace funciona hasta el 1 de enero de 2030, 00:00 (UTC)" in message.body
