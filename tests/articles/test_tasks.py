from datetime import date, timedelta

import pytest

from articles import services, tasks
from articles.models import Article, ReviewDigest
from portal.celery import app as celery_app
from tests.articles.factories import editor, make_article, reviewer
from tests.factories import UserFactory

TODAY = date(2026, 11, 23)  # a Monday


def due(article, day):
    Article.objects.filter(pk=article.pk).update(review_due=day)


@pytest.mark.django_db
def test_editors_get_the_review_due_list_by_email_once_a_week(mail_server):
    writer = editor(email="quill@example.org")
    editor(email="second.editor@example.org")
    reviewer(email="doctor@example.org")
    UserFactory(email="parent@example.org")
    overdue = make_article(title="Overdue article", by=writer)
    soon = make_article(title="Due soon article", by=writer)
    later = make_article(title="Reviewed recently", by=writer)
    draft = make_article(title="Draft article", status=Article.Status.DRAFT, by=writer)
    due(overdue, TODAY - timedelta(days=40))
    due(soon, TODAY + timedelta(days=10))
    due(later, TODAY + timedelta(days=200))
    due(draft, TODAY - timedelta(days=40))

    assert services.send_review_due_digest(today=TODAY) == 2  # one message per editor
    messages = mail_server.wait_for(2)
    (message,) = mail_server.to("quill@example.org")
    assert message.subject == "[PANDAS Parent Network] 2 article reviews due"
    text = message.body("plain")
    assert "Overdue article" in text and "(overdue)" in text and "Due soon article" in text
    assert "Reviewed recently" not in text and "Draft article" not in text
    assert f"/admin/articles/article/{overdue.pk}/change/" in text
    assert "Overdue article" in message.body("html")
    assert all(len(m.recipients) == 1 for m in messages)
    assert not mail_server.to("doctor@example.org") and not mail_server.to("parent@example.org")

    # The same week again (a retried or duplicated task) sends nothing.
    assert services.send_review_due_digest(today=TODAY + timedelta(days=3)) == 0
    assert len(mail_server.messages) == 2
    assert ReviewDigest.objects.get().week_start == TODAY


@pytest.mark.django_db
def test_a_refused_send_leaves_no_mark_so_the_retry_sends(mail_server):
    writer = editor(email="quill@example.org")
    due(make_article(by=writer), TODAY)
    mail_server.refuse("quill@example.org", code=451, times=1)
    with pytest.raises(OSError):
        services.send_review_due_digest(today=TODAY)
    assert not ReviewDigest.objects.exists()
    assert services.send_review_due_digest(today=TODAY) == 1
    assert mail_server.wait_for(1)[0].recipients == ["quill@example.org"]


@pytest.mark.django_db
def test_nothing_due_sends_nothing(mail_server):
    editor(email="quill@example.org")
    make_article()
    assert services.send_review_due_digest(today=TODAY) == 0
    assert not ReviewDigest.objects.exists()


def test_the_digest_is_on_the_weekly_beat_schedule():
    entry = celery_app.conf.beat_schedule["articles-review-due-digest"]
    assert entry["task"] == tasks.send_review_due_digest.name
    assert entry["schedule"].day_of_week == {1}


@pytest.mark.worker
def test_a_real_worker_sends_the_digest(celery_worker, mail_server):
    writer = editor(email="quill@example.org")
    article = make_article(by=writer)
    due(article, date.today() - timedelta(days=1))
    tasks.send_review_due_digest.delay()
    (message,) = mail_server.wait_for(1)
    assert article.title in message.body("plain")
