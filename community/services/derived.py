"""Stored derived state, kept right here and nowhere else (never by signals): a thread's reply count,
last post, last activity and whether it is public; a post's search vector."""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from community.models import Post, Story, Thread


def refresh_thread(thread: Thread) -> None:
    """Recount a thread's visible replies, find its last visible post and whether its opening post is
    visible (which makes the thread public): the one way they change."""
    visible = Post.objects.filter(thread=thread, visibility=Post.Visibility.VISIBLE)
    last = visible.order_by("-created_at", "-id").first()
    thread.reply_count = visible.filter(is_opening=False).count()
    thread.last_post = last
    thread.last_activity_at = last.created_at if last else thread.created_at
    thread.opening_visible = visible.filter(is_opening=True).exists()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=thread.reply_count,
        last_post=thread.last_post,
        last_activity_at=thread.last_activity_at,
        opening_visible=thread.opening_visible,
    )


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
