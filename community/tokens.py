"""Signed tokens in the links the community mails: the unfollow link works without a login."""

from django.core import signing

from accounts.models import User
from community.models import Thread

UNFOLLOW_SALT = "community.unfollow"


def unfollow_token(*, user: User, thread: Thread) -> str:
    return signing.dumps({"u": user.pk, "t": thread.pk}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[User, Thread] | None:
    """The member and thread of an unfollow link, or None when the link is not ours."""
    try:
        data = signing.loads(token, salt=UNFOLLOW_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    thread = Thread.objects.filter(pk=data.get("t")).first()
    return (user, thread) if user and thread else None
