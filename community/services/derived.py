"""Stored derived state, kept right here and nowhere else (never by signals): a thread's reply count,
last post, last activity and whether it is public; a forum's count of public threads; a post's search
vector.

A forum's `public_thread_count` moves only here, by one, when a thread becomes public or stops being
public (its opening post shown or withheld, the thread deleted, moved to another forum). Each change is
decided by the database row as it is when updated (the UPDATE's row lock orders concurrent changes),
never by a thread object that may have been read before another request changed it.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from community.models import Forum, Post, Story, Thread

PUBLIC = Q(is_deleted=False, opening_visible=True)


def refresh_thread(thread: Thread) -> None:
    """Recount a thread's visible replies, find its last visible post and whether its opening post is
    visible (which makes the thread public): the one way they change."""
    visible = Post.objects.filter(thread=thread, visibility=Post.Visibility.VISIBLE)
    last = visible.order_by("-created_at", "-id").first()
    thread.reply_count = visible.filter(is_opening=False).count()
    thread.last_post = last
    thread.last_activity_at = last.created_at if last else thread.created_at
    thread.opening_visible = visible.filter(is_opening=True).exists()
    derived = {
        "reply_count": thread.reply_count,
        "last_post": thread.last_post,
        "last_activity_at": thread.last_activity_at,
        "opening_visible": thread.opening_visible,
    }
    # Nearly always the opening post's visibility is what the row already says: one UPDATE. When it
    # is not, the thread's public state flipped (if it is not deleted) and its forum's count follows.
    if Thread.objects.filter(pk=thread.pk, opening_visible=thread.opening_visible).update(**derived):
        return
    if Thread.objects.filter(pk=thread.pk, is_deleted=False).update(**derived):
        _count_public(thread.pk, +1 if thread.opening_visible else -1)
    else:
        Thread.objects.filter(pk=thread.pk).update(**derived)


def thread_deleted(thread: Thread) -> None:
    """Mark `thread` deleted; a public one leaves its forum's count."""
    thread.is_deleted = True
    if Thread.objects.filter(PUBLIC, pk=thread.pk).update(is_deleted=True):
        _count_public(thread.pk, -1)
    else:
        Thread.objects.filter(pk=thread.pk).update(is_deleted=True)


def thread_moved(thread: Thread, forum: Forum) -> None:
    """Move `thread` to `forum`; a public one takes its place in the count with it."""
    # The row locked first, so its public state cannot change between this read and the move.
    row = Thread.objects.select_for_update().filter(pk=thread.pk).values_list("is_deleted", "opening_visible")
    public = row.first() == (False, True)
    if public:
        _count_public(thread.pk, -1)
    thread.forum = forum
    Thread.objects.filter(pk=thread.pk).update(forum=forum)
    if public:
        _count_public(thread.pk, +1)


def recount_forums(forum_ids=None) -> None:
    """Count each forum's public threads afresh (all forums, or those of `forum_ids`): after changes
    made in bulk (a member's erasure, a bulk load) rather than thread by thread."""
    public = Thread.objects.filter(PUBLIC, forum=OuterRef("pk")).order_by().values("forum").annotate(count=Count("pk"))
    forums = Forum.objects.all() if forum_ids is None else Forum.objects.filter(pk__in=forum_ids)
    forums.update(public_thread_count=Coalesce(Subquery(public.values("count")), 0))


def _count_public(thread_id: int, change: int) -> None:
    """Add `change` to the count of the forum `thread_id` is in now (read from its row, in the same UPDATE)."""
    in_forum = Thread.objects.filter(pk=thread_id).values("forum_id")
    Forum.objects.filter(pk__in=in_forum).update(public_thread_count=F("public_thread_count") + change)


def index_for_search(post: Post) -> None:
    """Store the post's tsvector (title counts more than body). SQLite, the first-look database, has none."""
    if connection.vendor != "postgresql":
        return
    vector = SearchVector("body", weight="B", config="english")
    if post.is_opening:
        vector = SearchVector(Value(post.thread.title), weight="A", config="english") + vector
        story = Story.objects.filter(post=post).first()
        if story:
            words = f"{story.get_treatment_display()} {story.regimen}"
            vector = vector + SearchVector(Value(words), weight="B", config="english")
    Post.objects.filter(pk=post.pk).update(search_vector=vector)
