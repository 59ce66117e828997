"""Deleting an account erases the member's personal data everywhere, whichever choice they make."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from alerts import services as alerts_services
from alerts.models import Digest, SchoolContact, Subscription
from community.models import Follow, MemberSettings, Notification, Post, PostRevision, Reaction, Story, Thread
from moderation.models import Flag, ModerationAction
from portal.models import SuppressedAddress
from portal.suppression import address_hash
from tests.accounts.busy_member import EDITED_AWAY_PHRASE, busy_member
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def where_found(needle: str) -> list[str]:
    """Every table.column of the database whose value contains `needle` (case-insensitive)."""
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {quoted_table} WHERE {quoted_column}::text ILIKE %s)",  # noqa: S608
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def delete_through_the_page(client, email: str, posts: str):
    client.post(reverse("account_login"), {"login": email, "password": DEFAULT_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    return client.post(reverse("accounts:delete"), {"posts": posts, "confirm": "on"}, follow=True)


@pytest.mark.parametrize("posts", ["keep", "delete"])
def test_after_erasure_no_column_of_any_table_holds_the_members_email_name_or_edited_away_words(client, posts):
    busy = busy_member()
    needles = [busy.email, busy.display_name, EDITED_AWAY_PHRASE]
    # The scan finds each of them before: it would find any left behind.
    assert all(where_found(needle) for needle in needles)

    response = delete_through_the_page(client, busy.email, posts)
    assert "Your account has been deleted." in response.content.decode()

    assert {needle: where_found(needle) for needle in needles} == {needle: [] for needle in needles}


def test_erasure_keeping_posts_shows_them_under_former_member_without_earlier_versions(client):
    busy = busy_member()
    delete_through_the_page(client, busy.email, "keep")
    member = User.objects.get(pk=busy.user.pk)
    assert member.display_name == f"Former member {member.pk}" and not member.is_active
    reply = Post.objects.get(pk=busy.reply.pk)
    assert reply.body == "We tried it in spring." and reply.is_visible and reply.author_id == member.pk
    assert not PostRevision.objects.filter(post__author=member).exists()
    assert Story.objects.filter(pk=busy.story.pk).exists()


def test_erasure_deleting_posts_leaves_textless_tombstones_and_deletes_their_threads(client):
    busy = busy_member()
    delete_through_the_page(client, busy.email, "delete")
    posts = Post.objects.filter(author_id=busy.user.pk)
    assert posts.count() == 3
    assert set(posts.values_list("visibility", "body", "body_html")) == {(Post.Visibility.DELETED, "", "")}
    assert not Story.objects.filter(pk=busy.story.pk).exists()
    own = Thread.objects.get(pk=busy.own_thread.pk)
    assert own.is_deleted and own.title == "Deleted thread"
    # The flag on the member's reply leaves the moderators' queue with the reply.
    assert not Flag.objects.open().filter(post__author_id=busy.user.pk).exists()
    # The other member's thread reads on, one reply fewer.
    assert busy.reply.thread.__class__.objects.get(pk=busy.reply.thread_id).reply_count == 0


def test_erasure_removes_reactions_follows_notifications_settings_flag_and_report_notes_and_contacts(client):
    busy = busy_member()
    assert Post.objects.get(pk=busy.reacted_post.pk).helpful_count == 1
    delete_through_the_page(client, busy.email, "keep")
    member_id = busy.user.pk
    assert Post.objects.get(pk=busy.reacted_post.pk).helpful_count == 0
    assert not Reaction.objects.filter(user_id=member_id).exists()
    assert not Follow.objects.filter(user_id=member_id).exists()
    assert not Notification.objects.filter(recipient_id=member_id).exists()
    assert not MemberSettings.objects.filter(user_id=member_id).exists()
    assert not SchoolContact.objects.filter(user_id=member_id).exists()
    assert Flag.objects.get(pk=busy.flag.pk).note == ""
    busy.report.refresh_from_db()
    assert busy.report.note_to_moderators == "" and busy.report.reporter_id == member_id


def test_the_audit_log_keeps_its_entries_and_shows_former_member(client):
    busy = busy_member()
    entries_before = ModerationAction.objects.filter(member_id=busy.user.pk).count()
    delete_through_the_page(client, busy.email, "keep")
    entries = ModerationAction.objects.filter(member_id=busy.user.pk).for_list()
    assert entries.count() == entries_before >= 3
    assert {entry.member.display_name for entry in entries} == {f"Former member {busy.user.pk}"}
    warned = entries.get(action=ModerationAction.Action.MEMBER_WARN)
    assert warned.target_description == f"member #{busy.user.pk}"


def test_erasure_ends_and_deletes_subscriptions_of_every_verified_address_and_suppresses_them(client):
    member = UserFactory(email="main@example.org")
    member.emailaddress_set.create(email="second@example.org", verified=True)
    member.emailaddress_set.create(email="unproven@example.org", verified=False)
    school = SchoolFactory()
    for email in ("main@example.org", "Second@example.org", "unproven@example.org"):
        SubscriptionFactory(email=email, school=school)
    Digest.objects.create(email="second@example.org", day="2026-01-05", period_start="2026-01-04T16:00Z",
                          period_end="2026-01-05T16:00Z")  # fmt: skip

    delete_through_the_page(client, "main@example.org", "keep")

    # An unverified address may be someone else's: its subscription is theirs to end.
    assert list(Subscription.objects.values_list("email", flat=True)) == ["unproven@example.org"]
    assert not Digest.objects.exists()
    assert set(SuppressedAddress.objects.values_list("address_hash", flat=True)) == {
        address_hash("main@example.org"),
        address_hash("second@example.org"),
    }


def test_a_deleted_address_is_never_sent_a_confirmation_again(client, mail_server):
    member = UserFactory(email="gone@example.org")
    delete_through_the_page(client, "gone@example.org", "keep")
    school = SchoolFactory()
    alerts_services.subscribe(email="Gone@Example.org", school=school, role="parent")
    alerts_services.subscribe(email="someone@example.org", school=school, role="parent")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert member.pk


@pytest.mark.django_db(transaction=True)
def test_a_deleted_members_address_receives_no_further_alert(client, mail_server, celery_worker):
    """Through the real fan-out: the approved alert reaches the other subscriber only."""
    from tests.factories import ModeratorFactory

    moderator = ModeratorFactory()
    school = SchoolFactory(name="Maplewood Elementary")
    UserFactory(email="leaving@example.org")
    SubscriptionFactory(email="leaving@example.org", school=school)
    SubscriptionFactory(email="staying@example.net", school=school)

    delete_through_the_page(client, "leaving@example.org", "delete")
    alerts_services.approve_report(report=ExposureReportFactory(school=school), moderator=moderator)

    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["staying@example.net"]
    time.sleep(1)  # anything else on its way would have arrived by now
    assert [m.recipients for m in mail_server.messages] == [["staying@example.net"]]
