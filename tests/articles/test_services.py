from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article, Reference, Revision
from tests.articles.factories import category, editor, make_article, reviewer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_an_editor_can_create_an_article():
    with pytest.raises(PermissionDenied):
        services.create_article(
            editor=UserFactory(), title="T", slug="t", summary="S", body="B", category=category("Treatment")
        )
    assert not Article.objects.exists()


def test_only_a_medical_reviewer_can_record_a_review():
    article = make_article(status=Article.Status.DRAFT)
    for someone in (editor(), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.record_review(reviewer=someone, article=article)
    assert not article.reviews.exists()


def test_a_draft_cannot_be_published_without_a_review():
    article = make_article(status=Article.Status.DRAFT)
    with pytest.raises(services.PublishingError, match="only after a medical reviewer has reviewed it"):
        services.publish_article(editor=article.author, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.published_at is None


def test_a_reviewed_article_is_published_and_shows_its_latest_review():
    article = make_article(status=Article.Status.IN_REVIEW)
    doctor = reviewer(display_name="Dr Lantern")
    review = services.record_review(reviewer=doctor, article=article, notes="Doses checked.")
    article = services.publish_article(editor=article.author, article=article)
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
    assert article.last_review == review
    assert article.review_due == (review.reviewed_at + timedelta(days=365)).date()


def test_every_change_keeps_a_revision_saying_who_and_what_changed():
    article = make_article(status=Article.Status.DRAFT)
    first = article.revisions.get()
    assert first.note == "Created" and first.editor == article.author
    other_editor = editor(display_name="Second Quill")
    article.body = "## New\n\nRewritten [1]."
    services.save_article(editor=other_editor, article=article)
    revision = services.record_revision(editor=other_editor, article=article)
    assert revision.editor == other_editor
    assert revision.changed_fields == ["body"]
    assert revision.snapshot["body"] == "## New\n\nRewritten [1]."
    # Saving without a change adds nothing.
    assert services.record_revision(editor=other_editor, article=article) is None
    assert article.revisions.count() == 2


def test_restoring_a_revision_brings_back_body_and_references_as_a_new_revision():
    article = make_article(references=2, status=Article.Status.DRAFT)
    original = article.revisions.get()
    article.body = "Changed [1]."
    services.save_article(editor=article.author, article=article)
    article.references.filter(position=2).delete()
    services.record_revision(editor=article.author, article=article)

    services.restore_revision(editor=article.author, revision=original)
    article.refresh_from_db()
    assert article.body == original.snapshot["body"]
    assert "Text citing" in article.body_html
    assert list(article.references.values_list("position", flat=True)) == [1, 2]
    assert Revision.objects.filter(article=article).count() == 3
    assert article.revisions.first().note.startswith("Restored the version of")


def test_status_changes_are_revisions_too():
    article = make_article(status=Article.Status.DRAFT)
    services.change_status(editor=article.author, article=article, status=Article.Status.IN_REVIEW)
    latest = article.revisions.first()
    assert latest.changed_fields == ["status"] and latest.note == "Status: In review"


def test_a_non_editor_cannot_restore():
    article = make_article(status=Article.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.restore_revision(editor=reviewer(), revision=article.revisions.get())


def test_the_search_vector_follows_bulk_updates_too():
    article = make_article(title="Plain title")
    Article.objects.filter(pk=article.pk).update(title="Tonsillectomy questions")
    assert Article.objects.filter(search_vector="tonsillectomy").exists()
    assert Reference.objects.filter(article=article).count() == 2
