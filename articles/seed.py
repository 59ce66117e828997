"""Demo articles for `seed_demo`: every `articles/seed_content/<slug>.md`, published and reviewed.

Idempotent by slug: an article that exists is left as it is (an editor may have changed it).
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
from articles import services
from articles.models import Article, Category

CONTENT_DIR = Path(__file__).resolve().parent / "seed_content"
CATEGORIES = ["Understanding PANDAS/PANS", "Treatment", "Living with PANS", "School", "Practical matters"]
# (email of the demo account made by --demo-users, fallback account used without it)
EDITOR = ("editor@example.org", "demo-editorial-team@example.invalid", "Demo editorial team", Role.EDITOR)
REVIEWER = ("reviewer@example.org", "demo-review-board@example.invalid", "Demo review board", Role.MEDICAL_REVIEWER)


def parse(path: Path) -> tuple[dict, str]:
    """TOML front matter between +++ lines, then the Markdown body."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("+++", 2)
    return tomllib.loads(front), body.strip() + "\n"


def _staff(demo_email: str, fallback_email: str, display_name: str, role: Role) -> User:
    user = User.objects.filter(email=demo_email).first() or User.objects.filter(email=fallback_email).first()
    if user is None:
        # No password: nobody can log in as it; it only signs the demo content honestly as "demo".
        user = User.objects.create_user(email=fallback_email, password=None, display_name=display_name)
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        enable_two_factor(user=user)  # staff powers need two-factor; the key is thrown away
    return user


def _reference(data: dict) -> dict:
    # TOML has no null: an empty year means unknown.
    return {**data, "year": data.get("year") or None}


def seed(*, stdout) -> None:
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": position})
    paths = sorted(CONTENT_DIR.glob("*.md"))
    existing = set(Article.objects.values_list("slug", flat=True))
    editor, reviewer = _staff(*EDITOR), _staff(*REVIEWER)
    created = 0
    for path in paths:
        front, body = parse(path)
        if front["slug"] in existing:
            continue
        with transaction.atomic():
            article = services.create_article(
                editor=editor,
                title=front["title"],
                slug=front["slug"],
                summary=front["summary"],
                body=body,
                category=Category.objects.get_or_create(
                    name=front["category"], defaults={"slug": slugify(front["category"]), "position": len(CATEGORIES)}
                )[0],
                audience=front.get("audience", Article.Audience.PARENTS),
                tags=front.get("tags", []),
                references=[_reference(ref) for ref in front.get("references", [])],
            )
            services.record_review(reviewer=reviewer, article=article, notes=front.get("reviewer_notes", ""))
            services.publish_article(editor=editor, article=article)
        created += 1
    stdout.write(f"Articles: {created} created, {len(paths) - created} already there.")
