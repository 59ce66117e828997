"""Moderation journeys in headless Chromium: pre-moderation, flags, a ban, and the audit log."""

import pytest

from community.models import Post
from moderation import services
from moderation.models import Flag
from tests.community import factories as community
from tests.e2e.conftest import decide, log_in
from tests.factories import UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def moderation_on(settings):
    settings.MODERATION_HOLD_FIRST_POSTS = 2


def test_a_new_members_first_post_waits_for_a_moderator(page, moderator_page, moderation_on):
    community.forum("newly-diagnosed")
    UserFactory(email="new@example.org", display_name="New Parent")
    log_in(page, email="new@example.org")
    page.goto("/community/newly-diagnosed/new/")
    page.get_by_label("Title").fill("Sudden OCD after strep")
    page.get_by_label("Your message").fill("Our son changed overnight after a sore throat. Where do we start?")
    page.get_by_role("button", name="Post thread").click()
    assert page.get_by_text("Waiting for a moderator", exact=True).is_visible()

    moderator_page.goto("/moderation/")
    assert_accessible(moderator_page)
    decide(moderator_page, "Held post in Sudden OCD after strep", "Approve")
    moderator_page.get_by_text("Approved: the post is visible.").wait_for()

    post = Post.objects.get(thread__title="Sudden OCD after strep")
    assert post.visibility == Post.Visibility.VISIBLE
    page.context.clear_cookies()
    page.goto(post.thread.get_absolute_url())
    assert page.get_by_text("Our son changed overnight").is_visible()


def test_three_flags_hide_a_post_and_a_moderator_restores_it(page, moderator_page):
    post = community.replies(community.thread(title="IVIG questions"), 1, author=UserFactory())[0]
    for _ in range(2):
        services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.HARASSMENT)
    UserFactory(email="third@example.org")
    log_in(page, email="third@example.org")
    page.goto(f"/moderation/flag/{post.pk}/")
    page.get_by_label("Harassment or unkindness").check()
    page.get_by_role("button", name="Send the flag").click()
    assert page.get_by_text("Thank you. The moderators will look at this post.").is_visible()
    assert page.get_by_text("This post was hidden by the moderators.").is_visible()

    moderator_page.goto("/moderation/")
    decide(moderator_page, "Hidden post in IVIG questions", "Approve")
    moderator_page.get_by_text("Approved: the post is visible.").wait_for()
    post.refresh_from_db()
    assert post.is_visible


def test_a_moderator_bans_a_spammer_and_every_post_goes_at_once(moderator_page):
    spammer = UserFactory(display_name="Miracle Seller")
    community.thread(author=spammer, title="Guaranteed cure, buy now")
    spam = community.replies(community.thread(title="Tics at school"), 2, author=spammer)
    services.flag_post(flagger=UserFactory(), post=spam[0], reason=Flag.Reason.SPAM)

    moderator_page.goto("/moderation/")
    item = moderator_page.locator(".queue-item", has_text="Tics at school")
    item.get_by_label("Reason (the member reads it)").fill("Selling a cure")
    item.get_by_role("button", name="Delete all and ban (spam)").click()
    moderator_page.get_by_text("Miracle Seller is banned and their 3 posts are deleted.").wait_for()
    assert not Post.objects.filter(author=spammer, visibility=Post.Visibility.VISIBLE).exists()

    moderator_page.goto("/moderation/log/")
    assert_accessible(moderator_page)
    rows = moderator_page.locator("tbody tr")
    assert "banned a member" in rows.nth(0).inner_text()
    assert "Selling a cure (3 posts deleted)" in rows.nth(0).inner_text()


def test_the_queue_works_from_the_keyboard_without_a_reload(moderator_page):
    post = community.replies(community.thread(title="Keyboard thread"), 1)[0]
    services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.SPAM)
    moderator_page.goto("/moderation/")
    moderator_page.evaluate("window.noReload = true")
    moderator_page.keyboard.press("j")
    moderator_page.keyboard.press("a")
    moderator_page.get_by_text("Approved: the post is visible.").wait_for()
    assert moderator_page.evaluate("window.noReload") is True  # the same page: no reload happened
    assert not Flag.objects.open().exists()


def test_pressing_h_asks_for_a_reason_without_typing_the_h_into_it(moderator_page):
    post = community.replies(community.thread(title="Reason thread"), 1)[0]
    services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.SPAM)
    moderator_page.goto("/moderation/")
    moderator_page.keyboard.press("j")
    moderator_page.keyboard.press("h")
    reason = moderator_page.locator(".queue-item").first.get_by_label("Reason (the member reads it)")
    assert reason.evaluate("field => field === document.activeElement")
    assert reason.input_value() == ""
    assert moderator_page.get_by_text("Type a reason, then press Enter on Hide.").is_visible()
