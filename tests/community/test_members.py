"""A member's public profile: their pseudonym, join date and post count, nothing else."""

import pytest
from django.urls import reverse

from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_member_profile_shows_display_name_join_date_and_post_count_only(client):
    member = UserFactory(display_name="Calm Owl", email="owl.private@example.org")
    factories.replies(factories.thread(), 2, author=member)
    html = client.get(reverse("community:member", args=[member.pk])).content.decode()
    assert "Calm Owl" in html and "<dd>2</dd>" in html
    assert "owl.private" not in html
