"""Following a thread (its new replies become notifications) and unfollowing it. Writing in a thread
follows it too (community.services.posts); the mailed unfollow link's token is in community.tokens."""

from accounts.models import User
from community.models import Follow, Thread
from community.permissions import require_can_post


def follow_thread(*, user: User, thread: Thread) -> None:
    require_can_post(user)
    Follow.objects.get_or_create(thread=thread, user=user)


def unfollow_thread(*, user: User, thread: Thread) -> None:
    Follow.objects.filter(thread=thread, user=user).delete()
