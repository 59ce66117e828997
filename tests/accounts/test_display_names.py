"""Display names nobody can use to pass for someone else (accounts/names.py)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup import SIGNUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in text)


def mathematical_bold(text: str) -> str:
    return "".join(
        chr(0x1D400 + ord(c) - ord("A")) if c.isupper() else chr(0x1D41A + ord(c) - ord("a")) if c.islower() else c
        for c in text
    )


@pytest.mark.parametrize(
    "look_alike",
    [
        "Steady Lantern",
        "Steady L\u0430ntern",  # a Cyrillic a
        "Steady.Lantern",
        full_width("Steady Lantern"),
        mathematical_bold("Steady Lantern"),
        "Steady Lantem",  # "rn" and "m"
        "Steady Lanterm",
    ],
)
def test_a_name_that_looks_like_a_members_name_is_taken(client, look_alike):
    UserFactory(display_name="Steady Lantern")
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": look_alike})
    if look_alike == "Steady Lanterm":  # a different name ("m" is not "rn"): accepted
        assert User.objects.count() == 2
        return
    assert "That display name is taken. Please choose another." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    ["Moderator", "Harbor Moderat\u03bfr", "Harbor M0derator", "Admin", "Site Staff", "PANDAS Parent Network",
     "Pandas.Parent-Network", "mod team"],
)  # fmt: skip
def test_names_that_pass_for_the_portal_or_its_moderators_are_refused(client, name):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": name})
    assert "could be mistaken for the portal or its moderators" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["Badminton Mum", "Staffordshire Dad", "Modest Fern"])
def test_ordinary_names_containing_those_letters_are_fine(client, name):
    client.post(reverse("account_signup"), {**SIGNUP, "display_name": name})
    assert User.objects.get().display_name == name


@pytest.mark.parametrize("filler", ["\u3164", "\u115f", "\uffa0"])
def test_invisible_filler_characters_are_refused(client, filler):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": f"Steady{filler}Lantern"})
    assert "cannot hold invisible characters" in response.content.decode()
    assert not User.objects.exists()


def test_full_width_letters_are_stored_as_plain_letters(client):
    client.post(reverse("account_signup"), {**SIGNUP, "display_name": full_width("Quiet Fern")})
    assert User.objects.get().display_name == "Quiet Fern"


def test_a_member_may_rename_into_their_own_look_alike(client):
    member = UserFactory(display_name="Quiet Fern")
    client.force_login(member)
    client.post(reverse("accounts:account"), {"display_name": "Quiet.Fern"})
    member.refresh_from_db()
    assert (member.display_name, member.display_name_skeleton) == ("Quiet.Fern", "quietfem")
