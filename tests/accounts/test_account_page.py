import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def reauthenticated(client, member):
    client.force_login(member)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    return client


@pytest.mark.parametrize("name", ["accounts:account", "accounts:export", "accounts:delete"])
def test_account_pages_send_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_member_changes_display_name(client):
    member = UserFactory(display_name="Old Name")
    client.force_login(member)
    response = client.post(reverse("accounts:account"), {"display_name": "New  Name"}, follow=True)
    assert "Your display name is now “New Name”." in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "New Name"


def test_a_taken_display_name_is_refused_and_the_input_kept(client):
    UserFactory(display_name="Taken Name")
    member = UserFactory(display_name="Mine")
    client.force_login(member)
    response = client.post(reverse("accounts:account"), {"display_name": "taken name"})
    html = response.content.decode()
    assert "That display name is taken. Please choose another." in html
    assert 'value="taken name"' in html
    member.refresh_from_db()
    assert member.display_name == "Mine"


def test_keeping_ones_own_name_with_another_case_is_allowed(client):
    member = UserFactory(display_name="Quiet Fern")
    client.force_login(member)
    client.post(reverse("accounts:account"), {"display_name": "quiet fern"})
    member.refresh_from_db()
    assert member.display_name == "quiet fern"


def test_export_is_a_zip_download_of_ones_own_data_only(client):
    UserFactory(email="someone.else@example.org")
    member = UserFactory(email="me@example.org", display_name="Me Myself")
    client.force_login(member)
    response = client.post(reverse("accounts:export"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="pandas-parent-network-data-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("member-data.json"))
        assert b"someone.else" not in archive.read("member-data.json")
    assert data["account"]["email"] == "me@example.org"
    assert data["account"]["display_name"] == "Me Myself"
    assert data["account"]["email_addresses"] == [{"email": "me@example.org", "verified": True, "primary": True}]


def test_deleting_asks_for_the_password_again(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:delete"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_deleting_without_confirming_changes_nothing_and_says_why(client):
    member = UserFactory()
    response = reauthenticated(client, member).post(reverse("accounts:delete"), {})
    assert "Tick the box to confirm you want to delete your account." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_deleting_erases_personal_details_and_ends_every_session(client):
    member = UserFactory(email="leaving@example.org", display_name="Leaving Soon")
    other_device = client.__class__()
    other_device.force_login(member)
    response = reauthenticated(client, member).post(
        reverse("accounts:delete"), {"posts": "keep", "confirm": "on"}, follow=True
    )
    assert "Your account has been deleted." in response.content.decode()

    member.refresh_from_db()
    assert member.display_name == f"Former member {member.pk}"
    assert not member.is_active and not member.has_usable_password()
    assert not User.objects.filter(email="leaving@example.org").exists()
    assert not EmailAddress.objects.filter(email="leaving@example.org").exists()
    # The other device is logged out too.
    assert other_device.get(reverse("accounts:account")).status_code == 302
    # The address is free for a new account.
    assert not client.post(
        reverse("account_login"), {"login": "leaving@example.org", "password": DEFAULT_PASSWORD}
    ).wsgi_request.user.is_authenticated


def test_deleting_without_choosing_what_happens_to_posts_changes_nothing_and_says_why(client):
    member = UserFactory()
    response = reauthenticated(client, member).post(reverse("accounts:delete"), {"confirm": "on"})
    assert "Choose whether your posts stay or go." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_logging_out_tells_the_browser_to_forget_the_sites_stored_drafts(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"))
    assert response["Clear-Site-Data"] == '"storage"'
    assert not client.get(reverse("accounts:account")).wsgi_request.user.is_authenticated
