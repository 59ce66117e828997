"""An edit to a reviewed article, in headless Chromium: the editor saves it in the admin, the public page
stays exactly as it was, a medical reviewer approves, and the page and its badge change together."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import ReviewerProfile
from tests.articles.factories import editor, make_article, reviewer
from tests.factories import DEFAULT_PASSWORD, enable_two_factor, totp_code
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDED = "Melatonin 10 mg every night is safe for all children."


@pytest.fixture(autouse=True)
def staff_group_permissions():
    """The groups' admin permissions, as the articles migrations grant them: an earlier browser test's
    flush empties the tables those migrations filled."""
    for name in ("0002_search_and_permissions", "0003_article_versions_and_reviewer_profiles"):
        for group_name, codenames in import_module(f"articles.migrations.{name}").GROUP_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
            )


def staff_tab(browser, live_server, user):
    secret = enable_two_factor(user)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/accounts/login/")
    tab.get_by_label("Email").fill(user.email)
    tab.get_by_label("Password").fill(DEFAULT_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.get_by_label("Code", exact=True).fill(totp_code(secret))
    tab.get_by_role("button", name="Log in").click()
    # Signed in once the two-factor step has sent the browser on.
    tab.wait_for_url(lambda address: "/accounts/login/" not in address and "/2fa/" not in address)
    return tab


def with_profile(user, name, slug):
    ReviewerProfile.objects.create(user=user, slug=slug, name=name, credentials="MD", conflicts_of_interest="")
    return user


def test_editor_edits_public_unchanged_reviewer_approves_public_and_badge_change(page, browser, live_server):
    ash = with_profile(reviewer(email="ash@example.org"), "Dr Ash", "dr-ash")
    birch = with_profile(reviewer(email="birch@example.org"), "Dr Birch", "dr-birch")
    writer = editor(email="writer@example.org")
    article = make_article(title="Sleep and flares", by=writer, reviewed_by=ash)
    url = article.get_absolute_url()

    page.goto(url)
    before = page.request.get(url).body()
    badge = page.get_by_test_id("reviewed-by")
    assert "Dr Ash" in badge.inner_text()
    assert_accessible(page)

    editor_tab = staff_tab(browser, live_server, writer)
    editor_tab.goto(f"/admin/articles/article/{article.pk}/change/")
    body = editor_tab.get_by_label("Body")
    body.fill(body.input_value() + "\n\n" + ADDED + "\n")
    editor_tab.get_by_role("button", name="Save", exact=True).click()
    editor_tab.get_by_text("Your change to the text waits for a medical reviewer.").wait_for()

    assert page.request.get(url).body() == before
    page.reload()
    assert ADDED not in page.content() and "Dr Ash" in page.get_by_test_id("reviewed-by").inner_text()

    reviewer_tab = staff_tab(browser, live_server, birch)
    reviewer_tab.goto(f"/admin/articles/article/{article.pk}/change/")
    reviewer_tab.get_by_role("link", name="Review the waiting change").first.click()
    assert "+" + ADDED in reviewer_tab.locator(".revision-diff").inner_text()
    reviewer_tab.get_by_label("What did you check?").fill("Removed nothing; the dose claim needs a source.")
    reviewer_tab.get_by_label("I have read this article").check()
    reviewer_tab.get_by_role("button", name="Approve and publish this version").click()
    reviewer_tab.get_by_text("Approved: readers now see this version.").wait_for()

    page.reload()
    assert page.request.get(url).body() != before
    assert ADDED in page.locator(".article-body").inner_text()
    badge = page.get_by_test_id("reviewed-by")
    assert "Dr Birch" in badge.inner_text() and "Dr Ash" not in badge.inner_text()
    assert_accessible(page)
    badge.get_by_role("link", name="Dr Birch").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dr Birch"
    assert "Sleep and flares" in page.content()
    assert_accessible(page)
