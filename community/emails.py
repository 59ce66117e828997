"""Building community emails (subject, text, HTML, headers). Sending is a task's job."""

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import ngettext

from community.tokens import unfollow_token
from portal.emails import absolute_url as absolute
from portal.emails import build_email, list_headers
from portal.outbox import EmailKind

REPLIES = "community.replies"
DIGEST = "community.digest"
STORY_REMINDER = "community.story_reminder"


def unfollow_url(user, thread) -> str:
    return absolute(reverse("community:unfollow", args=[unfollow_token(user=user, thread=thread)]))


def story_reminder(story, *, months: int) -> EmailMultiAlternatives:
    """Ask a story's author for the figures at `months` months: it is what makes the outcomes useful."""
    user = story.post.author
    context = {
        "user": user,
        "months": months,
        "title": story.post.thread.title,
        "update_url": absolute(reverse("community:update_story", args=[story.pk])),
        "settings_url": absolute(reverse("community:settings")),
        "site_name": "PANDAS Parent Network",
    }
    return build_email(
        to=user.email,
        subject=f"How are things {months} months on?",
        template="community/email/story_reminder",
        context=context,
    )


def reply_notification(user, notifications, *, digest: bool = False) -> EmailMultiAlternatives:
    """One email for a burst (or a day) of new replies, grouped by thread, each with its unfollow link."""
    threads = {}
    for notification in notifications:
        post = notification.post
        entry = threads.setdefault(
            post.thread_id,
            {"thread": post.thread, "posts": [], "unfollow_url": unfollow_url(user, post.thread)},
        )
        entry["posts"].append({"post": post, "url": absolute(post.get_absolute_url())})
    groups = list(threads.values())
    count = len(notifications)
    if digest:
        subject = f"Your daily digest: {count} new {ngettext('reply', 'replies', count)}"
    elif len(groups) == 1:
        title = groups[0]["thread"].title
        subject = f"{'A new reply' if count == 1 else f'{count} new replies'} in “{title[:80]}”"
    else:
        subject = f"{count} new replies in {len(groups)} threads you follow"
    context = {
        "user": user,
        "groups": groups,
        "count": count,
        "digest": digest,
        "settings_url": absolute(reverse("community:settings")),
        "notifications_url": absolute(reverse("community:notifications")),
        "site_name": "PANDAS Parent Network",
    }
    # A list-like message: for one thread the link unfollows it in one click; otherwise it leads to
    # the email settings, where replies and digests are turned off (not a one-click unsubscribe).
    # For one thread, an email to the sender with the unfollow token in its subject unfollows it too
    # (portal.inbound, community.inbound).
    one_thread = len(groups) == 1
    headers = list_headers(
        name="digest.community" if digest else "replies.community",
        unsubscribe_url=groups[0]["unfollow_url"] if one_thread else context["settings_url"],
        one_click=one_thread,
        mailto_subject=f"unsubscribe {unfollow_token(user=user, thread=groups[0]['thread'])}" if one_thread else None,
    )
    return build_email(
        to=user.email, subject=subject, template="community/email/replies", context=context, headers=headers
    )


# --- The outbox's builders (portal.outbox): the message for one row, or None when it no longer applies.


def _replies_for_row(*, key: str, to: str, language: str, digest: bool = False):
    from community.services.notifications import pending_replies_email

    _, _, user_id = key.partition(":")  # "<post or day>:<member>"
    return pending_replies_email(user_id=int(user_id), to=to, digest=digest)


def _digest_for_row(*, key: str, to: str, language: str):
    return _replies_for_row(key=key, to=to, language=language, digest=True)


def _story_reminder_for_row(*, key: str, to: str, language: str):
    from community.models import Story

    story_id, _, months = key.partition(":")  # "<story>:<months>"
    story = Story.objects.select_related("post__author", "post__thread").filter(pk=story_id).first()
    if story is None or not story.post.author.is_active or story.post.author.email != to:
        return None
    figure = dict(Story.REMINDERS).get(int(months))
    if figure is None or getattr(story, figure) is not None:
        return None  # the author added the figures meanwhile
    return story_reminder(story, months=int(months))


OUTBOX_KINDS = {
    REPLIES: EmailKind(_replies_for_row),
    DIGEST: EmailKind(_digest_for_row),
    STORY_REMINDER: EmailKind(_story_reminder_for_row),
}
