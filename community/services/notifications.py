"""Notifications of new replies: one per follower when a post becomes visible, the reply emails
(each reply after a short debounce, or a daily digest), reading them, and each member's email choice."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import access, emails, selectors
from community.models import Follow, MemberSettings, Notification, Post
from portal import outbox, suppression

logger = logging.getLogger(__name__)


def email_delay_seconds() -> int:
    """A burst of replies within this many seconds makes one email (a short debounce, not a long ETA)."""
    return settings.COMMUNITY_EMAIL_DELAY_SECONDS


def member_settings(user: User) -> MemberSettings:
    return MemberSettings.objects.get_or_create(user=user)[0]


def set_email_preference(*, user: User, emails: str) -> MemberSettings:
    row = member_settings(user)
    row.emails = MemberSettings.Emails(emails)
    row.save(update_fields=["emails"])
    return row


def notify_followers(post: Post) -> None:
    """One notification per follower (never the author); each-reply followers get an email task on commit."""
    followers = list(
        Follow.objects.filter(thread_id=post.thread_id)
        .exclude(user_id=post.author_id)
        .filter(user__is_active=True)
        .values_list("user_id", "user__community_settings__emails")
    )
    # A restored post was announced before: those followers are neither told nor counted again.
    told = set(Notification.objects.filter(post=post).values_list("recipient_id", flat=True))
    followers = [(user_id, choice) for user_id, choice in followers if user_id not in told]
    if not followers:
        return
    Emails = MemberSettings.Emails
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                post=post,
                email=Notification.Email.SKIPPED if choice == Emails.OFF else Notification.Email.PENDING,
            )
            for user_id, choice in followers
        ],
        ignore_conflicts=True,
    )
    user_ids = [user_id for user_id, _ in followers]
    MemberSettings.objects.bulk_create([MemberSettings(user_id=pk) for pk in user_ids], ignore_conflicts=True)
    MemberSettings.objects.filter(user_id__in=user_ids).update(unread_count=F("unread_count") + 1)
    each_reply = [user_id for user_id, choice in followers if choice in (None, Emails.EACH_REPLY)]
    if each_reply:
        # One outbox row per follower and reply, published after the debounce: the first to go sends
        # everything pending for the member, the later ones find nothing left and are skipped.
        for user_id, address in User.objects.filter(pk__in=each_reply).values_list("pk", "email"):
            outbox.enqueue_email(emails.REPLIES, f"{post.pk}:{user_id}", [address], countdown=email_delay_seconds())


def queue_pending_replies(*, user_id: int) -> int:
    """The outbox row for a member's pending replies, as notify_followers writes it (the same row if it
    exists). For a reply task published before the outbox. How many rows were written."""
    latest = Notification.objects.filter(recipient_id=user_id).pending_email().order_by("-pk").first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if latest is None or user is None:
        return 0
    return len(outbox.enqueue_email(emails.REPLIES, f"{latest.post_id}:{user_id}", [user.email]))


@transaction.atomic
def plan_daily_digests() -> int:
    """Beat, once a day: one outbox row per member who chose the daily digest and has news. How many."""
    day = timezone.localdate().isoformat()
    members = User.objects.filter(pk__in=selectors.members_due_a_digest(), is_active=True)
    for user_id, address in members.values_list("pk", "email"):
        outbox.enqueue_email(emails.DIGEST, f"{day}:{user_id}", [address])
    return len(members)


def pending_replies_email(*, user_id: int, to: str, digest: bool = False):
    """The outbox's builder for replies and digests (runs in the row's transaction): one email with
    everything pending for the member, or None when nothing is (or they turned emails off).

    The settings row is locked, so two rows for one member never send the same replies twice; the
    replies go SENT only once the message went (its `after_sent`)."""
    row = MemberSettings.objects.select_for_update().select_related("user").filter(user_id=user_id).first()
    if row is None or not row.user.is_active or row.user.email.lower() != to.lower():
        return None
    wanted = MemberSettings.Emails.DAILY if digest else MemberSettings.Emails.EACH_REPLY
    pending = Notification.objects.filter(recipient_id=user_id).pending_email()
    if row.emails != wanted:
        if row.emails == MemberSettings.Emails.OFF:
            pending.update(email=Notification.Email.SKIPPED)
        return None
    if suppression.is_suppressed(to):  # bounced or complained: never mailed again, nothing left pending
        pending.update(email=Notification.Email.SKIPPED)
        return None
    notifications = list(
        access.emailable(pending).select_related("post__thread", "post__author").order_by("created_at", "id")
    )
    ids = [notification.pk for notification in notifications]
    # Replies hidden or deleted since are not worth an email any more.
    pending.exclude(pk__in=ids).update(email=Notification.Email.SKIPPED)
    if not notifications:
        return None
    message = emails.reply_notification(row.user, notifications, digest=digest)

    def after_sent():
        Notification.objects.filter(pk__in=ids).update(email=Notification.Email.SENT, emailed_at=timezone.now())
        logger.info("community notification email: user=%s replies=%s digest=%s", user_id, len(ids), digest)

    message.after_sent = after_sent
    return message


@transaction.atomic
def mark_notifications_read(*, user: User) -> None:
    Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    MemberSettings.objects.filter(user=user).update(unread_count=0)
