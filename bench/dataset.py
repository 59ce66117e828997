"""The benchmark's data set, built once in its own database and reused on later runs.

Each part checks what is already there and adds only what is missing, so an interrupted build
resumes and a second run costs a few count queries.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password


@dataclass(frozen=True)
class Sizes:
    articles: int
    forums: int
    threads: int
    posts: int
    members: int
    stories: int
    schools: int
    subscribers: int


FULL = Sizes(articles=40, forums=7, threads=5_000, posts=100_000, members=2_000, stories=500, schools=200,
             subscribers=10_000)  # fmt: skip
QUICK = Sizes(articles=20, forums=7, threads=500, posts=10_000, members=300, stories=60, schools=20,
              subscribers=1_000)  # fmt: skip

BENCH_PASSWORD = "bench member passphrase"  # noqa: S105 — bench-only accounts in a bench-only database


def build(sizes: Sizes, *, say) -> None:
    build_members(sizes, say=say)
    build_articles(sizes, say=say)


def build_members(sizes: Sizes, *, say) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import User

    have = User.objects.filter(email__endswith="@bench.invalid").count()
    if have >= sizes.members:
        return
    say(f"members: adding {sizes.members - have}")
    password = make_password(BENCH_PASSWORD)  # hashed once: hashing per member would take minutes
    users = User.objects.bulk_create(
        User(email=f"member{n}@bench.invalid", display_name=f"Bench member {n}", password=password)
        for n in range(have, sizes.members)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )


def build_articles(sizes: Sizes, *, say) -> None:
    """The eight real articles, then variants of them (with their references) up to the size."""
    import io

    from articles import seed, services
    from articles.models import Article

    seed.seed(stdout=io.StringIO())
    have = Article.objects.count()
    if have >= sizes.articles:
        return
    say(f"articles: adding {sizes.articles - have}")
    originals = list(Article.objects.filter(slug__in=[p.stem for p in seed.CONTENT_DIR.glob("*.md")]))
    editor, reviewer = seed._staff(*seed.EDITOR), seed._staff(*seed.REVIEWER)
    for n in range(have, sizes.articles):
        original = originals[n % len(originals)]
        front, body = seed.parse(seed.CONTENT_DIR / f"{original.slug}.md")
        article = services.create_article(
            editor=editor,
            title=f"{original.title} ({n})",
            slug=f"{original.slug}-{n}",
            summary=original.summary,
            body=body,
            category=original.category,
            audience=original.audience,
            tags=front.get("tags", []),
            references=[seed._reference(ref) for ref in front.get("references", [])],
        )
        services.record_review(reviewer=reviewer, article=article)
        services.publish_article(editor=editor, article=article)
