"""A member's language (User.language): chosen at signup or on the account page; their account pages
(/accounts/...) are in it, the rest of the portal and every anonymous page stay in English."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import member_data, services
from accounts.models import User
from tests.accounts.account_pages import NEWCOMER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SPANISH, ENGLISH = User.Language.SPANISH, User.Language.ENGLISH


def logged_in(language: str) -> Client:
    client = Client()
    client.force_login(UserFactory(display_name="Luna Serena", language=language))
    return client


def test_signup_keeps_the_chosen_language_and_defaults_to_english(client):
    client.post(reverse("account_signup"), {**NEWCOMER, "language": "es"})
    Client().post(reverse("account_signup"), {**NEWCOMER, "email": "second@example.org", "display_name": "Other One"})

    assert User.objects.get(email=NEWCOMER["email"]).language == SPANISH
    assert User.objects.get(email="second@example.org").language == ENGLISH


def test_a_spanish_members_account_pages_are_in_spanish():
    client = logged_in(SPANISH)

    response = client.get(reverse("accounts:account"))
    html = response.content.decode()
    assert '<html lang="es">' in html and response["Content-Language"] == "es"
    assert "<title>Su cuenta · PANDAS Parent Network</title>" in html
    assert "Guardar el nombre visible" in html and "Save display name" not in html

    password = client.get(reverse("account_change_password")).content.decode()
    assert (
        "<h1>Cambiar su contraseña</h1>" in password
        and '<label for="id_oldpassword">Contraseña actual</label>' in password
    )
    assert "Cambiar mi contraseña" in password


def test_a_spanish_members_form_errors_are_in_spanish_too():
    client = logged_in(SPANISH)

    html = client.post(reverse("account_change_password"), {"oldpassword": ""}).content.decode()

    assert "Hay un problema" in html and "Escriba su contraseña actual." in html


def test_an_english_members_account_pages_are_in_english():
    html = logged_in(ENGLISH).get(reverse("accounts:account")).content.decode()

    assert '<html lang="en">' in html and "<h1>Your account</h1>" in html


def test_the_rest_of_the_portal_stays_in_english_for_a_spanish_member():
    response = logged_in(SPANISH).get(reverse("about"))

    assert '<html lang="en">' in response.content.decode() and "Content-Language" not in response


def test_a_spanish_members_visit_leaves_the_page_cache_in_english(settings):
    settings.PAGE_CACHE_ENABLED = True
    member = logged_in(SPANISH)
    member.get(reverse("about"))
    member.get(reverse("accounts:account"))

    first, again = Client().get(reverse("about")), Client().get(reverse("about"))

    for response in (first, again):
        assert '<html lang="en">' in response.content.decode()


def test_a_member_switches_to_spanish_and_is_told_so_in_spanish():
    client = logged_in(ENGLISH)

    response = client.post(reverse("accounts:account"), {"form": "language", "language": "es"}, follow=True)

    html = response.content.decode()
    assert "Guardado: sus páginas de cuenta y sus correos están ahora en español." in html
    assert "<h1>Su cuenta</h1>" in html
    assert User.objects.get(display_name="Luna Serena").language == SPANISH

    back = client.post(reverse("accounts:account"), {"form": "language", "language": "en"}, follow=True)
    assert "Saved: your account pages and emails are now in English." in back.content.decode()


def test_an_unknown_language_is_refused_and_nothing_changes():
    client = logged_in(ENGLISH)

    response = client.post(reverse("accounts:account"), {"form": "language", "language": "fr"})

    assert response.status_code == 200 and "Choose English or Español." in response.content.decode()
    assert User.objects.get(display_name="Luna Serena").language == ENGLISH


def test_the_display_name_form_still_saves_beside_the_language_form():
    client = logged_in(SPANISH)

    client.post(reverse("accounts:account"), {"display_name": "Luna Nueva"})

    member = User.objects.get(display_name="Luna Nueva")
    assert member.language == SPANISH


def test_the_language_is_in_the_data_export_and_erased_with_the_account():
    member = UserFactory(language=SPANISH)

    assert member_data.export(member)["account"]["language"] == "es"

    services.delete_account(user=member)
    member.refresh_from_db()
    assert member.language == ENGLISH
