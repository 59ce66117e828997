"""Notifications of new replies: one per follower when a post becomes visible, the reply emails
(each reply after a short debounce, or a daily digest), reading them, and each member's email choice."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from community import access, emails
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
        outbox.on_commit_many(
            "community.tasks.send_reply_notifications",
            [(user_id,) for user_id in each_reply],
            countdown=email_delay_seconds(),
        )


@transaction.atomic
def send_pending_notifications(*, user_id: int, digest: bool = False) -> int:
    """Email a member everything pending for them, as one message. Returns how many replies it covered.

    The settings row is locked, so two tasks for one member never send the same replies twice; a
    second task finds nothing pending and sends nothing.
    """
    row = MemberSettings.objects.select_for_update().select_related("user").filter(user_id=user_id).first()
    if row is None or not row.user.is_active:
        return 0
    wanted = MemberSettings.Emails.DAILY if digest else MemberSettings.Emails.EACH_REPLY
    pending = Notification.objects.filter(recipient_id=user_id).pending_email()
    if row.emails != wanted:
        if row.emails == MemberSettings.Emails.OFF:
            pending.update(email=Notification.Email.SKIPPED)
        return 0
    notifications = list(
        access.emailable(pending).select_related("post__thread", "post__author").order_by("created_at", "id")
    )
    if notifications and suppression.is_suppressed(row.user.email):
        notifications = []  # the address bounced or complained: it is never mailed again
    if notifications:
        emails.reply_notification(row.user, notifications, digest=digest).send()
    # Replies hidden or deleted since are not worth an email any more.
    pending.update(email=Notification.Email.SKIPPED)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email=Notification.Email.SENT, emailed_at=timezone.now()
    )
    logger.info("community notification email: user=%s replies=%s digest=%s", user_id, len(notifications), digest)
    return len(notifications)


@transaction.atomic
def mark_notifications_read(*, user: User) -> None:
    Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    MemberSettings.objects.filter(user=user).update(unread_count=0)
