"""Every non-trivial read of the community, named and chainable."""

from django.db import models
from django.db.models import Count, Max, Q

from community.permissions import is_moderator


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if user.is_authenticated else self.filter(members_only=False)

    def with_activity(self):
        live = Q(threads__is_deleted=False)
        return self.annotate(
            thread_count=Count("threads", filter=live),
            latest_activity_at=Max("threads__last_activity_at", filter=live),
        )


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        threads = self.filter(is_deleted=False)
        if not user.is_authenticated:
            threads = threads.filter(forum__members_only=False)
        return threads

    def for_list(self):
        """Pinned first, then by last activity, with what a list row shows (no query per row)."""
        return self.select_related("author", "last_post__author", "forum").order_by(
            "-is_pinned", "-last_activity_at", "-id"
        )


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Posts whose words `user` may read: visible ones, plus their own held ones (all held ones for
        moderators), in forums they may read. Hidden and deleted posts are left out."""
        Visibility = self.model.Visibility
        allowed = Q(visibility=Visibility.VISIBLE)
        if user.is_authenticated:
            allowed |= Q(visibility=Visibility.HELD) & (Q() if is_moderator(user) else Q(author=user))
        posts = self.filter(allowed, thread__is_deleted=False)
        if not user.is_authenticated:
            posts = posts.filter(thread__forum__members_only=False)
        return posts

    def public(self):
        """What search and feeds may show: visible posts in readable threads (forum access is the caller's)."""
        return self.filter(visibility=self.model.Visibility.VISIBLE, thread__is_deleted=False)

    def in_thread_for(self, user):
        """A thread page's posts: hidden and deleted ones stay as placeholders so the thread reads on;
        held ones only for their author and moderators."""
        Visibility = self.model.Visibility
        if not user.is_authenticated:
            return self.exclude(visibility=Visibility.HELD)
        if is_moderator(user):
            return self
        return self.exclude(Q(visibility=Visibility.HELD) & ~Q(author=user))

    def for_thread_page(self):
        return self.select_related("author", "story").order_by("created_at", "id")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending_email(self):
        return self.filter(email=self.model.Email.PENDING)

    def for_list(self):
        return self.select_related("post__thread", "post__author").order_by("-created_at", "-id")


class StoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        from community.models import Post

        return self.filter(post__in=Post.objects.visible_to(user).filter(visibility=Post.Visibility.VISIBLE))

    def published(self):
        """Stories that count in the outcomes: their post is visible."""
        return self.filter(post__visibility="visible", post__thread__is_deleted=False)

    def for_list(self):
        return self.select_related("post__thread", "post__author").order_by("-created_at", "-id")
