"""Every non-trivial read of the community, named and chainable. Who may see what is not decided
here but in community.access, which narrows these querysets."""

from datetime import timedelta

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Value
from django.utils import timezone

from accounts.selectors import shown_as_moderator


class ForumQuerySet(models.QuerySet):
    def with_activity(self):
        """Each forum's count of public threads and its latest public activity."""
        public = Q(threads__is_deleted=False, threads__opening_visible=True)
        return self.annotate(
            thread_count=Count("threads", filter=public),
            latest_activity_at=Max("threads__last_activity_at", filter=public),
        )


class ThreadQuerySet(models.QuerySet):
    def for_list(self):
        """Pinned first, then by last activity, with what a list row shows (no query per row)."""
        return self.select_related("author", "last_post__author", "forum").order_by(
            "-is_pinned", "-last_activity_at", "-id"
        )


class PostQuerySet(models.QuerySet):
    def for_thread_page(self):
        """Oldest first, with authors, stories and each author's moderator badge (`author_is_moderator`)."""
        return (
            self.select_related("author", "story")
            .annotate(author_is_moderator=shown_as_moderator("author"))
            .order_by("created_at", "id")
        )

    def with_reactions_of(self, user):
        """Mark each post with `user`'s own reactions (`my_helpful`, `my_thinking`) in the same query."""
        if not user.is_authenticated:
            return self.annotate(my_helpful=Value(False), my_thinking=Value(False))
        Reaction = self.model._meta.get_field("reactions").related_model
        mine = Reaction.objects.filter(post=OuterRef("pk"), user=user)
        return self.annotate(
            my_helpful=Exists(mine.filter(kind=Reaction.Kind.HELPFUL)),
            my_thinking=Exists(mine.filter(kind=Reaction.Kind.THINKING_OF_YOU)),
        )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending_email(self):
        return self.filter(email=self.model.Email.PENDING)

    def for_list(self):
        return self.select_related("post__thread", "post__author").order_by("-created_at", "-id")


class StoryQuerySet(models.QuerySet):
    def live(self):
        """Stories whose post is visible in a thread not deleted (what reminders and lists start from)."""
        Post = self.model._meta.get_field("post").related_model
        return self.filter(post__visibility=Post.Visibility.VISIBLE, post__thread__is_deleted=False)

    def due_a_reminder(self):
        """Live stories whose next reminder (`Story.REMINDERS`) is due and whose figure is still missing."""
        now = timezone.now()
        due = Q()
        for number, (months, figure) in enumerate(self.model.REMINDERS):
            due |= Q(
                reminders_sent=number,
                created_at__lte=now - timedelta(days=months * self.model.DAYS_PER_MONTH),
                **{f"{figure}__isnull": True},
            )
        return self.live().filter(due)

    def for_list(self):
        return self.select_related("post__thread", "post__author").order_by("-created_at", "-id")
