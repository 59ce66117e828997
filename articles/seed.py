"""Demo articles for `seed_demo`: every `articles/seed_content/<slug>.md`, published and reviewed.

Seeding takes the editors' path: a draft, submitted for review, signed, published. The signature is
a demonstration reviewer's, and the badge says so: no clinician has reviewed the demo content.

Idempotent by slug. When a seed file's text changed since an article was seeded, the change goes
through the review workflow too (a version, approved by the demonstration reviewer), but only while
the article's text was signed by a demonstration review and no editor's change is waiting: text a
real reviewer signed is never replaced by the demo.
The author is the demo editor and the reviewer the demo reviewer when `--demo-users` made them;
otherwise two clearly named demo accounts that cannot log in.
"""

import tomllib
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role
from accounts.services import enable_two_factor
from articles import selectors, services
from articles.models import Article, Category, ReviewerProfile

CONTENT_DIR = Path(__file__).resolve().parent / "seed_content"
CATEGORIES = ["Understanding PANDAS/PANS", "Treatment", "Living with PANS", "School", "Practical matters"]
# (email of the demo account made by --demo-users, fallback account used without it)
EDITOR = ("editor@example.org", "demo-editorial-team@example.invalid", "Demo editorial team", Role.EDITOR)
REVIEWER = ("reviewer@example.org", "demo-review-board@example.invalid", "Demo review board", Role.MEDICAL_REVIEWER)
DEMONSTRATION_PROFILE = {
    "slug": "demonstration-reviewer",
    "name": "Demonstration reviewer",
    "credentials": "Not a clinician: signs demo content only",
    "statement": (
        "This profile signs the demonstration articles that come with the portal, to show how medical "
        "review works. It is not a person and not a clinician. On a live site, volunteer clinicians "
        "review each article and the badge names them, with their own profile."
    ),
    "conflicts_of_interest": "None: this is a demonstration profile.",
    "is_demonstration": True,
}


def parse(path: Path) -> tuple[dict, str]:
    """TOML front matter between +++ lines, then the Markdown body."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("+++", 2)
    return tomllib.loads(front), body.strip() + "\n"


def key_points(front: dict) -> str:
    """The front matter's `key_points = ["…", "…"]` as the article stores them: one per line."""
    return "\n".join(point.strip() for point in front.get("key_points", []))


def _staff(demo_email: str, fallback_email: str, display_name: str, role: Role) -> User:
    user = User.objects.filter(email=demo_email).first() or User.objects.filter(email=fallback_email).first()
    if user is None:
        # No password: nobody can log in as it; it only signs the demo content honestly as "demo".
        user = User.objects.create_user(email=fallback_email, password=None, display_name=display_name)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        enable_two_factor(user=user)  # staff powers need two-factor; the key is thrown away
    return user


def _demonstration_profile(reviewer: User) -> ReviewerProfile:
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    if profile is None:
        slug = DEMONSTRATION_PROFILE["slug"]
        if ReviewerProfile.objects.filter(slug=slug).exists():
            slug = f"{slug}-{reviewer.pk}"
        profile = ReviewerProfile.objects.create(user=reviewer, **{**DEMONSTRATION_PROFILE, "slug": slug})
    return profile


def _reference(data: dict) -> dict:
    # TOML has no null: an empty year means unknown.
    return {**data, "year": data.get("year") or None}


def seed(*, stdout) -> None:
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": position})
    paths = sorted(CONTENT_DIR.glob("*.md"))
    existing = set(Article.objects.values_list("slug", flat=True))
    editor, reviewer = _staff(*EDITOR), _staff(*REVIEWER)
    _demonstration_profile(reviewer)
    created = updated = 0
    for path in paths:
        front, body = parse(path)
        references = [_reference(ref) for ref in front.get("references", [])]
        if front["slug"] in existing:
            updated += _update_demo_text(
                front=front, body=body, references=references, editor=editor, reviewer=reviewer
            )
            continue
        with transaction.atomic():
            article = services.create_article(
                editor=editor,
                title=front["title"],
                slug=front["slug"],
                summary=front["summary"],
                key_points=key_points(front),
                body=body,
                category=Category.objects.get_or_create(
                    name=front["category"], defaults={"slug": slugify(front["category"]), "position": len(CATEGORIES)}
                )[0],
                audience=front.get("audience", Article.Audience.PARENTS),
                tags=front.get("tags", []),
                references=references,
            )
            services.change_status(editor=editor, article=article, status=Article.Status.IN_REVIEW)
            services.record_review(reviewer=reviewer, article=article, notes=front.get("reviewer_notes", ""))
            services.publish_article(editor=editor, article=article)
        created += 1
    stdout.write(f"Articles: {created} created, {updated} updated, {len(paths) - created - updated} already there.")


def _update_demo_text(*, front: dict, body: str, references: list[dict], editor: User, reviewer: User) -> int:
    """Bring a seeded article's text up to its seed file, through a version the demo reviewer approves."""
    article = Article.objects.select_related("last_review__reviewer__reviewer_profile").get(slug=front["slug"])
    review = article.last_review
    if review is None or not review.is_demonstration or selectors.pending_version(article) is not None:
        return 0
    content = {
        "title": front["title"],
        "summary": front["summary"],
        "key_points": key_points(front),
        "body": body,
        "references": [{**ref, "position": position} for position, ref in enumerate(references, start=1)],
    }
    with transaction.atomic():
        version = services.propose_version(editor=editor, article=article, content=content)
        if version is None:
            return 0
        services.approve_version(reviewer=reviewer, version=version, notes=front.get("reviewer_notes", ""))
    return 1
