from datetime import date

from django.db import models
from django.db.models import Count, Prefetch, Q


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def readable_by(self, user):
        """Published and archived articles for everyone; drafts too for editors and reviewers (preview)."""
        if user.is_authenticated and (user.is_editor or user.is_medical_reviewer):
            return self
        return self.filter(status__in=[self.model.Status.PUBLISHED, self.model.Status.ARCHIVED])

    def signed_by(self, user_id: int):
        """Articles whose shown text this reviewer signed (their latest review is theirs)."""
        return self.filter(last_review__reviewer_id=user_id)

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def for_list(self):
        return self.select_related("category", "last_review__reviewer__reviewer_profile").defer(
            "body", "body_html", "body_text", "toc", "search_vector"
        )

    def for_page(self):
        from articles.models import Reference

        return self.select_related("category", "author", "last_review__reviewer__reviewer_profile").prefetch_related(
            Prefetch("references", queryset=Reference.objects.order_by("position")), "tags"
        )

    def related_to(self, article, *, tag_ids: list[int], limit: int = 3):
        """Published articles sharing the most tags with `article`, then its category; newest first."""
        return (
            self.published()
            .exclude(pk=article.pk)
            .filter(Q(category_id=article.category_id) | Q(tags__in=tag_ids))
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
            .order_by("-shared_tags", "-published_at")
            .only("title", "slug", "summary", "published_at")[:limit]
        )

    def review_due_by(self, day: date):
        return self.published().filter(review_due__lte=day).order_by("review_due", "title")
