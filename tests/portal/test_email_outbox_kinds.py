"""Done-when for every kind of automatic email that goes through the outbox (portal.outbox), with a
real Celery worker (its own process, on Redis) and a real SMTP server (aiosmtpd):

- the broker stopped during the triggering action: the action returns at once, nothing is lost, and
  after the broker returns the sweeper gets every message out, once;
- the worker killed mid-send, then a retry (the sweeper, a second worker): each recipient gets
  exactly one message.

Alert deliveries have their own table and the same two tests in tests/alerts/test_fan_out_worker.py.
"""

import datetime
import socket
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.utils import timezone

from accounts import tasks as accounts_tasks
from accounts.models import DataExport
from accounts.roles import Role
from accounts.selectors import active_members_with_email
from alerts import services as alert_services
from alerts.models import SchoolContact
from articles import selectors as article_selectors
from articles import services as article_services
from articles import tasks as articles_tasks
from articles.models import Article
from community import services as community_services
from community import tasks as community_tasks
from community.models import MemberSettings, Post, Story
from journal import reminders, sharing
from journal import tasks as journal_tasks
from moderation import services as moderation_services
from moderation.models import Flag
from portal import outbox
from portal.celery import app as celery_app
from portal.models import OutboundEmail
from tests.alerts.factories import SchoolContactFactory, SchoolFactory, SubscriptionFactory, last_week
from tests.alerts.worker_process import WorkerProcess, wait_until
from tests.articles import factories as article_factories
from tests.community import factories as community_factories
from tests.community.factories import thread
from tests.factories import ModeratorFactory, UserFactory
from tests.journal import factories as journal_factories

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Setup = tuple[Callable[[], object], list[str]]  # the triggering action, and who must get one message


def contact_notice() -> Setup:
    school = SchoolFactory()
    contacts = [SchoolContactFactory(school=school) for _ in range(3)]
    reporter, (start, end) = UserFactory(), last_week()
    return (
        lambda: alert_services.submit_report(
            reporter=reporter, school=school, kind="strep", window_start=start, window_end=end
        ),
        [contact.user.email for contact in contacts],
    )


def contact_request_waiting() -> Setup:
    moderators = [ModeratorFactory() for _ in range(3)]
    school, nurse = SchoolFactory(), UserFactory()
    return (
        lambda: alert_services.request_contact(user=nurse, school=school, role_at_school="school nurse"),
        [moderator.email for moderator in moderators],
    )


def contact_decision() -> Setup:
    contact = SchoolContactFactory(status=SchoolContact.Status.REQUESTED, verified_at=None)
    moderator = ModeratorFactory()
    return lambda: alert_services.verify_contact(contact=contact, moderator=moderator), [contact.user.email]


def crisis() -> Setup:
    moderators = [ModeratorFactory() for _ in range(3)]
    post = Post.objects.filter(thread=thread()).get()
    flagger = UserFactory()
    return (
        lambda: moderation_services.flag_post(flagger=flagger, post=post, reason=Flag.Reason.CRISIS),
        [moderator.email for moderator in moderators],
    )


def post_decision() -> Setup:
    post = Post.objects.select_related("author").filter(thread=thread()).get()
    moderator = ModeratorFactory()
    return (
        lambda: moderation_services.hide(moderator=moderator, post=post, reason="Names a child."),
        [post.author.email],
    )


def member_decision() -> Setup:
    member, moderator = UserFactory(), ModeratorFactory()
    return lambda: moderation_services.warn(moderator=moderator, member=member, reason="Be kind."), [member.email]


def replies() -> Setup:
    topic = thread()
    followers = [UserFactory() for _ in range(3)]
    for follower in followers:
        community_services.follow_thread(user=follower, thread=topic)
    replier = UserFactory()
    return (
        lambda: community_services.reply(author=replier, thread=topic, body="We went through this too."),
        [topic.author.email, *(follower.email for follower in followers)],
    )


def reply_digest() -> Setup:
    followers = [UserFactory() for _ in range(2)]
    topic = thread()
    for follower in followers:
        community_services.follow_thread(user=follower, thread=topic)
        community_services.set_email_preference(user=follower, emails=MemberSettings.Emails.DAILY)
    community_services.reply(author=UserFactory(), thread=topic, body="Hello from the digest.")
    return community_tasks.send_daily_digests, [follower.email for follower in followers]


def story_reminder() -> Setup:
    story = community_factories.story(m3=None, m6=None)
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - datetime.timedelta(days=91))
    return community_tasks.send_story_reminders, [story.post.author.email]


def journal_reminder() -> Setup:
    parents = []
    for _ in range(2):
        parent = journal_factories.owner_of(journal_factories.child())
        hour = timezone.now().astimezone(datetime.UTC).hour
        reminders.save_setting(user=parent, enabled=True, hour=hour, time_zone="UTC", language="en")
        parents.append(parent)
    return journal_tasks.plan_reminders, [parent.email for parent in parents]


def caregiver_invite() -> Setup:
    child = journal_factories.child()
    owner = journal_factories.owner_of(child)
    return (
        lambda: sharing.invite_caregiver(user=owner, child=child, email="grandma@example.org", role="can_log"),
        ["grandma@example.org"],
    )


def version_waiting() -> Setup:
    article = article_factories.make_article()  # its review makes a first medical reviewer
    for _ in range(2):
        article_factories.reviewer()
    content = {**article_selectors.reviewed_content(article), "summary": "A changed summary."}
    return (
        lambda: article_services.propose_version(editor=article.author, article=article, content=content),
        list(active_members_with_email(Role.MEDICAL_REVIEWER).values_list("email", flat=True)),
    )


def review_due() -> Setup:
    writer = article_factories.editor()
    article_factories.editor()
    article = article_factories.make_article(by=writer)
    Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate())
    return articles_tasks.send_review_due_digest, list(
        active_members_with_email(Role.EDITOR).values_list("email", flat=True)
    )


def confirmation() -> Setup:
    school = SchoolFactory()
    return (
        lambda: alert_services.subscribe(email="new.parent@example.net", school=school, role="parent"),
        ["new.parent@example.net"],
    )


def already_subscribed() -> Setup:
    subscription = SubscriptionFactory(email="known.parent@example.net")
    return (
        lambda: alert_services.subscribe(email=subscription.email, school=subscription.school, role="parent"),
        [subscription.email],
    )


def data_export() -> Setup:
    member = UserFactory()
    export = DataExport.objects.create(user=member, expires_at=timezone.now() + datetime.timedelta(days=7))
    return lambda: accounts_tasks.build_data_export(export.pk), [member.email]


KINDS = {
    "alerts.confirmation": confirmation,
    "alerts.already_subscribed": already_subscribed,
    "accounts.data_export_ready": data_export,
    "alerts.contact_notice": contact_notice,
    "alerts.contact_request_waiting": contact_request_waiting,
    "alerts.contact_decision": contact_decision,
    "moderation.crisis": crisis,
    "moderation.post_decision": post_decision,
    "moderation.member_decision": member_decision,
    "community.replies": replies,
    "community.digest": reply_digest,
    "community.story_reminder": story_reminder,
    "journal.reminder": journal_reminder,
    "journal.caregiver_invite": caregiver_invite,
    "articles.version_waiting": version_waiting,
    "articles.review_due": review_due,
}


@pytest.fixture(autouse=True)
def _no_debounce(settings):
    settings.COMMUNITY_EMAIL_DELAY_SECONDS = 0


@pytest.fixture
def broker():
    """The run's Redis as the broker, its queue empty. The setup runs in-process (eager); `go_live`
    then sends tasks to the broker, from an empty queue."""

    def go_live(mail_server) -> str:
        mail_server.clear()  # what the setup itself sent (a thread author's reply email)
        celery_app.conf.task_always_eager = False
        _purge()
        return celery_app.conf.broker_url

    yield go_live
    _purge()
    celery_app.conf.task_always_eager = True


def _purge() -> None:
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)


def dead_broker_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def rows_of(kind: str):
    return OutboundEmail.objects.filter(kind=kind)


def assert_exactly_once(mail_server, kind: str, expected: list[str]) -> None:
    received = Counter(m.recipients[0].lower() for m in mail_server.messages)
    assert received == Counter(address.lower() for address in expected)
    assert set(rows_of(kind).values_list("status", flat=True)) == {"sent"}


def finish_with_a_worker(mail_server, broker_url: str, kind: str) -> None:
    """A (second) worker and the sweeper send what waits; sweeps again while a dead worker's row lock lingers."""
    worker = WorkerProcess(broker_url=broker_url, smtp_port=mail_server.port).start()
    try:
        deadline = time.monotonic() + 60
        while rows_of(kind).filter(status="pending").exists():
            assert time.monotonic() < deadline, "rows still pending after a minute"
            outbox.sweep_outbound_emails(older_than=datetime.timedelta(0))
            time.sleep(1)
    finally:
        worker.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_broker_stopped_during_the_action_loses_nothing(kind, mail_server, broker):
    trigger, expected = KINDS[kind]()
    broker_url = broker(mail_server)
    celery_app.conf.broker_url = dead_broker_url()
    try:
        started = time.monotonic()
        trigger()
        took = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = broker_url
    assert took < 2, f"the action took {took:.1f}s with the broker down"
    rows = list(rows_of(kind))
    assert sorted(row.recipient for row in rows) == sorted(expected)
    assert {row.status for row in rows} == {"pending"}
    assert not mail_server.messages

    finish_with_a_worker(mail_server, broker_url, kind)
    mail_server.wait_for(len(expected), timeout=30)
    assert_exactly_once(mail_server, kind, expected)


@pytest.mark.parametrize("kind", KINDS)
def test_worker_killed_mid_send_then_a_retry_sends_each_recipient_exactly_once(kind, mail_server, broker):
    trigger, expected = KINDS[kind]()
    broker_url = broker(mail_server)
    # The server holds each message at RCPT: the worker is killed while the last one is on its way,
    # after the ones before it were sent and committed.
    mail_server.rcpt_delay = 1.0
    first = WorkerProcess(broker_url=broker_url, smtp_port=mail_server.port).start()
    try:
        trigger()  # on commit, published to the real broker
        wait_until(lambda: mail_server.recipients_started >= len(expected), timeout=60)
        time.sleep(0.2)
    finally:
        first.kill()
    assert len(mail_server.messages) == len(expected) - 1
    assert rows_of(kind).filter(status="pending").count() == 1

    mail_server.rcpt_delay = 0.0
    finish_with_a_worker(mail_server, broker_url, kind)
    assert_exactly_once(mail_server, kind, expected)
