"""The character count under a compose box, in headless Chromium: the limit is stated as you type,
and a paste past it is kept whole (the server refuses it with the text, nothing is cut)."""

import pytest

from tests.community import factories as community
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_count_states_what_is_left_and_a_long_paste_is_kept_whole(page):
    thread = community.thread(title="Counting")
    UserFactory(email="writer@example.org")
    log_in(page, email="writer@example.org")
    page.goto(f"/community/t/{thread.pk}/reply/")
    page.get_by_label("Your reply").fill("Hello")
    assert page.get_by_text("You have 19,995 characters left").is_visible()
    page.get_by_label("Your reply").fill("x" * 20_010)
    assert page.get_by_text("You have 10 characters too many").is_visible()
    assert len(page.get_by_label("Your reply").input_value()) == 20_010
    page.get_by_role("button", name="Post reply").click()
    assert page.get_by_text("That is too long").first.is_visible()
    assert len(page.get_by_label("Your reply").input_value()) == 20_010
