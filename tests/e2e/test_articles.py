"""Reading articles in headless Chromium: list → article, reviewer line, key points and red flags, table of
contents, search."""

import io

import pytest
from django.core.management import call_command

from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_a_parent_reads_an_article_from_the_list_and_follows_its_contents(page, seeded):
    page.goto("/articles/")
    assert_accessible(page)
    page.get_by_label("Category").select_option(label="Treatment")
    page.get_by_role("button", name="Show articles").click()
    assert "category=treatment" in page.url
    page.get_by_role("link", name="IVIG for PANDAS/PANS: what it is and what the evidence says").click()

    assert page.url.endswith("/articles/ivig-evidence-and-side-effects/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("IVIG for PANDAS/PANS")
    reviewed = page.get_by_test_id("reviewed-by")
    assert reviewed.is_visible() and reviewed.inner_text().startswith(
        "Demonstration review — not reviewed by a clinician."
    )
    # Key points and the red flags come first, above the table of contents, on screen and on paper.
    key_points = page.get_by_role("region", name="Key points")
    red_flags = page.get_by_role("region", name="Get help now if your child…")
    toc_top = page.get_by_role("navigation", name="On this page").bounding_box()["y"]
    assert 2 <= key_points.get_by_role("listitem").count() <= 4
    assert key_points.bounding_box()["y"] < toc_top and red_flags.bounding_box()["y"] < toc_top
    assert red_flags.get_by_role("link", name="crisis lines and what to do").get_attribute("href") == "/help/"
    page.emulate_media(media="print")
    assert key_points.is_visible() and red_flags.is_visible()
    page.emulate_media(media="screen")
    assert_accessible(page)

    toc = page.get_by_role("navigation", name="On this page")
    first_entry = toc.get_by_role("link").first
    target = first_entry.get_attribute("href")
    first_entry.click()
    assert page.url.endswith(target)
    assert page.locator(target).is_visible()

    citation = page.locator(".article-body .citation-link").first
    reference = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(reference) and page.locator(reference).is_visible()


def test_search_results_are_accessible_and_lead_to_the_article(page, seeded):
    page.goto("/search/?q=immunoglobulins")
    assert_accessible(page)
    assert page.locator("mark").first.is_visible()
    page.get_by_role("link", name="IVIG for PANDAS/PANS: what it is and what the evidence says").click()
    assert page.url.endswith("/articles/ivig-evidence-and-side-effects/")


def test_a_missing_article_offers_search(page):
    response = page.goto("/articles/no-such-article/")
    assert response.status == 404
    page.get_by_label("Search articles and the community").fill("strep")
    page.get_by_role("button", name="Search").click()
    assert "/search/?q=strep" in page.url
