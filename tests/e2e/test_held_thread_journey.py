"""A held thread, in headless Chromium with the page cache on: no trace of its title anywhere public
until a moderator (signed in with two-factor) approves it; then it is everywhere."""

import pytest

from moderation.models import WatchedWord
from tests.community import factories as community
from tests.e2e.conftest import decide, log_in
from tests.factories import UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "A guaranteed cure for Lily at Maplewood?"


def public_places(forum_slug: str) -> list[str]:
    return [
        "/",
        "/community/",
        f"/community/{forum_slug}/",
        f"/community/{forum_slug}/feed/",
        "/sitemap.xml",
        "/search/?q=Lily+Maplewood",
    ]


def page_text(tab, url: str) -> str:
    response = tab.goto(url)
    assert response.status == 200, url
    # The search page repeats the query: look at what it found, not at the search box or the title.
    if url.startswith("/search/"):
        return tab.locator("main").inner_text().replace("Lily Maplewood", "")
    return response.text()


def test_a_held_thread_stays_private_until_a_moderator_with_two_factor_approves_it(
    page, moderator_page, browser, live_server, settings
):
    settings.PAGE_CACHE_ENABLED = True
    forum = community.forum("newly-diagnosed")
    WatchedWord.objects.create(phrase="guaranteed")
    UserFactory(email="new@example.org", display_name="New Parent")
    anonymous = browser.new_context(base_url=live_server.url).new_page()
    for url in public_places(forum.slug):  # fill the page cache first: approval must make it stale
        page_text(anonymous, url)

    log_in(page, email="new@example.org")
    page.goto(f"/community/{forum.slug}/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your message").fill("Our daughter changed overnight. Has anyone tried this?")
    page.get_by_role("button", name="Post thread").click()
    page.get_by_test_id("thread-not-public").wait_for()
    assert page.get_by_text("Waiting for a moderator", exact=True).is_visible()
    thread_url = page.url.split("?")[0]
    assert_accessible(page)

    for url in public_places(forum.slug):
        text = page_text(anonymous, url)
        assert "Lily" not in text and "maplewood" not in text.lower(), url
    assert anonymous.goto(thread_url).status == 404

    moderator_page.goto("/moderation/")
    decide(moderator_page, f"Held post in {TITLE}", "Approve")
    moderator_page.get_by_text("Approved: the post is visible.").wait_for()

    for url in public_places(forum.slug):
        if url != "/community/":  # the forum index lists forums, not threads
            assert "maplewood" in page_text(anonymous, url).lower(), url
    assert anonymous.goto(thread_url).status == 200
    assert anonymous.get_by_role("heading", name=TITLE).is_visible()
    anonymous.context.close()
