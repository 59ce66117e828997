"""Crisis help in headless Chromium: the lines appear while a parent types words of crisis, before
anything is sent; the post goes through and waits first in the moderators' queue, marked crisis."""

import pytest

from moderation.models import WatchedWord
from tests.community import factories as community
from tests.e2e.conftest import log_in
from tests.factories import UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_crisis_words_show_help_while_typing_and_put_the_post_first_in_the_queue(page, moderator_page):
    WatchedWord.objects.get_or_create(phrase="can't go on", defaults={"kind": WatchedWord.Kind.CRISIS})
    thread = community.thread(title="Bedtime rages", forum_slug="parent-wellbeing")
    community.replies(community.thread(title="An older question"), 1)
    UserFactory(email="tired@example.org", display_name="Tired Parent")
    log_in(page, email="tired@example.org")
    page.goto(f"/community/t/{thread.pk}/reply/")
    help_box = page.locator("#crisis-while-typing")
    assert help_box.is_hidden()
    # Typed with a phone's curly apostrophe.
    page.get_by_label("Your reply").press_sequentially("Some nights I feel I can\u2019t go on")
    help_box.wait_for(state="visible")
    assert help_box.get_by_text("988").first.is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("A moderator will read your post soon").wait_for()
    assert page.locator("#crisis-help-message").is_visible()

    moderator_page.goto("/moderation/")
    first = moderator_page.locator(".queue-item").first
    assert "crisis" in first.get_attribute("class") and "Bedtime rages" in first.inner_text()
