"""The editorial workflow lives here: editors write, medical reviewers sign off, editors publish.

Every write goes through `articles.services`, so the admin cannot skip a rule the services enforce.
"""

import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import services
from articles.forms import ArticleAdminForm, ReferenceForm, ReferenceFormSet, ReviewForm
from articles.models import Article, Category, Reference, Review, Revision, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReferenceInline(admin.StackedInline):
    model = Reference
    form = ReferenceForm
    formset = ReferenceFormSet
    extra = 1
    ordering = ["position"]


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["reviewer", "reviewed_at", "notes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Medical reviews (record one with “Record medical review” above)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["created_at", "editor", "changed", "note", "compare"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "Revisions (compare and restore)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="changed")
    def changed(self, revision):
        return ", ".join(revision.changed_fields)

    @admin.display(description="")
    def compare(self, revision):
        from django.utils.html import format_html

        url = reverse("admin:articles_article_revision", args=[revision.article_id, revision.pk])
        return format_html('<a href="{}">Compare and restore</a>', url)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ReferenceInline, ReviewInline, RevisionInline]
    change_form_template = "articles/admin/change_form.html"
    list_display = ["title", "status", "category", "audience", "reviewed", "review_due", "published_at"]
    list_filter = ["status", "category", "audience"]
    list_select_related = ["category", "last_review__reviewer"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    readonly_fields = ["reviewed", "published_at", "reading_minutes"]
    actions = ["submit_for_review", "publish", "archive"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "category", "audience", "tags", "body"]}),
        ("Workflow", {"fields": ["status", "reviewed", "review_due", "published_at", "reading_minutes"]}),
    ]

    @admin.display(description="medically reviewed")
    def reviewed(self, article):
        review = article.last_review
        if not review:
            return "Not reviewed yet"
        return f"{review.reviewer.display_name} on {review.reviewed_at:%Y-%m-%d}"

    def save_model(self, request, obj, form, change):
        services.save_article(editor=request.user, article=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_revision(editor=request.user, article=form.instance)

    def _change_status(self, request, queryset, status, verb):
        done = 0
        for article in queryset:
            try:
                services.change_status(editor=request.user, article=article, status=status)
                done += 1
            except services.PublishingError as error:
                self.message_user(request, f"“{article.title}” was not {verb}: {error}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} article{'s' if done != 1 else ''} {verb}.", messages.SUCCESS)

    @admin.action(description="Submit for medical review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._change_status(request, queryset, Article.Status.IN_REVIEW, "submitted for review")

    @admin.action(description="Publish (needs a medical review)", permissions=["change"])
    def publish(self, request, queryset):
        self._change_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(description="Archive", permissions=["change"])
    def archive(self, request, queryset):
        self._change_status(request, queryset, Article.Status.ARCHIVED, "archived")

    def get_urls(self):
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="articles_article_review"),
            path(
                "<int:pk>/revisions/<int:revision_pk>/",
                self.admin_site.admin_view(self.revision_view),
                name="articles_article_revision",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        """A medical reviewer signs off an article (a form with notes and a confirmation)."""
        article = get_object_or_404(Article, pk=pk)
        if not request.user.is_medical_reviewer:
            raise PermissionDenied
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.record_review(reviewer=request.user, article=article, notes=form.cleaned_data["notes"])
            except services.PublishingError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"Review recorded for “{article.title}”.", messages.SUCCESS)
                return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Record medical review: {article.title}",
            "article": article,
            "form": form,
        }
        return TemplateResponse(request, "articles/admin/review_form.html", context)

    def revision_view(self, request, pk, revision_pk):
        """Compare a revision with the one before it; editors can restore it."""
        revision = get_object_or_404(Revision.objects.select_related("editor", "article"), pk=revision_pk, article=pk)
        if not self.has_view_permission(request, revision.article):
            raise PermissionDenied
        if request.method == "POST":
            services.restore_revision(editor=request.user, revision=revision)
            self.message_user(request, "The earlier version is back; the restore is a new revision.", messages.SUCCESS)
            return redirect("admin:articles_article_change", pk)
        previous = (
            Revision.objects.filter(article_id=pk, created_at__lte=revision.created_at)
            .exclude(pk=revision.pk)
            .filter(id__lt=revision.pk)
            .order_by("-created_at", "-id")
            .first()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision of {revision.created_at:%Y-%m-%d %H:%M}: {revision.article.title}",
            "revision": revision,
            "previous": previous,
            "diffs": revision_diffs(previous.snapshot if previous else {}, revision.snapshot),
            "can_restore": request.user.is_editor,
        }
        return TemplateResponse(request, "articles/admin/revision.html", context)


def revision_diffs(before: dict, after: dict) -> list[dict]:
    """A line diff per field that differs between two snapshots."""
    diffs = []
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        old_lines, new_lines = _lines(old), _lines(new)
        lines = list(difflib.unified_diff(old_lines, new_lines, "before", "after", lineterm="", n=2))[2:]
        diffs.append({"field": name, "lines": lines})
    return diffs


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).splitlines()


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["article", "reviewer", "reviewed_at"]
    list_select_related = ["article", "reviewer"]
    readonly_fields = ["article", "reviewer", "reviewed_at", "notes"]

    def has_add_permission(self, request):
        return False  # reviews are recorded from the article page, through the service

    def has_change_permission(self, request, obj=None):
        return False
