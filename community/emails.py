"""Building community emails (subject, text, HTML, headers). Sending is a task's job."""

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from portal.emails import absolute_url as absolute
from portal.emails import build_email


def unfollow_url(user, thread) -> str:
    from community.services import unfollow_token

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
        subject=f"[PANDAS Parent Network] How are things {months} months on?",
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
        subject = f"Your daily digest: {count} new repl{'y' if count == 1 else 'ies'}"
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
    headers = {}
    if len(groups) == 1:
        # RFC 8058: mail clients may offer a one-click "unsubscribe" that POSTs to this link.
        headers = {
            "List-Unsubscribe": f"<{groups[0]['unfollow_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return build_email(
        to=user.email,
        subject=f"[PANDAS Parent Network] {subject}",
        template="community/email/replies",
        context=context,
        headers=headers,
    )
