"""Reads that are more than a queryset chain: the thread page's (a post's page, a quote, the
moderators' events between the posts) and the daily tasks' (who is due an email or a story
reminder)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from community import access
from community.models import MemberSettings, Notification, Story, Thread
from moderation.models import ModerationAction

# --- Who is due an email ----------------------------------------------------------------------


def members_due_a_digest() -> list[int]:
    return list(
        Notification.objects.pending_email()
        .filter(recipient__community_settings__emails=MemberSettings.Emails.DAILY)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def stories_due_a_reminder() -> list[int]:
    """Stories whose next reminder is due and whose figure is still missing (a batch of 100 at most)."""
    return list(Story.objects.due_a_reminder().values_list("pk", flat=True)[:100])


# --- A forum's page ---------------------------------------------------------------------------


class CountedPaginator(Paginator):
    """A paginator told its count, for lists whose length is kept rather than counted per request.

    With `seek_from_end`, a page past the middle is read from the far end of the ordered queryset
    (reversed order, OFFSET from the end), so no page skips more than half the list: page 1,000 of
    1,200 skips 5,000 rows, not 25,000. Its rows then come in reverse order: whoever shows them
    orders them (`forum_page` does, joining them in the list's order)."""

    def __init__(self, object_list, per_page, *, count: int, seek_from_end: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.seek_from_end = seek_from_end

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.seek_from_end and 2 * bottom > self.count:
            return self._get_page(self.object_list.reverse()[self.count - top : self.count - bottom], number, self)
        return self._get_page(self.object_list[bottom:top], number, self)


def forum_page(user, forum, number, per_page: int):
    """Page `number` of the threads `user` sees in `forum`, and those threads ready to list (two queries
    at most: the count of what is not public, and the page). The length comes from the forum's kept
    count; the page pages through ids only, from the nearer end (the forum order's index serves it
    without reading the table), and joins authors and last posts for the shown ones, in the list's
    order, in the same query."""
    threads = access.threads(user, Thread.objects.filter(forum=forum)).for_list()
    count = access.listed_thread_count(user, forum)
    paginator = CountedPaginator(threads.values_list("pk", flat=True), per_page, count=count, seek_from_end=True)
    page = paginator.get_page(number)
    return page, threads.filter(pk__in=page.object_list)


# --- The thread page --------------------------------------------------------------------------


def page_of_post(posts, post_id: str, per_page: int) -> int | None:
    """The page of `posts` (a thread's, oldest first) on which post `post_id` is, or None."""
    try:
        target = posts.filter(pk=int(post_id)).values("created_at", "id").first()
    except (TypeError, ValueError):
        return None
    if target is None:
        return None
    before = posts.filter(
        Q(created_at__lt=target["created_at"]) | Q(created_at=target["created_at"], id__lt=target["id"])
    ).count()
    return before // per_page + 1


def quote_text(post_id: str | None, *, thread, user) -> str:
    """A quoted post as Markdown, with attribution, to start a reply with."""
    if not post_id or not str(post_id).isdigit():
        return ""
    post = access.readable_posts(user).filter(thread=thread, pk=int(post_id)).select_related("author").first()
    if post is None:
        return ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"> **{post.author.display_name}** wrote:\n>\n{quoted}\n\n"


THREAD_EVENTS = [
    ModerationAction.Action.THREAD_LOCK,
    ModerationAction.Action.THREAD_UNLOCK,
    ModerationAction.Action.THREAD_PIN,
    ModerationAction.Action.THREAD_UNPIN,
    ModerationAction.Action.THREAD_MOVE,
    ModerationAction.Action.THREAD_RENAME,
    ModerationAction.Action.THREAD_SPLIT,
]
EVENT_TEXT = {
    ModerationAction.Action.THREAD_LOCK: "Locked by the moderators",
    ModerationAction.Action.THREAD_UNLOCK: "Unlocked by the moderators",
    ModerationAction.Action.THREAD_PIN: "Pinned by the moderators",
    ModerationAction.Action.THREAD_UNPIN: "Unpinned by the moderators",
    ModerationAction.Action.THREAD_MOVE: "Moved by the moderators",
    ModerationAction.Action.THREAD_RENAME: "Renamed by the moderators",
}
# Renames and splits may remove a title that named a child: the public reads no earlier title and
# no reason (moderators read both, as the audit log keeps them).
EVENTS_WITHOUT_PUBLIC_REASON = {ModerationAction.Action.THREAD_RENAME, ModerationAction.Action.THREAD_SPLIT}


def _describe(event, *, moderator: bool, visible_threads: dict) -> None:
    """Set `event.text` and `event.link` (or None) for the person reading the thread."""
    other = visible_threads.get(event.details.get("thread"))
    event.link = other.get_absolute_url() if other else None
    if event.action == ModerationAction.Action.THREAD_SPLIT and not moderator:
        # Older splits recorded no direction; their reason said "split from …".
        direction = event.details.get("direction", "from" if event.reason.startswith("split from") else "into")
        event.text = (
            "Split from another thread" if direction == "from" else "Replies were split off into another thread"
        )
        return
    if event.action == ModerationAction.Action.THREAD_SPLIT:
        event.text = "Split by the moderators"
    else:
        event.text = EVENT_TEXT[event.action]
    if event.action == ModerationAction.Action.THREAD_RENAME and moderator:
        event.text += f" (it was “{event.target_description}”)"
    if event.reason and (moderator or event.action not in EVENTS_WITHOUT_PUBLIC_REASON):
        event.text += f": {event.reason}"


def place_thread_events(thread, posts: list, *, user, first_page: bool, last_page: bool) -> list:
    """Moderators' thread changes as event lines between the posts they came between (two queries).

    Each post on the page gets `events_before`; events after the last post of the last page are
    returned. An event older than a later page's first post belongs to an earlier page. Each event
    gets `text` and `link`, worded for `user` (see `_describe`).
    """
    events = list(
        ModerationAction.objects.filter(
            target_type__app_label="community", target_type__model="thread", target_id=str(thread.pk),
            action__in=THREAD_EVENTS,
        ).order_by("created_at", "id")
    )  # fmt: skip
    other_ids = {event.details.get("thread") for event in events if event.details.get("thread")}
    visible_threads = (
        {other.pk: other for other in access.threads(user, Thread.objects.filter(pk__in=other_ids))}
        if other_ids
        else {}
    )
    moderator = access.is_moderator(user)
    for event in events:
        _describe(event, moderator=moderator, visible_threads=visible_threads)
    for post in posts:
        post.events_before = []
    trailing = []
    for event in events:
        following = next((post for post in posts if post.created_at > event.created_at), None)
        if following is None:
            if last_page:
                trailing.append(event)
        elif following is not posts[0] or first_page:
            following.events_before.append(event)
    return trailing
