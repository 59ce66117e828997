"""A signup with a registered address does the same work, in the same time, as a real one."""

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.accounts.test_signup import SIGNUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HASHED = []


class CountingHasher(PBKDF2PasswordHasher):
    iterations = 1000

    def encode(self, password, salt, iterations=None):
        HASHED.append(1)
        return super().encode(password, salt, iterations)


def sign_up(client, email, name):
    started = time.perf_counter()
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": email, "display_name": name})
    return response, time.perf_counter() - started


def test_a_registered_address_hashes_a_password_like_a_new_one(client, settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_timing.CountingHasher"]
    UserFactory(email="known@example.org")
    HASHED.clear()
    new, _ = sign_up(client.__class__(), "new@example.org", "First Lantern")
    hashed_for_new = len(HASHED)
    HASHED.clear()
    known, _ = sign_up(client.__class__(), "known@example.org", "Second Lantern")
    assert hashed_for_new >= 1 and len(HASHED) == hashed_for_new
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 2  # a confirmation to the new address, a note to the known one


def test_a_registered_address_answers_in_the_time_a_new_one_does(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(email="known@example.org")
    new = [sign_up(client.__class__(), f"new{n}@example.org", f"Lantern Number {n}")[1] for n in range(3)]
    known = [sign_up(client.__class__(), "known@example.org", f"Known Lantern {n}")[1] for n in range(3)]
    # Without the extra hash a known address answered in a tenth of the time.
    assert statistics.median(known) > 0.6 * statistics.median(new), (new, known)
