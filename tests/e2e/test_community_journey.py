"""Community journeys in headless Chromium against the live server and a real SMTP server."""

import re
import time

import pytest

from community import services
from community.models import Story, Thread
from tests.community import factories
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.browser import assert_accessible
from tests.support.xss import XSS_PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, *, email, next_url=""):
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("display-name").wait_for()
    page.wait_for_load_state("load")  # the page's scripts (draft autosave, reactions) are running


def test_a_reply_emails_the_starter_once_who_unfollows_and_reacts(page, browser, live_server, mail_server, settings):
    settings.SITE_URL = live_server.url
    factories.forum("newly-diagnosed", name="Newly diagnosed")
    UserFactory(email="a@example.org", display_name="Parent A")
    UserFactory(email="b@example.org", display_name="Parent B")

    # A starts a thread.
    log_in(page, email="a@example.org")
    page.goto("/community/newly-diagnosed/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a thread").click()
    assert page.get_by_test_id("privacy-notice").is_visible()
    page.get_by_label("Title").fill("First week after diagnosis")
    page.get_by_label("Your message").fill("Where did you start?")
    page.get_by_role("button", name="Post thread").click()
    page.get_by_role("heading", name="First week after diagnosis").wait_for()
    thread_url = page.url.split("?")[0]

    # B replies, in a browser of their own.
    context_b = browser.new_context(base_url=live_server.url)
    page_b = context_b.new_page()
    log_in(page_b, email="b@example.org", next_url=thread_url.replace(live_server.url, ""))
    assert_accessible(page_b)
    page_b.get_by_label("Your reply").fill("We started with a strep test. You are not alone.")
    page_b.get_by_role("button", name="Post reply").click()
    page_b.get_by_text("Your reply is posted.").wait_for()
    context_b.close()

    # Exactly one email reaches A, with a working unfollow link.
    (message,) = mail_server.wait_for(1)
    time.sleep(0.5)
    assert len(mail_server.messages) == 1 and message.recipients == ["a@example.org"]
    assert "Parent B replied" in message.body()
    unfollow = re.search(r"https?://\S+/community/unfollow/\S+/", message.body()).group(0)

    # A reacts "Helpful" to B's reply: the count shows without a reload.
    page.goto(thread_url)
    reply = page.locator("article.post").nth(1)
    helpful = reply.get_by_role("button", name=re.compile("^Helpful"))
    helpful.click()
    page.wait_for_function(
        "el => el.getAttribute('aria-pressed') === 'true'", arg=helpful.element_handle(), timeout=5000
    )
    assert helpful.locator(".reaction-count").inner_text() == "1"
    page.reload()
    assert reply.get_by_role("button", name=re.compile("^Helpful")).locator(".reaction-count").inner_text() == "1"

    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_test_id("notifications-link").click()
    assert page.get_by_role("link", name="Parent B replied in “First week after diagnosis”").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Choose how often we email you").click()
    assert_accessible(page)

    page.goto(unfollow)
    assert page.get_by_role("heading", name="Stop following “First week after diagnosis”?").is_visible()
    page.get_by_role("button", name="Stop following").click()
    assert page.get_by_role("heading", name="You no longer follow this thread").is_visible()
    assert not Thread.objects.get().follows.filter(user__email="a@example.org").exists()


def test_a_reload_mid_compose_restores_the_draft(page):
    member = UserFactory(email="drafter@example.org")
    thread = factories.thread(author=member)
    log_in(page, email="drafter@example.org", next_url=thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Half a thought about IVIG")
    page.reload()
    assert page.get_by_label("Your reply").input_value() == "Half a thought about IVIG"
    assert page.get_by_text("We restored the draft you were writing.").is_visible()
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    page.reload()
    assert page.get_by_label("Your reply").input_value() == ""  # posted: the draft is gone


def test_an_expired_session_mid_post_returns_to_the_text_after_login(page):
    member = UserFactory(email="sleepy@example.org")
    thread = factories.thread(author=member)
    log_in(page, email="sleepy@example.org", next_url=thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Written before my session expired")
    page.context.clear_cookies(name="sessionid")  # the session expires while typing
    page.get_by_role("button", name="Post reply").click()
    page.get_by_label("Password").wait_for()
    page.get_by_label("Email").fill("sleepy@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("^Reply to")).wait_for()
    assert page.get_by_label("Your reply").input_value() == "Written before my session expired"
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    assert thread.posts.filter(body="Written before my session expired").exists()


def test_the_privacy_check_warns_and_keeps_the_text(page):
    UserFactory(email="careful@example.org")
    thread = factories.thread()
    log_in(page, email="careful@example.org", next_url=thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Emma Johnson starts school Monday, call 555-123-4567")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_test_id("privacy-warning").wait_for()
    assert_accessible(page)
    assert "555-123-4567" in page.get_by_label("Your reply").input_value()
    page.get_by_role("button", name="Post anyway").click()
    page.get_by_text("Your reply is posted.").wait_for()


def test_story_form_and_outcomes_pages_are_accessible(page):
    UserFactory(email="storyteller@example.org")
    for _ in range(5):
        factories.story(treatment=Story.Treatment.IVIG, m3=4, m6=3)
    factories.story(treatment=Story.Treatment.ANTIBIOTICS)
    page.goto("/community/stories/outcomes/")
    assert page.get_by_test_id("not-a-study").is_visible()
    assert page.locator("svg.chart").count() == 3
    assert_accessible(page)
    page.goto("/community/stories/")
    assert_accessible(page)

    log_in(page, email="storyteller@example.org", next_url="/community/stories/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Share story").click()  # empty: errors, accessible too
    page.locator("p.error", has_text="Please choose the treatment this story is about.").wait_for()
    assert_accessible(page)
    page.get_by_label("A title for your story").fill("Antibiotics for our daughter")
    page.get_by_label("Treatment", exact=True).select_option("antibiotics")
    page.get_by_label("Your child's age at the time").select_option("9-12")
    page.get_by_label("Symptom severity before treatment").select_option("7")
    page.get_by_label("Fatigue").check()
    page.get_by_label("Insurance outcome").select_option("covered")
    page.get_by_label("Your story", exact=True).fill("Six weeks of amoxicillin; the rages eased in week three.")
    page.get_by_role("button", name="Share story").click()
    page.get_by_role("heading", name="Antibiotics for our daughter").wait_for()
    assert page.get_by_test_id("story-summary").is_visible()
    assert_accessible(page)


def test_the_xss_corpus_never_executes_in_a_browser(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    thread = factories.thread(title="Payloads")
    for payload in XSS_PAYLOADS:
        services.reply(author=UserFactory(), thread=thread, body=payload)
    story = factories.story(narrative="\n\n".join(XSS_PAYLOADS))
    for url in (thread.get_absolute_url(), f"{thread.get_absolute_url()}?page=2", story.post.thread.get_absolute_url()):
        page.goto(url)
        page.wait_for_load_state("load")
    page.goto("/search/?q=alert")
    time.sleep(0.3)
    assert dialogs == []
