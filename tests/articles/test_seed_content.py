"""The seed articles as files: every claim traces to a reference a reader can look up.

These read `articles/seed_content/*.md` directly, so a broken article fails here with its file
name and the exact problem, before anything is loaded into a database.
"""

import io
import re

import pytest
from django.core.management import call_command

from articles.forms import MAX_KEY_POINTS, MIN_KEY_POINTS
from articles.models import Article
from articles.rendering import render_article_body
from articles.seed import CATEGORIES, CONTENT_DIR, key_points, parse

MINIMUM_ARTICLES = 18
SEED_FILES = sorted(CONTENT_DIR.glob("*.md"))
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")


def _articles():
    articles = []
    for path in SEED_FILES:
        try:
            articles.append((path.name, *parse(path)))
        except ValueError as error:  # tomllib.TOMLDecodeError: name the file that broke
            raise AssertionError(f"{path.name}: front matter is not valid TOML: {error}") from error
    return articles


@pytest.fixture(scope="module")
def articles():
    return _articles()


def test_families_find_at_least_eighteen_articles(articles):
    assert len(articles) >= MINIMUM_ARTICLES, f"only {len(articles)} seed articles"


def test_every_bracketed_citation_points_to_a_listed_reference(articles):
    problems = []
    for name, front, body in articles:
        positions = set(range(1, len(front.get("references", [])) + 1))
        missing = sorted(render_article_body(body).citations - positions)
        if missing:
            problems.append(f"{name} cites {missing} but lists {len(positions)} references")
    assert problems == []


def test_a_citation_the_renderer_misses_is_still_caught(articles):
    # The renderer is the judge above; make sure it sees bracketed numbers in list items and tables too.
    assert render_article_body("- a claim [3]\n\n| a | b |\n|---|---|\n| x [4] | y |\n").citations == {3, 4}


def test_every_reference_has_a_doi_pmid_or_url_in_a_valid_form(articles):
    problems = []
    for name, front, _body in articles:
        for position, reference in enumerate(front.get("references", []), start=1):
            doi, pmid, url = (reference.get(key, "").strip() for key in ("doi", "pmid", "url"))
            if not (doi or pmid or url):
                problems.append(f"{name} [{position}] has no DOI, PMID or URL")
            if doi and not DOI.match(doi):
                problems.append(f"{name} [{position}] DOI {doi!r} is not of the form 10.xxxx/…")
            if pmid and not PMID.match(pmid):
                problems.append(f"{name} [{position}] PMID {pmid!r} is not a number")
            if url and not url.startswith(("https://", "http://")):
                problems.append(f"{name} [{position}] URL {url!r} is not a web address")
    assert problems == []


def test_every_reference_names_its_authors_title_and_source_and_is_cited(articles):
    problems = []
    for name, front, body in articles:
        references = front.get("references", [])
        cited = render_article_body(body).citations
        for position, reference in enumerate(references, start=1):
            for field in ("authors", "title", "journal"):
                if not str(reference.get(field, "")).strip():
                    problems.append(f"{name} [{position}] has no {field}")
            if position not in cited:
                problems.append(f"{name} [{position}] is listed but never cited")
        if len(references) < 3:
            problems.append(f"{name} has fewer than 3 references")
    assert problems == []


def test_front_matter_fits_the_article_form(articles):
    audiences = set(Article.Audience.values)
    problems = []
    for name, front, _body in articles:
        if front["slug"] != name.removesuffix(".md"):
            problems.append(f"{name}: slug {front['slug']!r} differs from the file name")
        if len(front["summary"]) > Article._meta.get_field("summary").max_length:
            problems.append(f"{name}: summary is longer than the form allows")
        if len(front["title"]) > Article._meta.get_field("title").max_length:
            problems.append(f"{name}: title is longer than the form allows")
        if front["category"] not in CATEGORIES:
            problems.append(f"{name}: category {front['category']!r} is not one of the seeded categories")
        if front.get("audience", "parents") not in audiences:
            problems.append(f"{name}: audience {front.get('audience')!r} is not a known audience")
    assert problems == []


def test_every_article_has_two_to_four_short_key_points(articles):
    problems = []
    for name, front, _body in articles:
        points = front.get("key_points", [])
        if not MIN_KEY_POINTS <= len(points) <= MAX_KEY_POINTS:
            problems.append(f"{name}: {len(points)} key points, not {MIN_KEY_POINTS} to {MAX_KEY_POINTS}")
        for point in points:
            if not (isinstance(point, str) and point.strip().endswith(".") and "\n" not in point):
                problems.append(f"{name}: key point {point!r} is not one sentence on one line")
            elif len(point) > 220:
                problems.append(f"{name}: key point is {len(point)} characters; keep it short")
        if len(key_points(front)) > Article._meta.get_field("key_points").max_length:
            problems.append(f"{name}: key points are longer than the form allows")
    assert problems == []


def test_key_points_state_no_number_their_article_does_not(articles):
    # A summary must not add claims: every figure in a key point comes from the article's own text.
    problems = []
    for name, front, body in articles:
        for point in front.get("key_points", []):
            for number in re.findall(r"\d+(?:[.,]\d+)?", point):
                if number not in body:
                    problems.append(f"{name}: key point cites {number}, which the article never states")
    assert problems == []


def test_every_article_ends_with_when_to_get_help_now(articles):
    missing = [name for name, _front, body in articles if "## When to get help now" not in body]
    assert missing == []


@pytest.mark.django_db
def test_seeding_publishes_every_seed_article_with_all_its_references(articles):
    call_command("seed_demo", stdout=io.StringIO())
    for name, front, _body in articles:
        article = Article.objects.get(slug=front["slug"])
        assert article.is_published, name
        assert article.references.count() == len(front["references"]), name
        assert article.key_point_list == front["key_points"], name
    assert Article.objects.count() >= MINIMUM_ARTICLES
