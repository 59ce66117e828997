"""The editorial workflow in the admin site, as editors and reviewers use it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Review
from tests.articles.factories import category, editor, make_article, reviewer

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def article_form(**overrides) -> dict:
    data = {
        "title": "Strep and sudden OCD",
        "slug": "strep-and-sudden-ocd",
        "summary": "What the research says.",
        "category": category("Treatment").pk,
        "audience": "parents",
        "body": "## What happens\n\nSymptoms can start suddenly [1].\n",
        "status": "draft",
        "review_due": "",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "references-0-position": "1",
        "references-0-authors": "Swedo SE, et al.",
        "references-0-title": "Clinical description of the first 50 cases",
        "references-0-journal": "American Journal of Psychiatry",
        "references-0-year": "1998",
        "references-0-doi": "https://doi.org/10.1176/ajp.155.2.264",
        "references-0-pmid": "9464208",
        "references-0-url": "",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_editor_writes_a_draft_with_references_and_a_first_revision(client):
    writer = editor(display_name="Quill")
    client.force_login(writer)
    response = client.post(ADD_URL, article_form())
    assert response.status_code == 302, response.context["errors"] if response.context else response
    article = Article.objects.get(slug="strep-and-sudden-ocd")
    assert article.author == writer and article.status == "draft"
    assert '<a href="#ref-1" class="citation-link"' in article.body_html
    reference = article.references.get()
    assert reference.doi == "10.1176/ajp.155.2.264"
    revision = article.revisions.get()
    assert revision.editor == writer and "body" in revision.changed_fields


def test_key_points_are_kept_one_per_line_even_when_pasted_as_a_list(client):
    client.force_login(editor())
    key_points = "- Symptoms can start suddenly.\r\n\r\n* Ask your clinician about a strep test.\r\n"
    response = client.post(ADD_URL, article_form(key_points=key_points))
    assert response.status_code == 302
    article = Article.objects.get(slug="strep-and-sudden-ocd")
    assert article.key_points == "Symptoms can start suddenly.\nAsk your clinician about a strep test."
    assert "key_points" in article.revisions.get().changed_fields


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "Hello <iframe src=x></iframe> [1]"}, "HTML is not allowed in articles"),
        ({"body": "Opens a block [1]\n\n```\nnever closed"}, "is never closed"),
        ({"body": "Cites a missing one [1] [2]."}, "The body cites [2], but there is only 1 reference."),
        ({"references-0-title": ""}, "Every reference needs a title."),
        ({"references-0-position": "3"}, "Number the references 1 to 1"),
        ({"references-0-doi": "ajp.155"}, "A DOI starts with 10."),
        ({"status": "published"}, "only after a medical reviewer has reviewed it"),
        ({"key_points": "Only one point."}, "Write 2 to 4 key points, one per line (there are 1)"),
        ({"key_points": "One.\nTwo.\nThree.\nFour.\nFive."}, "Write 2 to 4 key points, one per line (there are 5)"),
    ],
)
def test_bad_input_is_a_clear_form_error_and_nothing_is_lost(client, overrides, message):
    client.force_login(editor())
    data = article_form(**overrides)
    response = client.post(ADD_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert not Article.objects.exists()
    # What the editor typed comes back: the body, the summary and the reference.
    assert escape(data["body"]) in html
    assert "What the research says." in html and "Swedo SE, et al." in html


def test_a_medical_reviewer_records_a_review_then_an_editor_publishes(client):
    article = make_article(status=Article.Status.IN_REVIEW)
    doctor = reviewer(display_name="Dr Wren")
    client.force_login(doctor)
    review_url = reverse("admin:articles_article_review", args=[article.pk])
    response = client.post(review_url, {"notes": "Checked dosing."})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert "Checked dosing." in response.content.decode()
    assert client.post(review_url, {"notes": "Checked dosing.", "confirm": "on"}).status_code == 302
    assert Review.objects.get(article=article).reviewer == doctor

    client.force_login(article.author)
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == "published"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by <strong>Dr Wren</strong>" in html


def test_an_editor_cannot_record_a_review(client):
    article = make_article(status=Article.Status.IN_REVIEW)
    client.force_login(article.author)
    response = client.post(reverse("admin:articles_article_review", args=[article.pk]), {"confirm": "on"})
    assert response.status_code == 403
    assert not article.reviews.exists()


def test_the_publish_action_refuses_an_unreviewed_article_and_says_why(client):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(article.author)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "was not published: An article can be published only after" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "draft"


def test_editors_compare_and_restore_a_revision(client):
    article = make_article(status=Article.Status.DRAFT, body="## Start\n\nFirst words [1].\n")
    client.force_login(article.author)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change_url).content.decode()
    assert "Compare and restore" in page and ">Record medical review</a>" not in page
    data = article_form(
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        category=article.category_id,
        body="## Start\n\nSecond words [1].\n",
        tags=[tag.pk for tag in article.tags.all()],
        **{"references-INITIAL_FORMS": "2", "references-TOTAL_FORMS": "2"},
    )
    for index, ref in enumerate(article.references.all()):
        data.update({f"references-{index}-id": ref.pk, f"references-{index}-article": article.pk})
        data.update({f"references-{index}-{name}": getattr(ref, name) for name in ("position", "authors", "title")})
        data.update({f"references-{index}-{name}": getattr(ref, name) for name in ("journal", "year", "doi", "pmid")})
        data[f"references-{index}-url"] = ""
    response = client.post(change_url, data)
    assert response.status_code == 302
    latest, first = article.revisions.all()[:2]
    assert latest.changed_fields == ["body"]

    compare = client.get(reverse("admin:articles_article_revision", args=[article.pk, latest.pk])).content.decode()
    assert "-First words [1]." in compare and "+Second words [1]." in compare

    client.post(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    article.refresh_from_db()
    assert "First words" in article.body and "First words" in article.body_html
    assert article.revisions.count() == 3


def test_reviewers_can_read_but_not_edit_articles(client):
    article = make_article()
    client.force_login(reviewer())
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200 and ">Record medical review</a>" in page.content.decode()
    assert client.get(ADD_URL).status_code == 403
