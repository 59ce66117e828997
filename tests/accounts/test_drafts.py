"""The server's draft stash (community/drafts.py) is bounded: a visitor cannot fill a session with it."""

import pytest
from django.urls import reverse

from community import drafts
from tests.community import factories as community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stashed(client) -> dict:
    return client.session.get(drafts.SESSION_KEY, {})


def test_a_draft_sent_logged_out_comes_back_after_login(client):
    thread = community.thread()
    compose = reverse("community:reply", args=[thread.pk])
    assert client.post(compose, {"body": "Kept for after login"}).status_code == 302
    client.force_login(UserFactory())
    assert "Kept for after login" in client.get(compose).content.decode()
    assert stashed(client) == {}  # handed back once


def test_a_draft_larger_than_a_post_is_not_kept_on_the_server(client):
    thread = community.thread()
    compose = reverse("community:reply", args=[thread.pk])
    client.post(compose, {"body": "x" * (drafts.MAX_DRAFT_CHARACTERS + 1)})
    assert stashed(client) == {}


def test_only_the_newest_three_drafts_are_kept_per_session(client):
    threads = [community.thread(title=f"Thread {n}") for n in range(4)]
    urls = [reverse("community:reply", args=[thread.pk]) for thread in threads]
    for n, url in enumerate(urls):
        client.post(url, {"body": f"Draft {n}"})
    assert list(stashed(client)) == urls[1:]


def test_a_draft_keeps_only_a_bounded_number_of_fields_and_values(client):
    thread = community.thread()
    compose = reverse("community:reply", args=[thread.pk])
    fields = {f"field{n}": ["v"] * 20 for n in range(30)}
    client.post(compose, {"body": "Hello", **fields})
    (draft,) = stashed(client).values()
    assert len(draft["values"]) == drafts.MAX_FIELDS
    assert max(len(values) for values in draft["values"].values()) == drafts.MAX_VALUES_PER_FIELD
