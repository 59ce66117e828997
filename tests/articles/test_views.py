import json
import re
from datetime import date

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from articles.sections import home_section
from tests.articles.factories import editor, make_article, reviewer
from tests.factories import UserFactory
from tests.support.queries import assert_fixed_queries
from tests.support.xss import XSS_PAYLOADS, assert_no_executable_markup

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def detail_url(article):
    return reverse("articles:detail", kwargs={"slug": article.slug})


def test_article_page_shows_reviewer_toc_references_and_the_medical_note(client):
    doctor = reviewer(display_name="Dr Heron")
    article = make_article(title="IVIG explained", references=2, reviewed_by=doctor)
    response = client.get(detail_url(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", html)) == 1
    review = article.last_review
    assert "Medically reviewed by <strong>Dr Heron</strong>" in html
    assert f'<time datetime="{review.reviewed_at:%Y-%m-%d}">' in html
    assert '<a href="#background">Background</a>' in html and '<h2 id="background">' in html
    # h3 sections nest under their h2 in the table of contents.
    assert '<ul><li><a href="#detail">Detail</a></li></ul>' in html and '<h3 id="detail">' in html
    assert '<li id="ref-1" value="1">' in html and 'href="#ref-1"' in html
    assert 'href="https://doi.org/10.1000/example.1"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/1001/"' in html
    assert "This article is information, not medical advice." in html
    assert "Not medical advice." in html
    assert "Review due" not in html


def test_article_page_has_open_graph_and_medical_webpage_json_ld(client):
    article = make_article(title='Strep & "school" </script>', reviewed_by=reviewer(display_name="Dr Finch"))
    html = client.get(detail_url(article)).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Strep &amp; &quot;school&quot; &lt;/script&gt;">' in html
    assert f'<meta property="og:url" content="http://testserver{detail_url(article)}">' in html
    (raw,) = JSON_LD.findall(html)
    assert "</" not in raw
    data = json.loads(raw)
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == 'Strep & "school" </script>'
    assert data["lastReviewed"] == article.last_review.reviewed_at.date().isoformat()
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr Finch"}
    assert data["citation"][0]["url"] == "https://doi.org/10.1000/example.1"


KEY_POINTS = "Symptoms can start within days.\nA strep test <b>helps</b> only when strep is suspected."


def test_key_points_are_shown_at_the_top_between_the_review_badge_and_the_contents(client):
    article = make_article(key_points=KEY_POINTS, reviewed_by=reviewer(display_name="Dr Heron"))
    html = client.get(detail_url(article)).content.decode()
    box = html.split('data-testid="key-points"')[1].split("</section>")[0]
    assert '<h2 id="key-points-title">Key points</h2>' in box
    assert "<li>Symptoms can start within days.</li>" in box
    # Plain text: what an editor typed is escaped, never markup.
    assert "<li>A strep test &lt;b&gt;helps&lt;/b&gt; only when strep is suspected.</li>" in box
    positions = [
        html.index(marker) for marker in ('data-testid="reviewed-by"', 'id="key-points-title"', 'id="toc-title"')
    ]
    assert positions == sorted(positions)
    assert html.index('id="key-points-title"') < html.index('<div class="article-body">')


def test_an_article_without_key_points_shows_no_key_points_box_but_keeps_the_red_flags(client):
    html = client.get(detail_url(make_article(key_points=""))).content.decode()
    assert "key-points" not in html and "Key points" not in html
    assert 'data-testid="red-flags"' in html


def test_the_red_flags_box_says_when_to_get_help_now_and_links_the_crisis_page(client):
    article = make_article(key_points=KEY_POINTS)
    html = client.get(detail_url(article)).content.decode()
    box = html.split('data-testid="red-flags"')[1].split("</section>")[0]
    assert '<h2 id="red-flags-title">Get help now if your child…</h2>' in box
    for sign in (
        "talks of self-harm or suicide",
        "drools, cannot swallow or has trouble breathing",
        "stops drinking, or has almost stopped eating",
        "is violent, or so agitated that someone could be hurt",
    ):
        assert f"<li>{sign}</li>" in box
    assert reverse("help_now") == "/help/" and '<a href="/help/">' in box
    # Near the top: before the table of contents and the body, not only in the closing section.
    assert html.index('id="red-flags-title"') < html.index('id="toc-title"')


def test_key_points_and_red_flags_print_and_sit_side_by_side_on_wide_screens():
    css = (settings.BASE_DIR / "static/css/articles.css").read_text()
    screen, printed = css.split("@media print {")
    assert ".at-a-glance { display: grid;" in screen
    hidden_in_print = printed.split("{")[0]
    assert all(box not in hidden_in_print for box in (".at-a-glance", ".key-points", ".red-flags"))
    assert "break-inside: avoid" in printed.split(".key-points, .red-flags {")[1].split("}")[0]


def test_print_stylesheet_is_linked(client):
    html = client.get(detail_url(make_article())).content.decode()
    assert 'href="/static/css/articles.css"' in html
    css = (settings.BASE_DIR / "static/css/articles.css").read_text()
    assert "@media print" in css and ".site-header" in css.split("@media print")[1]


def test_related_articles_share_tags_or_category(client):
    article = make_article(tags=("ivig",), category_name="Treatment")
    same_tag = make_article(tags=("ivig",), category_name="School")
    same_category = make_article(tags=("other",), category_name="Treatment")
    unrelated = make_article(tags=("other",), category_name="School")
    draft = make_article(tags=("ivig",), status=Article.Status.DRAFT)
    html = client.get(detail_url(article)).content.decode()
    related = html.split('id="related-title"')[1]
    assert same_tag.title in related and same_category.title in related
    assert related.index(same_tag.title) < related.index(same_category.title)
    assert unrelated.title not in related and draft.title not in related


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_unpublished_articles_are_404_to_the_public_and_previewable_by_editors(client, status):
    article = make_article(status=status)
    assert client.get(detail_url(article)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(detail_url(article)).status_code == 404
    client.force_login(editor())
    response = client.get(detail_url(article))
    assert response.status_code == 200
    assert "Preview — this article is" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_missing_slug_is_a_404_that_offers_search(client):
    response = client.get("/articles/no-such-article/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'role="search"' in html and 'name="q"' in html


def test_review_due_is_shown_to_editors_only(client):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(review_due=date(2000, 1, 31))
    assert "Review due" not in client.get(detail_url(article)).content.decode()
    client.force_login(reviewer())
    assert "Review due" not in client.get(detail_url(article)).content.decode()
    client.force_login(editor())
    html = client.get(detail_url(article)).content.decode()
    assert "Review due 31 January 2000" in html and "shown to editors only" in html


def test_anonymous_article_pages_set_no_cookie(client):
    article = make_article()
    for url in (reverse("articles:list"), detail_url(article), reverse("articles:feed")):
        assert not client.get(url).cookies


def test_list_shows_published_articles_newest_first_and_paginates(client):
    older = make_article(title="Older article")
    make_article(title="Newer article")
    draft = make_article(title="Draft article", status=Article.Status.DRAFT)
    archived = make_article(title="Archived article", status=Article.Status.ARCHIVED)
    html = client.get(reverse("articles:list")).content.decode()
    assert html.index("Newer article") < html.index("Older article")
    assert draft.title not in html and archived.title not in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for _ in range(10):
        make_article()
    page1 = client.get(reverse("articles:list")).content.decode()
    page2 = client.get(reverse("articles:list"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in page1 and older.title not in page1
    assert "Page 2 of 2" in page2 and older.title in page2


def test_list_filters_by_category_and_audience(client):
    school = make_article(title="For teachers", category_name="School", audience=Article.Audience.SCHOOLS)
    parents = make_article(title="For parents", category_name="School", audience=Article.Audience.PARENTS)
    treatment = make_article(title="Treatment one", category_name="Treatment")
    html = client.get(reverse("articles:list"), {"category": "school"}).content.decode()
    assert school.title in html and parents.title in html and treatment.title not in html
    html = client.get(reverse("articles:list"), {"category": "school", "audience": "schools"}).content.decode()
    assert school.title in html and parents.title not in html
    assert '<option value="schools" selected>' in html


def test_an_unknown_filter_says_so_and_shows_everything(client):
    article = make_article()
    response = client.get(reverse("articles:list"), {"category": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That filter is not one we know" in html and article.title in html


def test_home_page_lists_the_latest_articles(client):
    article = make_article(title="Newest on the home page")
    html = client.get(reverse("home")).content.decode()
    assert "Latest articles" in html and article.title in html and detail_url(article) in html


def test_atom_feed_is_valid_and_lists_published_articles_only(client):
    published = make_article(title="Published one")
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Published one"]
    assert feed.entries[0].link == f"http://testserver{detail_url(published)}"
    assert feed.entries[0].summary == published.summary


def test_sitemap_lists_published_articles_only(client):
    published = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert detail_url(published) in xml and detail_url(draft) not in xml


def test_xss_corpus_in_article_bodies_never_reaches_the_page(client):
    body = "## Payloads\n\n" + "\n\n".join(f"{payload} [1]" for payload in XSS_PAYLOADS)
    article = make_article(title="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>", body=body)
    html = client.get(detail_url(article)).content.decode()
    (json_ld,) = JSON_LD.findall(html)
    assert "<" not in json_ld  # the one script element on the page is inert data
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert_no_executable_markup(main)
    head = html.split("</head>")[0]
    assert head.count("<script") == 1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in head
    body_html = html.split('<div class="article-body">')[1].split("</div>")[0]
    assert body_html.count('class="citation-link"') == len(XSS_PAYLOADS)
    listing = client.get(reverse("articles:list")).content.decode()
    assert_no_executable_markup(listing.split('<ul class="article-list">')[1].split("</ul>")[0])
    feed = client.get(reverse("articles:feed")).content.decode()
    # The summary element holds HTML for a feed reader: the payload must arrive there as text.
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in feed


# --- Query counts: fixed whatever the length -------------------------------------------------


def test_article_page_queries_are_fixed_whatever_its_references_tags_and_related(client):
    small = make_article(references=1, tags=("a",), category_name="Lonely")
    large = make_article(
        references=12, tags=("a", "b", "c", "d", "e", "f"), category_name="Treatment", key_points=KEY_POINTS
    )
    for _ in range(4):
        make_article(tags=("b", "c"), category_name="Treatment")
    # article + references + tags + related
    assert_fixed_queries(client, detail_url(small), detail_url(large), 4)


def test_article_page_queries_for_a_signed_in_editor_are_fixed(client):
    small = make_article(references=1, tags=("a",), category_name="Lonely")
    large = make_article(references=12, tags=("a", "b", "c", "d"), category_name="Treatment")
    for _ in range(3):
        make_article(tags=("b",), category_name="Treatment")
    client.force_login(editor())
    # user with their roles and the header's unread count (one query) + their authenticator (an editor's
    # power needs two-factor), then the 4 of the page
    assert_fixed_queries(client, detail_url(small), detail_url(large), 6)


@pytest.mark.parametrize("size", [3, 25])
def test_article_list_queries_are_fixed_per_page(client, size):
    for _ in range(size):
        make_article(references=3, tags=("a", "b"))
    url = reverse("articles:list")
    # categories + count + page
    assert_fixed_queries(client, url, f"{url}?category=treatment&audience=parents", 3)


@pytest.mark.parametrize("size", [1, 6])
def test_home_section_costs_one_query(rf, django_assert_num_queries, size):
    for _ in range(size):
        make_article()
    with django_assert_num_queries(1):
        section = home_section(rf.get("/"))
        [article.last_review.reviewer.display_name for article in section["articles"]]
    assert len(section["articles"]) == min(size, 3)


def test_archived_article_stays_readable_with_a_notice(client):
    article = make_article(status=Article.Status.ARCHIVED)
    html = client.get(detail_url(article)).content.decode()
    assert "This article is archived" in html


def test_role_groups_get_the_permissions_they_need():
    writer, doctor = editor(), reviewer()
    assert writer.has_perms(["articles.add_article", "articles.change_article", "articles.delete_reference"])
    assert not writer.has_perm("articles.delete_article")
    assert doctor.has_perm("articles.view_article") and not doctor.has_perm("articles.change_article")
