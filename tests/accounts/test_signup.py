import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.parent@example.org",
    "display_name": "Steady Lantern",
    "password1": "tulips under snow 7",
    "password2": "tulips under snow 7",
    "agree_to_rules": "on",
}


def test_signup_creates_a_pseudonymous_member_and_sends_a_confirmation(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    member = User.objects.get(email="new.parent@example.org")
    assert member.display_name == "Steady Lantern"
    assert member.rules_accepted_at is not None
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_asks_for_agreement_to_the_rules_and_keeps_the_input(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "agree_to_rules": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please agree to the community rules to join." in html
    assert 'value="new.parent@example.org"' in html and 'value="Steady Lantern"' in html
    assert not User.objects.exists()


def test_duplicate_display_name_is_refused_whatever_its_case(client):
    UserFactory(display_name="Steady Lantern")
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "steady  LANTERN"})
    html = response.content.decode()
    assert "That display name is taken. Please choose another." in html
    assert 'value="new.parent@example.org"' in html
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["ab", "x" * 31, "me@example.org", "<script>"])
def test_unusable_display_names_get_a_clear_message(client, name):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": name})
    assert response.status_code == 200
    assert not User.objects.exists()
    assert response.context["form"].errors["display_name"]


def test_signup_with_a_registered_email_does_not_reveal_the_account(client):
    UserFactory(email="new.parent@example.org")
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "Other Name"})
    # Same answer as a fresh signup; the owner of the address is told by email instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.parent@example.org"]


def test_password_reset_does_not_reveal_whether_an_address_is_registered(client):
    UserFactory(email="known@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_wrong_password_says_so_and_keeps_the_email(client):
    UserFactory(email="member@example.org")
    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong one"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That email address and password do not match. Please check both and try again." in html
    assert 'value="member@example.org"' in html


def test_unverified_member_is_told_to_confirm_first(client):
    UserFactory(email="waiting@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "waiting@example.org", "password": DEFAULT_PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "Check your email" in html
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh confirmation link


def test_verified_member_logs_in(client):
    UserFactory(email="member@example.org", display_name="Calm Fern")
    response = client.post(
        reverse("account_login"), {"login": "member@example.org", "password": DEFAULT_PASSWORD}, follow=True
    )
    assert "Calm Fern" in response.content.decode()


def test_staff_groups_exist_and_roles_come_from_them():
    moderator = UserFactory(roles=[Role.MODERATOR])
    reviewer = UserFactory(roles=[Role.MEDICAL_REVIEWER])
    parent = UserFactory()
    assert moderator.is_moderator and not moderator.is_editor
    assert reviewer.is_medical_reviewer and not reviewer.is_moderator
    assert not (parent.is_moderator or parent.is_editor or parent.is_medical_reviewer)


def test_two_factor_setup_asks_for_the_password_again_then_offers_totp(client):
    client.force_login(UserFactory())
    activate = reverse("mfa_activate_totp")
    assert client.get(activate)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.get(activate)
    assert response.status_code == 200
    assert "Code from the app" in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    answers = [
        client.post(reverse("account_login"), {"login": "target@example.org", "password": f"guess {n}"})
        for n in range(6)
    ]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert "Too many failed login attempts. Please wait a few minutes and try again." in answers[5].content.decode()


def test_the_admin_login_goes_through_the_portals_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
