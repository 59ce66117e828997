"""The admin's other lists: categories, tags, the reviewers' queue of versions, reviewer profiles, reviews."""

from django.contrib import admin
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.html import format_html

from articles.models import ArticleVersion, Category, Review, ReviewerProfile, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ArticleVersion)
class ArticleVersionAdmin(admin.ModelAdmin):
    """The reviewers' queue: changes to reviewed articles, waiting first."""

    list_display = ["article", "state", "editor", "updated_at", "compare"]
    list_filter = ["state"]
    list_select_related = ["article", "editor"]
    readonly_fields = [
        "article",
        "editor",
        "state",
        "created_at",
        "updated_at",
        "decided_by",
        "decided_at",
        "review_note",
    ]
    exclude = ["content", "review"]

    def get_ordering(self, request):
        waiting_first = Case(When(state=ArticleVersion.State.PENDING, then=Value(0)), default=Value(1))
        return [waiting_first.asc(), "-updated_at"]

    def has_add_permission(self, request):
        return False  # versions come from editing an article

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def compare(self, version):
        url = reverse("admin:articles_article_version", args=[version.article_id, version.pk])
        return format_html('<a href="{}">Compare and review</a>', url)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "user", "is_demonstration"]
    list_select_related = ["user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["article", "reviewer", "reviewed_at"]
    list_select_related = ["article", "reviewer"]
    readonly_fields = ["article", "reviewer", "reviewed_at", "notes"]

    def has_add_permission(self, request):
        return False  # reviews are recorded from the article page, through the service

    def has_change_permission(self, request, obj=None):
        return False
