"""A reviewed article's text changes only when a medical reviewer approves: the badge stays true."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles import emails, selectors, services
from articles.models import Article, ArticleVersion, ReviewerProfile
from portal import outbox
from portal.models import OutboundEmail
from tests.articles.factories import editor, make_article, reviewer
from tests.support.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db

MELATONIN = "Melatonin 10 mg every night is safe for all children."


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def change_form(article: Article, **overrides) -> dict:
    """The admin change form as an editor submits it, with the article's current references."""
    references = list(article.references.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "key_points": article.key_points,
        "category": article.category_id,
        "audience": article.audience,
        "tags": [tag.pk for tag in article.tags.all()],
        "body": article.body,
        "status": article.status,
        "review_due": article.review_due.isoformat() if article.review_due else "",
        "references-TOTAL_FORMS": str(len(references)),
        "references-INITIAL_FORMS": str(len(references)),
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    for index, ref in enumerate(references):
        data.update({f"references-{index}-id": ref.pk, f"references-{index}-article": article.pk})
        for name in ("position", "authors", "title", "journal", "year", "doi", "pmid", "url"):
            data[f"references-{index}-{name}"] = getattr(ref, name) if getattr(ref, name) is not None else ""
    data.update(overrides)
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def version_url(version):
    return reverse("admin:articles_article_version", args=[version.article_id, version.pk])


def public_bytes(article) -> bytes:
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
    return response.content


def test_an_edit_to_a_reviewed_article_leaves_the_public_page_byte_identical_until_a_reviewer_approves(client):
    first_reviewer = reviewer(display_name="Dr Ash")
    article = make_article(reviewed_by=first_reviewer)
    before = public_bytes(article)

    client.force_login(article.author)
    body = article.body + f"\n{MELATONIN}\n"
    response = client.post(change_url(article), change_form(article, body=body, title="A new title"))
    assert response.status_code == 302
    assert public_bytes(article) == before  # the editor's save started a new page-cache generation
    version = ArticleVersion.objects.get(article=article)
    assert version.is_pending and MELATONIN in version.content["body"]

    second_reviewer = reviewer(display_name="Dr Birch")
    client.force_login(second_reviewer)
    response = client.post(version_url(version), {"approve-notes": "Sourced?", "approve-confirm": "on", "approve": "1"})
    assert response.status_code == 302
    after = public_bytes(article).decode()
    assert MELATONIN in after and "A new title" in after
    assert "Medically reviewed by <strong>Dr Birch</strong>" in after and "Dr Ash" not in after


def test_an_edit_to_the_key_points_waits_for_a_reviewer_like_the_body(client):
    article = make_article(key_points="Symptoms can start suddenly.\nMost children improve.")
    before = public_bytes(article)

    client.force_login(article.author)
    key_points = f"Symptoms can start suddenly.\n{MELATONIN}"
    response = client.post(change_url(article), change_form(article, key_points=key_points))
    assert response.status_code == 302
    assert public_bytes(article) == before
    article.refresh_from_db()
    assert article.key_points == "Symptoms can start suddenly.\nMost children improve."
    version = ArticleVersion.objects.get(article=article)
    assert version.is_pending and version.content["key_points"] == key_points
    # The editor's next visit to the form builds on the waiting key points.
    assert MELATONIN in client.get(change_url(article)).content.decode()

    client.force_login(reviewer(display_name="Dr Birch"))
    diff = client.get(version_url(version)).content.decode()
    assert "<h3>key_points</h3>" in diff and "-Most children improve." in diff and f"+{MELATONIN}" in diff
    client.post(version_url(version), {"approve-confirm": "on", "approve": "1"})
    after = public_bytes(article).decode()
    assert f"<li>{MELATONIN}</li>" in after.split('data-testid="key-points"')[1].split("</section>")[0]
    assert "Most children improve." not in after
    assert "Medically reviewed by <strong>Dr Birch</strong>" in after


def test_a_version_saved_before_key_points_existed_keeps_the_reviewed_key_points(client):
    article = make_article(key_points="First point.\nSecond point.")
    version = services.propose_version(
        editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "Changed."}
    )
    ArticleVersion.objects.filter(pk=version.pk).update(
        content={key: value for key, value in version.content.items() if key != "key_points"}
    )
    client.force_login(article.author)
    assert client.get(change_url(article)).status_code == 200
    services.approve_version(reviewer=reviewer(), version=version)
    article.refresh_from_db()
    assert article.summary == "Changed." and article.key_points == "First point.\nSecond point."


def test_the_badge_names_the_reviewer_of_the_text_shown_while_a_change_waits(django_capture_on_commit_callbacks):
    signer = reviewer(display_name="Dr Ash")
    article = make_article(reviewed_by=signer)
    version = services.propose_version(
        editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "Changed."}
    )
    html = public_bytes(article).decode()
    assert "Medically reviewed by <strong>Dr Ash</strong>" in html and "Changed." not in html

    approver = reviewer(display_name="Dr Birch")
    with django_capture_on_commit_callbacks(execute=True):  # approval outside the web refreshes the page cache
        services.approve_version(reviewer=approver, version=version)
    article.refresh_from_db()
    assert article.last_review.reviewer == approver and article.last_review.version == version
    html = public_bytes(article).decode()
    assert "Medically reviewed by <strong>Dr Birch</strong>" in html and "Changed." in html


def test_a_sent_back_edit_keeps_the_note_for_editors_and_publishes_nothing(client):
    article = make_article()
    before = public_bytes(article)
    client.force_login(article.author)
    client.post(change_url(article), change_form(article, body=article.body + f"\n{MELATONIN}\n"))
    version = ArticleVersion.objects.get(article=article)

    client.force_login(reviewer())
    refused = client.post(version_url(version), {"send_back": "1", "send_back-note": ""})
    assert "Say what needs to change" in refused.content.decode()
    client.post(version_url(version), {"send_back": "1", "send_back-note": "No source for this dose."})
    version.refresh_from_db()
    assert version.state == ArticleVersion.State.SENT_BACK and version.review_note == "No source for this dose."
    assert public_bytes(article) == before

    client.force_login(article.author)
    page = client.get(change_url(article)).content.decode()
    assert "No source for this dose." in page and "sent back" in page
    with pytest.raises(services.PublishingError):
        services.approve_version(reviewer=reviewer(), version=version)


def test_editors_see_the_diff_of_a_waiting_change_and_cannot_approve_it(client):
    article = make_article(body="## Start\n\nFirst words [1].\n")
    client.force_login(article.author)
    client.post(change_url(article), change_form(article, body="## Start\n\nSecond words [1].\n"))
    version = ArticleVersion.objects.get(article=article)

    form_page = client.get(change_url(article)).content.decode()
    assert "waits for a medical reviewer" in form_page and "Second words [1]." in form_page
    page = client.get(version_url(version)).content.decode()
    assert "-First words [1]." in page and "+Second words [1]." in page
    assert "Approve and publish" not in page
    response = client.post(version_url(version), {"approve": "1", "approve-confirm": "on"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_version(reviewer=article.author, version=version)
    version.refresh_from_db()
    assert version.is_pending


def test_a_second_edit_updates_the_waiting_version_and_a_reference_change_waits_too(client):
    article = make_article(references=2)
    client.force_login(article.author)
    client.post(change_url(article), change_form(article, summary="First change."))
    article = Article.objects.get(pk=article.pk)
    client.post(change_url(article), change_form(article, summary="First change.", **{"references-1-title": "Renamed"}))
    version = ArticleVersion.objects.get(article=article)
    assert version.content["summary"] == "First change."
    assert version.content["references"][1]["title"] == "Renamed"
    assert article.references.get(position=2).title == "A study number 2"


def test_saving_the_reviewed_text_back_withdraws_the_waiting_version(client):
    article = make_article()
    original = change_form(article)
    client.force_login(article.author)
    client.post(change_url(article), change_form(article, summary="Changed."))
    assert ArticleVersion.objects.filter(article=article).exists()
    client.post(change_url(article), original)
    assert not ArticleVersion.objects.filter(article=article).exists()


def test_restoring_a_revision_of_a_reviewed_article_waits_for_review():
    article = make_article(body="## Start\n\nFirst words [1].\n")
    first = article.revisions.last()
    version = services.propose_version(
        editor=article.author,
        article=article,
        content={**selectors.reviewed_content(article), "body": "## Start\n\nSecond words [1].\n"},
    )
    services.approve_version(reviewer=reviewer(), version=version)
    services.restore_revision(editor=article.author, revision=first)
    article.refresh_from_db()
    assert "Second words" in article.body
    assert "First words" in ArticleVersion.objects.get(article=article, state="pending").content["body"]


def test_restoring_a_revision_saved_before_key_points_existed_keeps_the_key_points():
    article = make_article(status=Article.Status.DRAFT, body="## Start\n\nFirst words [1].\n")
    first = article.revisions.get()
    first.snapshot.pop("key_points")
    first.save()
    article.body, article.key_points = "## Start\n\nSecond words [1].\n", "One point.\nTwo points."
    services.save_article(editor=article.author, article=article)
    services.restore_revision(editor=article.author, revision=first)
    article.refresh_from_db()
    assert "First words" in article.body and article.key_points == "One point.\nTwo points."


def test_an_unreviewed_draft_is_edited_directly():
    article = make_article(status=Article.Status.DRAFT)
    article.body = "## New\n\nDraft words [1].\n"
    services.save_article(editor=article.author, article=article)
    assert "Draft words" in Article.objects.get(pk=article.pk).body_html
    assert not ArticleVersion.objects.exists()


def test_the_badge_links_the_reviewer_profile_with_credentials_and_conflicts(client):
    doctor = reviewer(display_name="wren42")
    ReviewerProfile.objects.create(
        user=doctor,
        slug="dr-wren",
        name="Dr Jo Wren",
        credentials="MD, paediatric neurologist",
        statement="Checks every claim against its source.",
        conflicts_of_interest="Speaker fees from an IVIG maker (2023).",
    )
    article = make_article(reviewed_by=doctor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/articles/reviewers/dr-wren/">Dr Jo Wren</a>, MD, paediatric neurologist' in html
    assert "Next review due" in html
    profile = client.get("/articles/reviewers/dr-wren/").content.decode()
    assert "Speaker fees from an IVIG maker (2023)." in profile and "Checks every claim" in profile
    assert article.title in profile and "demonstration" not in profile.lower()


def test_next_review_due_is_shown_to_everyone(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Next review due <time datetime="{article.review_due:%Y-%m-%d}">{article.review_due:%B %Y}</time>' in html


def test_seeded_articles_say_their_review_is_a_demonstration(client):
    call_command("seed_demo", stdout=io.StringIO())
    article = Article.objects.get(slug="ivig-evidence-and-side-effects")
    assert article.last_review.is_demonstration
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Demonstration review — not reviewed by a clinician." in html
    assert "Medically reviewed by" not in html
    assert "Demonstration review, not by a clinician" in client.get(reverse("articles:list")).content.decode()
    profile = client.get(article.last_review.profile.get_absolute_url()).content.decode()
    assert "This is a demonstration profile, not a clinician." in profile
    # Seeding took the editors' path: a draft, in review, reviewed, published.
    notes = list(article.revisions.order_by("created_at", "id").values_list("note", flat=True))
    assert notes[:3] == ["Created", "Status: In review", "Status: Published"]


def test_a_changed_seed_file_reaches_a_demo_article_through_an_approved_version(client):
    call_command("seed_demo", stdout=io.StringIO())
    article = Article.objects.get(slug="ivig-evidence-and-side-effects")
    Article.objects.filter(pk=article.pk).update(summary="An older summary.")
    call_command("seed_demo", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.summary != "An older summary."
    version = ArticleVersion.objects.get(article=article)
    assert version.state == ArticleVersion.State.APPROVED and article.last_review == version.review

    # Text a real reviewer signed is never replaced by the demo.
    Article.objects.filter(pk=article.pk).update(summary="Signed by a clinician.")
    services.record_review(reviewer=reviewer(), article=article)
    call_command("seed_demo", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.summary == "Signed by a clinician."


def test_an_article_seeded_before_key_points_gets_them_through_an_approved_version(client):
    call_command("seed_demo", stdout=io.StringIO())
    article = Article.objects.get(slug="ivig-evidence-and-side-effects")
    seeded_points = article.key_points
    Article.objects.filter(pk=article.pk).update(key_points="")
    call_command("seed_demo", stdout=io.StringIO())
    article.refresh_from_db()
    assert seeded_points and article.key_points == seeded_points
    version = ArticleVersion.objects.get(article=article)
    assert version.state == ArticleVersion.State.APPROVED and article.last_review == version.review


def test_only_editors_propose_changes():
    article = make_article()
    with pytest.raises(PermissionDenied):
        services.propose_version(editor=reviewer(), article=article, content=selectors.reviewed_content(article))
    assert (
        services.propose_version(editor=editor(), article=article, content=selectors.reviewed_content(article)) is None
    )


def test_a_reviewer_page_costs_fixed_queries_whatever_the_number_of_articles(client):
    few, many = reviewer(), reviewer()
    for user, slug, count in ((few, "few", 1), (many, "many", 4)):
        ReviewerProfile.objects.create(user=user, slug=slug, name=f"Dr {slug}")
        for _ in range(count):
            make_article(reviewed_by=user)
    assert_fixed_queries(client, "/articles/reviewers/few/", "/articles/reviewers/many/", 2)


def test_medical_reviewers_are_emailed_once_when_a_change_waits(mailoutbox, django_capture_on_commit_callbacks):
    article = make_article()
    doctor = reviewer(email="doctor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        version = services.propose_version(
            editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "New."}
        )
    to_reviewers = [message for message in mailoutbox if message.to == [doctor.email]]
    assert len(to_reviewers) == 1
    assert article.title in to_reviewers[0].subject and version_url(version) in to_reviewers[0].body
    assert all(message.to != [article.author.email] for message in mailoutbox)
    # A second edit, a task run twice, the sweeper: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_version(
            editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "Newer."}
        )
    assert services.tell_reviewers_about_version(version_id=version.pk) == 0
    assert services.sweep_reviewer_notices(older_than=datetime.timedelta(0)) == 0
    assert len([message for message in mailoutbox if message.to == [doctor.email]]) == 1


def test_a_notice_whose_publish_was_lost_waits_in_the_outbox_for_its_sweeper(mailoutbox):
    article = make_article()
    doctor = reviewer(email="doctor@example.org")
    version = services.propose_version(  # on_commit never runs here: as if the publish was lost
        editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "New."}
    )
    # The rows were written with the version: articles' own sweeper has nothing left to do.
    assert ArticleVersion.objects.get().reviewers_notified_at is not None
    assert services.sweep_reviewer_notices(older_than=datetime.timedelta(0)) == 0
    rows = OutboundEmail.objects.filter(kind=emails.VERSION_WAITING, object_key=str(version.pk))
    assert rows.count() == 2 and not mailoutbox  # the doctor and the first reviewer
    assert outbox.sweep_outbound_emails(older_than=datetime.timedelta(0)) == 2
    assert [message.to for message in mailoutbox if message.to == [doctor.email]] == [[doctor.email]]
    assert version_url(version) in mailoutbox[0].body


def test_the_sweeper_queues_the_notice_of_a_version_nobody_was_told_about(
    mailoutbox, django_capture_on_commit_callbacks
):
    article = make_article()
    doctor = reviewer(email="doctor@example.org")
    version = services.propose_version(
        editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "New."}
    )
    # As a version saved before its notice went into the outbox with it, whose task was lost.
    OutboundEmail.objects.all().delete()
    ArticleVersion.objects.filter(pk=version.pk).update(reviewers_notified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_reviewer_notices(older_than=datetime.timedelta(0)) == 2
    assert [message.to for message in mailoutbox if message.to == [doctor.email]] == [[doctor.email]]
    assert services.sweep_reviewer_notices(older_than=datetime.timedelta(0)) == 0


def test_a_notice_is_built_when_sent_so_a_decided_version_or_a_former_reviewer_gets_none(mailoutbox):
    article, other = make_article(title="Sent back meanwhile"), make_article(title="Still waiting")
    doctor, former = reviewer(email="doctor@example.org"), reviewer(email="former@example.org")
    content = {**selectors.reviewed_content(article), "summary": "New."}
    decided = services.propose_version(editor=article.author, article=article, content=content)
    services.send_back_version(reviewer=doctor, version=decided, note="Needs a source.")
    waiting = services.propose_version(
        editor=other.author, article=other, content={**selectors.reviewed_content(other), "summary": "New."}
    )
    former.groups.clear()
    outbox.sweep_outbound_emails(older_than=datetime.timedelta(0))
    assert sorted(message.to[0] for message in mailoutbox if message.to[0] in (doctor.email, former.email)) == [
        doctor.email
    ]
    assert article.title not in "".join(message.subject for message in mailoutbox)
    skipped = OutboundEmail.objects.filter(kind=emails.VERSION_WAITING, status="skipped")
    assert {row.object_key for row in skipped} == {str(decided.pk), str(waiting.pk)}


def test_the_record_review_form_points_to_a_waiting_change(client):
    article = make_article()
    version = services.propose_version(
        editor=article.author, article=article, content={**selectors.reviewed_content(article), "summary": "New."}
    )
    client.force_login(reviewer())
    html = client.get(reverse("admin:articles_article_review", args=[article.pk])).content.decode()
    assert "This form signs the text readers see now, not that change" in html and version_url(version) in html


def test_the_reviewers_queue_lists_waiting_changes_first(client):
    waiting, decided = make_article(title="Waiting one"), make_article(title="Decided one")
    services.propose_version(
        editor=waiting.author, article=waiting, content={**selectors.reviewed_content(waiting), "summary": "New."}
    )
    version = services.propose_version(
        editor=decided.author, article=decided, content={**selectors.reviewed_content(decided), "summary": "New."}
    )
    services.send_back_version(reviewer=reviewer(), version=version, note="Needs a source.")
    client.force_login(reviewer())
    html = client.get(reverse("admin:articles_articleversion_changelist")).content.decode()
    assert html.index("Waiting one") < html.index("Decided one")
