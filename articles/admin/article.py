"""The article form: references, reviews and revisions inline; saving through the services; status actions."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles import selectors, services
from articles.admin.review_pages import ReviewPagesMixin
from articles.forms import ArticleAdminForm, ReferenceForm, ReferenceFormSet
from articles.models import REFERENCE_FIELDS, REVIEWED_FIELDS, Article, ArticleVersion, Reference, Review, Revision


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
        url = reverse("admin:articles_article_revision", args=[revision.article_id, revision.pk])
        return format_html('<a href="{}">Compare and restore</a>', url)


@admin.register(Article)
class ArticleAdmin(ReviewPagesMixin, admin.ModelAdmin):
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
        if article is not None and (version := selectors.pending_version(article)):
            # The form opens on the waiting text, so a second edit builds on the first.
            for name in REVIEWED_FIELDS:
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
            request.proposed_article_text = {name: getattr(obj, name) for name in REVIEWED_FIELDS}
            for name in REVIEWED_FIELDS:
                setattr(obj, name, getattr(published, name))
            if set(form.changed_data) - set(REVIEWED_FIELDS) - {"tags"}:
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
            pending = selectors.pending_version(article)
            references = pending.content["references"] if pending else selectors.reviewed_content(article)["references"]
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
