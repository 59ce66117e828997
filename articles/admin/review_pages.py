"""The article's own admin pages: record a review, compare a waiting version, compare and restore a revision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles import selectors, services
from articles.diffs import content_diffs
from articles.forms import ReviewForm, SendBackForm
from articles.models import Article, ArticleVersion, Revision


class ReviewPagesMixin:
    """For `ArticleAdmin`: its review, version and revision pages, beside the change form."""

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
            "pending_version": selectors.pending_version(article),
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
            "diffs": selectors.version_diffs(version),
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
