import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from articles.forms import ArticleFilterForm
from articles.models import Article, Category, ReviewerProfile
from portal.pagecache import cache_anonymous_page

PAGE_SIZE = 10
# Keeps JSON-LD inert inside <script>: no "</script>", no HTML comment or entity can form.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@require_safe
@cache_anonymous_page
def article_list(request):
    categories = list(Category.objects.all())
    form = ArticleFilterForm(request.GET or None, categories=categories)
    articles = Article.objects.published().for_list().newest_first()
    if form.is_valid():
        if category := form.cleaned_data["category"]:
            articles = articles.filter(category__slug=category)
        if audience := form.cleaned_data["audience"]:
            articles = articles.filter(audience=audience)
    page_obj = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "articles/list.html",
        {"form": form, "page_obj": page_obj, "articles": page_obj.object_list, "query_string": query.urlencode()},
    )


@require_safe
@cache_anonymous_page
def article_detail(request, slug):
    user = request.user
    article = Article.objects.readable_by(user).for_page().filter(slug=slug).first()
    if article is None:
        raise Http404("No such article")
    tags = list(article.tags.all())
    related = list(Article.objects.related_to(article, tag_ids=[tag.pk for tag in tags]))
    is_editor = user.is_authenticated and user.is_editor
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "tags": tags,
            "references": list(article.references.all()),
            "related": related,
            "review": article.last_review,
            "show_review_due": is_editor and article.review_is_due(),
            "canonical_url": settings.SITE_URL + article.get_absolute_url(),
            "json_ld": _json_ld(article),
        },
    )


def _json_ld(article: Article) -> str:
    """schema.org MedicalWebPage, as text safe to place inside <script type="application/ld+json">."""
    url = settings.SITE_URL + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en",
        "audience": {"@type": "Audience", "audienceType": article.get_audience_display()},
        "about": {"@type": "MedicalCondition", "name": "PANDAS/PANS"},
        "publisher": {"@type": "Organization", "name": "PANDAS Parent Network", "url": settings.SITE_URL},
        "dateModified": article.updated_at.isoformat(),
        "citation": [
            {"@type": "CreativeWork", "name": ref.title, **({"url": ref.best_url} if ref.best_url else {})}
            for ref in article.references.all()
        ],
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if (review := article.last_review) and not review.is_demonstration:
        data["lastReviewed"] = review.reviewed_at.date().isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": review.reviewer_name}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 — escaped above


@require_safe
@cache_anonymous_page
def reviewer_profile(request, slug):
    """A medical reviewer's public page: who they are, their conflicts, the articles they signed."""
    profile = get_object_or_404(ReviewerProfile.objects.select_related("user"), slug=slug)
    articles = list(Article.objects.published().signed_by(profile.user_id).for_list().newest_first())
    return render(request, "articles/reviewer.html", {"profile": profile, "articles": articles})
