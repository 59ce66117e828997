"""Emails from the moderators (built here, sent by moderation.services): subjects carry the brand prefix."""

from django.urls import reverse

from accounts.models import User
from community.models import Post
from moderation.models import Flag, ModerationAction, Suspension
from moderation.policy import CRISIS_EMAIL, MEMBER_DECISION_EMAIL, POST_DECISION_EMAIL
from portal.emails import absolute_url, build_email
from portal.outbox import EmailKind


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


# --- The outbox's builders (portal.outbox): the message for one row, or None when it no longer applies.


def _crisis_alert_for_row(*, key: str, to: str, language: str):
    flag = Flag.objects.select_related("post__thread").filter(pk=key).first()
    moderator = _active_member(to)
    return None if flag is None or moderator is None else crisis_alert(moderator=moderator, flag=flag)


def _post_decision_for_row(*, key: str, to: str, language: str):
    post_id, _, visibility = key.partition(":")  # "<post>:<held or hidden>"
    post = Post.objects.select_related("author", "thread").filter(pk=post_id).first()
    # Only while the post is still as the decision left it, and the author still has this address.
    if post is None or post.visibility != visibility or post.author.email != to:
        return None
    return post_decision(post=post)


def _member_decision_for_row(*, key: str, to: str, language: str):
    entry = ModerationAction.objects.select_related("member").filter(pk=key).first()
    if entry is None or entry.member is None or entry.member.email != to:
        return None
    suspension = None
    if entry.action == ModerationAction.Action.MEMBER_SUSPEND:
        suspension = Suspension.objects.filter(member=entry.member).order_by("-starts_at").first()
    return member_decision(entry=entry, suspension=suspension)


def _active_member(email: str):
    return User.objects.filter(email=email, is_active=True).first()


OUTBOX_KINDS = {
    # A crisis flag reaches the moderators even at an address on the suppression list: a complaint about
    # another message must not silence it.
    CRISIS_EMAIL: EmailKind(_crisis_alert_for_row, suppressible=False),
    POST_DECISION_EMAIL: EmailKind(_post_decision_for_row),
    MEMBER_DECISION_EMAIL: EmailKind(_member_decision_for_row),
}
