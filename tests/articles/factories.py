"""Articles made through the services, as editors and reviewers would make them."""

import itertools

from accounts.roles import Role
from articles import services
from articles.models import Article, Category
from tests.factories import UserFactory

_numbers = itertools.count(1)


def editor(**kwargs):
    return UserFactory(roles=[Role.EDITOR], is_staff=True, **kwargs)


def reviewer(**kwargs):
    return UserFactory(roles=[Role.MEDICAL_REVIEWER], is_staff=True, **kwargs)


def category(name: str | None = None) -> Category:
    name = name or f"Category {next(_numbers)}"
    return Category.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})[0]


def reference(number: int) -> dict:
    return {
        "authors": f"Author {number} A, Author {number} B",
        "title": f"A study number {number}",
        "journal": "Journal of Examples",
        "year": 2000 + number,
        "doi": f"10.1000/example.{number}",
        "pmid": str(1000 + number),
    }


def make_article(
    *,
    title: str | None = None,
    body: str | None = None,
    summary: str = "A short plain summary.",
    key_points: str = "",
    references: int = 2,
    tags: tuple[str, ...] = ("strep",),
    category_name: str | None = "Treatment",
    audience: str = Article.Audience.PARENTS,
    status: str = Article.Status.PUBLISHED,
    by=None,
    reviewed_by=None,
) -> Article:
    number = next(_numbers)
    title = title or f"Article number {number}"
    body = body if body is not None else "## Background\n\nText citing [1].\n\n### Detail\n\nMore text.\n"
    by = by or editor()
    article = services.create_article(
        editor=by,
        title=title,
        slug=f"article-{number}",
        summary=summary,
        key_points=key_points,
        body=body,
        category=category(category_name),
        audience=audience,
        tags=list(tags),
        references=[reference(n) for n in range(1, references + 1)],
    )
    if status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED) or reviewed_by:
        services.record_review(reviewer=reviewed_by or reviewer(), article=article, notes="Checked.")
    if status != Article.Status.DRAFT:
        article = services.change_status(editor=by, article=article, status=status)
    return article
