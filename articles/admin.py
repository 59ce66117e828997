"""The editorial workflow lives here: editors write, medical reviewers sign off, editors publish.

Every write goes through `articles.services`, so the admin cannot skip a rule the services enforce.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext

from articles import services
from articles.diffs import content_diffs
from articles.forms import ArticleAdminForm, ReferenceForm, ReferenceFormSet, ReviewForm, SendBackForm
from articles.models import (
    REFERENCE_FIELDS,
    Article,
    ArticleVersion,
    Category,
    Reference,
    Review,
    ReviewerProfile,
    Revision,
    Tag,
)


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
        (None, {"fields": ["title", "slug", "summary", "key_points", "category", "audience", "tags", "body"]}),
        ("Workflow", {"fields": ["status", "reviewed", "review_due", "published_at", "reading_minutes"]}),
    ]

    @admin.display(description="medically reviewed")
    def reviewed(self, article):
        review = article.last_review
        if not review:
            return "Not reviewed yet"
        return f"{review.reviewer.display_name} on {review.reviewed_at:%Y-%m-%d}"

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and (version := services.pending_version(article)):
            # The form opens on the waiting text, so a second edit builds on the first.
            for name in services.REVIEWED_FIELDS:
                setattr(article, name, version.content.get(name, getattr(article, name)))
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.filter(pk=object_id).first()
        if article is not None:
            latest = ArticleVersion.objects.filter(article=article).select_related("editor", "decided_by").first()
            extra_context = {
                **(extra_context or {}),
                "pending_version": latest if latest and latest.state == ArticleVersion.State.PENDING else None,
                "sent_back_version": latest if latest and latest.state == ArticleVersion.State.SENT_BACK else None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and services.text_needs_review(obj):
            # A reviewed article's text waits for a reviewer (save_related files it as a version);
            # the article keeps its reviewed text, and is saved only for other changes.
            published = Article.objects.get(pk=obj.pk)
            request.proposed_article_text = {name: getattr(obj, name) for name in services.REVIEWED_FIELDS}
            for name in services.REVIEWED_FIELDS:
                setattr(obj, name, getattr(published, name))
            if set(form.changed_data) - set(services.REVIEWED_FIELDS) - {"tags"}:
                services.save_article(editor=request.user, article=obj)
            return
        services.save_article(editor=request.user, article=obj)

    def save_related(self, request, form, formsets, change):
        proposed = getattr(request, "proposed_article_text", None)
        if proposed is None:
            super().save_related(request, form, formsets, change)
            services.record_revision(editor=request.user, article=form.instance)
            return
        form.save_m2m()
        article = form.instance
        for formset in formsets:
            # Nothing is saved from the inlines here; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        references_formset = next(formset for formset in formsets if formset.model is Reference)
        if references_formset.has_changed():
            references = [
                {name: ref_form.cleaned_data.get(name) for name in REFERENCE_FIELDS}
                for ref_form in references_formset.forms
                if ref_form.cleaned_data and not ref_form.cleaned_data.get("DELETE")
            ]
        else:
            pending = services.pending_version(article)
            references = pending.content["references"] if pending else services.reviewed_content(article)["references"]
        version = services.propose_version(
            editor=request.user, article=article, content={**proposed, "references": references}
        )
        services.record_revision(editor=request.user, article=article)
        if version is not None:
            self.message_user(
                request,
                "Your change to the text waits for a medical reviewer. Until it is approved, readers see the "
                "reviewed text.",
                messages.WARNING,
            )

    def _change_status(self, request, queryset, status, verb):
        done = 0
        for article in queryset:
            try:
                services.change_status(editor=request.user, article=article, status=status)
                done += 1
            except services.PublishingError as error:
                self.message_user(request, f"“{article.title}” was not {verb}: {error}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} {ngettext('article', 'articles', done)} {verb}.", messages.SUCCESS)

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
                "<int:pk>/versions/<int:version_pk>/",
                self.admin_site.admin_view(self.version_view),
                name="articles_article_version",
            ),
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
            "pending_version": services.pending_version(article),
        }
        return TemplateResponse(request, "articles/admin/review_form.html", context)

    def version_view(self, request, pk, version_pk):
        """A change waiting for review: its diff against the public text; reviewers approve or send back."""
        version = get_object_or_404(
            ArticleVersion.objects.select_related("article", "editor", "decided_by"), pk=version_pk, article=pk
        )
        if not self.has_view_permission(request, version.article):
            raise PermissionDenied
        can_decide = request.user.is_medical_reviewer and version.is_pending
        approve_form = ReviewForm(request.POST if "approve" in request.POST else None, prefix="approve")
        send_back_form = SendBackForm(request.POST if "send_back" in request.POST else None, prefix="send_back")
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            try:
                if "approve" in request.POST and approve_form.is_valid():
                    services.approve_version(
                        reviewer=request.user, version=version, notes=approve_form.cleaned_data["notes"]
                    )
                    self.message_user(request, "Approved: readers now see this version.", messages.SUCCESS)
                    return redirect("admin:articles_article_change", pk)
                if "send_back" in request.POST and send_back_form.is_valid():
                    services.send_back_version(
                        reviewer=request.user, version=version, note=send_back_form.cleaned_data["note"]
                    )
                    self.message_user(request, "Sent back to the editors with your note.", messages.SUCCESS)
                    return redirect("admin:articles_article_change", pk)
            except services.PublishingError as error:
                self.message_user(request, str(error), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Change waiting for review: {version.article.title}",
            "version": version,
            "article": version.article,
            "diffs": services.version_diffs(version),
            "can_decide": can_decide,
            "approve_form": approve_form,
            "send_back_form": send_back_form,
        }
        return TemplateResponse(request, "articles/admin/version.html", context)

    def revision_view(self, request, pk, revision_pk):
        """Compare a revision with the one before it; editors can restore it."""
        revision = get_object_or_404(Revision.objects.select_related("editor", "article"), pk=revision_pk, article=pk)
        if not self.has_view_permission(request, revision.article):
            raise PermissionDenied
        if request.method == "POST":
            services.restore_revision(editor=request.user, revision=revision)
            if services.text_needs_review(revision.article):
                self.message_user(request, "The earlier text now waits for a medical reviewer.", messages.WARNING)
            else:
                self.message_user(
                    request, "The earlier version is back; the restore is a new revision.", messages.SUCCESS
                )
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
            "diffs": content_diffs(previous.snapshot if previous else {}, revision.snapshot),
            "can_restore": request.user.is_editor,
        }
        return TemplateResponse(request, "articles/admin/revision.html", context)


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
        from django.utils.html import format_html

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
