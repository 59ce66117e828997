"""Failed-login limits that an attacker cannot turn against an account's owner."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from portal import settings as production_settings
from tests.factories import DEFAULT_PASSWORD, UserFactory, enable_two_factor, totp_code

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
HOME = "203.0.113.5"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def production_limits(settings):
    settings.ACTION_LIMITS = {**production_settings.ACTION_LIMITS}
    return settings.ACTION_LIMITS


def log_in(client, email, password, ip):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def finish_with_totp(client, secret, ip):
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, REMOTE_ADDR=ip)


@pytest.fixture
def moderator():
    member = UserFactory(email="moderator@example.org", roles=[Role.MODERATOR])
    return member, enable_two_factor(member)


def test_an_attacker_burning_attempts_from_one_ip_does_not_keep_the_moderator_out(client, moderator):
    member, secret = moderator
    attacker = client.__class__()
    answers = [log_in(attacker, member.email, f"guess {n}", ATTACKER) for n in range(8)]
    assert TOO_MANY in answers[-1].content.decode()
    # The attacker is stopped even when they guess right.
    assert TOO_MANY in log_in(attacker, member.email, DEFAULT_PASSWORD, ATTACKER).content.decode()

    response = log_in(client, member.email, DEFAULT_PASSWORD, HOME)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    finish_with_totp(client, secret, HOME)
    assert int(client.session["_auth_user_id"]) == member.pk


def test_failures_from_many_ips_stop_password_only_accounts_but_not_a_two_factor_login(
    client, moderator, production_limits
):
    production_limits["login_failed_account"] = [(3, 3600)]
    member, secret = moderator
    parent = UserFactory(email="parent@example.org")
    for n, address in enumerate(["192.0.2.1", "192.0.2.2", "192.0.2.3"]):
        log_in(client.__class__(), member.email, f"guess {n}", address)
        log_in(client.__class__(), parent.email, f"guess {n}", address)

    assert TOO_MANY in log_in(client.__class__(), parent.email, DEFAULT_PASSWORD, HOME).content.decode()
    response = log_in(client, member.email, DEFAULT_PASSWORD, HOME)
    assert response["Location"] == reverse("mfa_authenticate")
    finish_with_totp(client, secret, HOME)
    assert int(client.session["_auth_user_id"]) == member.pk


def test_one_ip_is_stopped_after_a_few_failures_on_an_account(client):
    UserFactory(email="target@example.org")
    answers = [log_in(client, "target@example.org", f"guess {n}", ATTACKER) for n in range(6)]
    assert TOO_MANY not in answers[4].content.decode() and TOO_MANY in answers[5].content.decode()
