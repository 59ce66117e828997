from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles import emails, services, tasks
from articles.models import Article, ReviewDigest
from portal import outbox
from portal.celery import app as celery_app
from portal.models import OutboundEmail
from tests.articles.factories import editor, make_article, reviewer
from tests.factories import UserFactory

TODAY = date(2026, 11, 23)  # a Monday


def due(article, day):
    Article.objects.filter(pk=article.pk).update(review_due=day)


@pytest.mark.django_db
def test_editors_get_the_review_due_list_by_email_once_a_week(mail_server, django_capture_on_commit_callbacks):
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

    with django_capture_on_commit_callbacks(execute=True):  # the outbox rows, published
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
def test_a_refused_send_is_retried_from_the_outbox_and_the_week_is_not_planned_twice(
    mail_server, django_capture_on_commit_callbacks
):
    writer = editor(email="quill@example.org")
    due(make_article(by=writer), TODAY)
    mail_server.refuse("quill@example.org", code=451, times=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_review_due_digest(today=TODAY) == 1
    assert not mail_server.messages and ReviewDigest.objects.exists()
    row = OutboundEmail.objects.get(kind=emails.REVIEW_DUE)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "451")
    assert services.send_review_due_digest(today=TODAY) == 0
    # Its backoff over, the outbox's sweeper sends it, once.
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert outbox.sweep_outbound_emails() == 1
    assert mail_server.wait_for(1)[0].recipients == ["quill@example.org"]
    assert outbox.sweep_outbound_emails(older_than=timedelta(0)) == 0


@pytest.mark.django_db
def test_the_digest_lists_what_is_due_when_it_is_sent(mail_server):
    writer = editor(email="quill@example.org")
    reviewed_meanwhile, still_due = make_article(title="Reviewed meanwhile", by=writer), make_article(by=writer)
    due(reviewed_meanwhile, TODAY)
    due(still_due, TODAY)
    assert services.send_review_due_digest(today=TODAY) == 1  # on_commit never runs: the row waits
    due(reviewed_meanwhile, TODAY + timedelta(days=365))
    assert outbox.sweep_outbound_emails(older_than=timedelta(0)) == 1
    (message,) = mail_server.wait_for(1)
    assert message.subject == "[PANDAS Parent Network] 1 article review due"
    assert still_due.title in message.body("plain") and "Reviewed meanwhile" not in message.body("plain")


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
