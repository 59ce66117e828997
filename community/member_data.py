"""A member's community data: what their export holds and what erasing their account removes.

Collected by accounts.services through portal/hooks.py. Posts are exported with every earlier
version; erasure always removes earlier versions, reactions, follows, notifications and settings,
and either keeps the posts under "Former member N" or leaves a tombstone in their place.
"""

from django.db.models import Count, F

from accounts.models import User
from community.models import Follow, MemberSettings, Notification, Post, PostRevision, Reaction, Story, Thread
from community.services.derived import recount_forums, refresh_thread

COVERS = {
    "community.Thread": "exported (threads started); erased with the member's posts when they choose so",
    "community.Post": "exported with every revision and in posts.csv; kept or tombstoned on erasure",
    "community.PostRevision": "exported with its post; earlier versions of the member's posts erased",
    "community.Reaction": "exported; erased and the post's counts lowered",
    "community.Follow": "exported; erased",
    "community.MemberSettings": "exported; erased",
    "community.Notification": "exported; erased",
    "community.Story": "exported with its figures; erased with the member's posts when they choose so",
    "community.Forum": "forum names and descriptions written by the team; not about a member",
}

CSV = {
    "posts.csv": ("community", "posts", ["id", "thread_id", "thread", "created_at", "edited_at", "visibility", "body"])
}

DELETED_TITLE = "Deleted thread"


def _time(value):
    return value.isoformat() if value else None


def export(user: User) -> dict:
    posts = (
        Post.objects.filter(author=user)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )
    stories = Story.objects.filter(post__author=user).select_related("post__thread").order_by("created_at", "id")
    settings_row = MemberSettings.objects.filter(user=user).first()
    return {
        "community": {
            "threads": [
                {
                    "id": thread.pk,
                    "title": thread.title,
                    "created_at": _time(thread.created_at),
                    "deleted": thread.is_deleted,
                }
                for thread in Thread.objects.filter(author=user).order_by("created_at", "id")
            ],
            "posts": [
                {
                    "id": post.pk,
                    "thread_id": post.thread_id,
                    "thread": post.thread.title,
                    "created_at": _time(post.created_at),
                    "edited_at": _time(post.edited_at),
                    "visibility": post.visibility,
                    "body": post.body,
                    "earlier_versions": [
                        {"replaced_at": _time(revision.created_at), "body": revision.body}
                        for revision in post.revisions.all()
                    ],
                }
                for post in posts
            ],
            "stories": [
                {
                    "id": story.pk,
                    "post_id": story.post_id,
                    "title": story.post.thread.title,
                    "treatment": story.get_treatment_display(),
                    "age_band": story.get_age_band_display(),
                    "regimen": story.regimen,
                    "side_effects": story.side_effect_labels(),
                    "severity_before": story.severity_before,
                    "severity_1_month": story.severity_1_month,
                    "severity_3_months": story.severity_3_months,
                    "severity_6_months": story.severity_6_months,
                    "insurance": story.get_insurance_display(),
                    "created_at": _time(story.created_at),
                    "updated_at": _time(story.updated_at),
                }
                for story in stories
            ],
            "reactions": [
                {"post_id": post_id, "kind": kind, "created_at": _time(created_at)}
                for post_id, kind, created_at in Reaction.objects.filter(user=user)
                .order_by("created_at", "id")
                .values_list("post_id", "kind", "created_at")
            ],
            "follows": [
                {"thread_id": thread_id, "thread": title, "since": _time(created_at)}
                for thread_id, title, created_at in Follow.objects.filter(user=user)
                .order_by("created_at", "id")
                .values_list("thread_id", "thread__title", "created_at")
            ],
            "notifications": [
                {"post_id": post_id, "created_at": _time(created_at), "read_at": _time(read_at), "email": email}
                for post_id, created_at, read_at, email in Notification.objects.filter(recipient=user)
                .order_by("created_at", "id")
                .values_list("post_id", "created_at", "read_at", "email")
            ],
            "settings": {
                "emails": settings_row.emails if settings_row else MemberSettings.Emails.EACH_REPLY.value,
            },
        }
    }


def erase(user: User, *, delete_posts: bool) -> None:
    """Remove the member's community data; called inside the account deletion's transaction."""
    _take_back_reactions(user)
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    MemberSettings.objects.filter(user=user).delete()
    # Earlier versions are what the member edited away: they go in both choices.
    PostRevision.objects.filter(post__author=user).delete()
    if delete_posts:
        _tombstone_posts(user)


def _take_back_reactions(user: User) -> None:
    counted = {Reaction.Kind.HELPFUL: "helpful_count", Reaction.Kind.THINKING_OF_YOU: "thinking_count"}
    for kind, counter in counted.items():
        post_ids = list(Reaction.objects.filter(user=user, kind=kind).values_list("post_id", flat=True))
        if post_ids:
            Post.objects.filter(pk__in=post_ids, **{f"{counter}__gt": 0}).update(**{counter: F(counter) - 1})
    Reaction.objects.filter(user=user).delete()


def _tombstone_posts(user: User) -> None:
    """Each post stays as a "deleted" tombstone without its text, so the threads still read; the
    threads the member started are deleted as a whole (as when a moderator deletes one)."""
    posts = Post.objects.filter(author=user)
    thread_ids = set(posts.values_list("thread_id", flat=True))
    # Other members' unread notifications of these posts no longer lead anywhere.
    unread = (
        Notification.objects.filter(post__author=user, read_at__isnull=True)
        .values("recipient_id")
        .annotate(count=Count("id"))
    )
    for row in unread:
        MemberSettings.objects.filter(user_id=row["recipient_id"], unread_count__gte=row["count"]).update(
            unread_count=F("unread_count") - row["count"]
        )
    Notification.objects.filter(post__author=user).delete()
    Story.objects.filter(post__author=user).delete()
    posts.update(
        body="",
        body_html="",
        search_vector=None,
        visibility=Post.Visibility.DELETED,
        hidden_reason="",
    )
    started = Thread.objects.filter(author=user)
    forum_ids = set(started.values_list("forum_id", flat=True))
    started.update(title=DELETED_TITLE, slug="deleted-thread", is_deleted=True)
    for thread in Thread.objects.filter(pk__in=thread_ids):
        refresh_thread(thread)
    recount_forums(forum_ids)  # the deleted threads left their forums' counts all at once


def export_size(user: User) -> int:
    """Posts are what makes an export large (accounts.services decides when to build it in the background)."""
    return Post.objects.filter(author=user).count()
