"""Emails from the moderators (built here, sent by moderation.services): subjects carry the brand prefix."""

from django.urls import reverse

from moderation.models import Flag, ModerationAction
from portal.emails import absolute_url, build_email


def crisis_alert(*, moderator, flag: Flag):
    # No post text in the email: moderators read it in the queue, behind two-factor login.
    return build_email(
        to=moderator.email,
        subject="Crisis flag: a post needs a moderator now",
        template="moderation/email/crisis",
        context={
            "flag": flag,
            "thread": flag.post.thread,
            "queue_url": absolute_url(reverse("moderation:queue")),
            "guide_url": absolute_url(f"{reverse('moderation:guide')}#crisis"),
        },
    )


def post_decision(*, post):
    held = post.visibility == post.Visibility.HELD
    return build_email(
        to=post.author.email,
        subject="Your post is waiting for a moderator" if held else "A moderator hid your post",
        template="moderation/email/post_decision",
        context={"post": post, "held": held, "post_url": absolute_url(post.get_absolute_url())},
    )


MEMBER_DECISION_SUBJECTS = {
    ModerationAction.Action.MEMBER_SUSPEND: "Your account is suspended for a while",
    ModerationAction.Action.MEMBER_UNSUSPEND: "Your suspension is lifted",
}


def member_decision(*, entry: ModerationAction, suspension=None):
    """A warning, a suspension (with its `suspension`) or the end of one, told to the member."""
    return build_email(
        to=entry.member.email,
        subject=MEMBER_DECISION_SUBJECTS.get(entry.action, "A message from the moderators"),
        template="moderation/email/member_decision",
        context={
            "entry": entry,
            "suspension": suspension,
            "lifted": entry.action == ModerationAction.Action.MEMBER_UNSUSPEND,
            "rules_url": absolute_url(reverse("community_rules")),
        },
    )
