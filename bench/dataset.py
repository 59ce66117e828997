"""The benchmark's data set, built once in its own database and reused on later runs.

Each part checks what is already there and adds only what is missing, so an interrupted build
resumes and a second run costs a few count queries.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify


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
    build_community(sizes, say=say)
    build_journal(say=say)
    build_member_pages(say=say)
    # Fresh statistics and a vacuumed heap, as autovacuum would have after a real history: plans built
    # on "13 rows expected" for 37,000 found are not the plans production runs, and the bulk build's
    # UPDATEs leave two dead rows per thread and post (seq scans over the bloat, and no index-only
    # scans without the visibility map) that production's tables would not carry.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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


# Words parents use in this community, so search and rendering see realistic text.
VOCABULARY = (
    "strep ivig flare tics ocd anxiety school nurse antibiotics amoxicillin azithromycin ibuprofen steroids "
    "prednisone infusion insurance appeal denied covered neurologist immunologist pediatrician psychiatrist "
    "therapy erp sleep eating restricted rage handwriting sensory bedwetting regression recovery improvement "
    "relapse exposure classroom 504 plan accommodations teacher homework headache fever rash tonsils throat "
    "culture swab titers bloodwork plasma exchange tonsillectomy journal symptoms baseline weeks months "
    "daughter son family support hope tired scared relieved grateful"
).split()
FILLER = "the a and we our it was after then but so with for to of in on at this that is had have".split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY if rng.random() < 0.35 else FILLER) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def _markdown(rng: random.Random) -> str:
    """A post of realistic length and shape: 1 to 4 paragraphs, sometimes bold, a list or a quote."""
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        paragraphs.insert(0, "> " + _sentence(rng))
    if rng.random() < 0.15:
        paragraphs.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.3:
        paragraphs[-1] = paragraphs[-1].replace(".", " **really**.", 1)
    return "\n\n".join(paragraphs)


def build_community(sizes: Sizes, *, say) -> None:
    """Threads and posts in bulk (rendered with the real renderer), then the derived state set-wise."""
    from accounts.models import User
    from community.models import Forum, Post, Reaction, Story, Thread
    from community.services.derived import recount_forums
    from portal.markdown import render_markdown

    if Post.objects.count() >= sizes.posts:
        return
    say(f"community: {sizes.threads} threads, {sizes.posts} posts, {sizes.stories} stories (a few minutes)")
    rng = random.Random(7)
    members = list(User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True))
    forums = list(Forum.objects.exclude(slug=Forum.STORIES_SLUG))
    stories_forum = Forum.objects.get(slug=Forum.STORIES_SLUG)
    newly = Forum.objects.get(slug="newly-diagnosed")
    start = timezone.now() - timedelta(days=400)
    with transaction.atomic():
        titles = [f"{_sentence(rng)[:-1][:100]} ({n})" for n in range(sizes.threads)]
        threads = Thread.objects.bulk_create(
            Thread(
                # Half the discussions in one forum, so it has pages deep enough to measure (page 100).
                forum=stories_forum if n < sizes.stories else newly if n % 2 else forums[n % len(forums)],
                title=title,
                slug=slugify(title)[:80],  # bulk_create skips Thread.save(), which sets it
                author_id=rng.choice(members),
                last_activity_at=start,
            )
            for n, title in enumerate(titles)
        )
        # Every thread gets its opening post; the rest are spread, a few threads much longer.
        per_thread = [1] * len(threads)
        for _ in range(sizes.posts - len(threads)):
            per_thread[min(int(rng.paretovariate(1.2)) - 1, len(threads) - 1) if rng.random() < 0.3
                       else rng.randrange(len(threads))] += 1  # fmt: skip
        batch = []
        for thread, count in zip(threads, per_thread, strict=True):
            for position in range(count):
                body = _markdown(rng)
                batch.append(Post(thread=thread, author_id=rng.choice(members), body=body,
                                  body_html=render_markdown(body), is_opening=position == 0))  # fmt: skip
            if len(batch) >= 5_000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
        Story.objects.bulk_create(
            Story(
                post=Post.objects.get(thread=thread, is_opening=True),
                treatment=rng.choice(Story.Treatment.values),
                age_band=rng.choice(Story.AgeBand.values),
                regimen="2 g/kg over 2 days",
                side_effects=rng.sample(["headache", "nausea", "fever", "fatigue"], rng.randint(0, 2)) or ["none"],
                severity_before=rng.randint(6, 10),
                severity_1_month=rng.randint(3, 8),
                severity_3_months=rng.randint(1, 7),
                severity_6_months=rng.choice([None, rng.randint(0, 5)]),
                insurance=rng.choice(Story.Insurance.values),
            )
            for thread in threads[: sizes.stories]
        )
    say("community: search vectors and thread counters")
    with connection.cursor() as cursor:
        # created_at is auto_now_add, so bulk_create stamped "now": spread the threads over the year,
        # each thread's posts 7 minutes apart, and let each thread start with its first post.
        cursor.execute(
            "UPDATE community_post p SET created_at = %s + ((p.thread_id * 7919) %% 550000) * interval '1 minute'"
            " + (p.id - f.first_id) * interval '7 minutes'"
            " FROM (SELECT thread_id, min(id) AS first_id FROM community_post GROUP BY thread_id) f"
            " WHERE f.thread_id = p.thread_id",
            [start],
        )
        cursor.execute(
            "UPDATE community_thread t SET created_at = f.first_at FROM"
            " (SELECT thread_id, min(created_at) AS first_at FROM community_post GROUP BY thread_id) f"
            " WHERE f.thread_id = t.id"
        )
        cursor.execute(
            "UPDATE community_post p SET search_vector = "
            "CASE WHEN p.is_opening THEN setweight(to_tsvector('english', t.title), 'A') ELSE ''::tsvector END"
            " || setweight(to_tsvector('english', p.body), 'B') FROM community_thread t WHERE t.id = p.thread_id"
        )
        cursor.execute(
            "UPDATE community_thread t SET reply_count = s.replies, last_post_id = s.last_id, "
            "last_activity_at = s.last_at FROM ("
            "  SELECT thread_id, count(*) - 1 AS replies, max(created_at) AS last_at,"
            "         (array_agg(id ORDER BY created_at DESC, id DESC))[1] AS last_id"
            "  FROM community_post WHERE visibility = 'visible' GROUP BY thread_id) s WHERE s.thread_id = t.id"
        )
    # The threads were written in bulk, past the services that keep each forum's count of public threads.
    recount_forums()
    # Reactions on the thread the logged-in bench page reads.
    thread = busiest_thread()
    Reaction.objects.bulk_create(
        [Reaction(post=post, user_id=member, kind=kind)
         for post in thread.posts.all()[:20] for member in members[:8]
         for kind in Reaction.Kind.values],
        ignore_conflicts=True,
    )  # fmt: skip
    counts = {"helpful": "helpful_count", "thinking": "thinking_count"}
    for kind, column in counts.items():
        for post in thread.posts.all()[:20]:
            Post.objects.filter(pk=post.pk).update(**{column: post.reactions.filter(kind=kind).count()})


def busiest_thread():
    """A discussion thread with at least 20 posts: the thread pages the bench reads."""
    from community.models import Forum, Thread

    return Thread.objects.exclude(forum__slug=Forum.STORIES_SLUG).filter(reply_count__gte=19).order_by("pk").first()


JOURNAL_CHECK_INS, JOURNAL_EVENTS = 1_100, 300


def bench_member():
    """The member whose session the bench's member pages use (bench/__main__.py: member_cookie)."""
    from accounts.models import User

    return User.objects.filter(email__endswith="@bench.invalid").order_by("pk").first()


def build_journal(*, say) -> None:
    """Three years of daily check-ins and 300 events for one child of the bench member (issue 16)."""
    from journal.models import Caregiver, CheckIn, Child, Event

    member = bench_member()
    if Caregiver.objects.filter(user=member).exists():
        return
    say(f"journal: a child with {JOURNAL_CHECK_INS} check-ins and {JOURNAL_EVENTS} events")
    rng = random.Random(16)
    today = timezone.localdate()
    with transaction.atomic():
        child = Child.objects.create(label="Bench child", onset_date=today - timedelta(days=JOURNAL_CHECK_INS))
        Caregiver.objects.create(child=child, user=member, role=Caregiver.Role.OWNER)
        groups = ["ocd", "food", "anxiety", "mood", "irritability", "regression", "school", "overall"]
        CheckIn.objects.bulk_create(
            CheckIn(
                child=child,
                date=today - timedelta(days=day),
                ratings={group: rng.randint(0, 10) for group in groups},
                note=_sentence(rng) if day % 7 == 0 else "",
            )
            for day in range(JOURNAL_CHECK_INS)
        )
        Event.objects.bulk_create(
            Event(
                child=child,
                category=("infection", "treatment", "exposure", "appointment")[n % 4],
                date=today - timedelta(days=n * 3 + 1),
                end_date=today - timedelta(days=n * 3 - 6) if n % 4 == 1 else None,
                details={"kind": "strep_throat" if n % 4 == 0 else "antibiotic", "status": "confirmed"},
            )
            for n in range(JOURNAL_EVENTS)
        )


def journal_timeline_path() -> str:
    from journal.models import Caregiver

    child_id = Caregiver.objects.filter(user=bench_member()).values_list("child_id", flat=True).first()
    return f"/journal/children/{child_id}/timeline/?period=all"


QUEUE_HELD, QUEUE_FLAGGED = 450, 50  # the moderator queue holds 500 items (issue 18)
BENCH_MODERATOR = "moderator@bench-staff.invalid"
BENCH_NOTIFICATIONS = 40


def bench_moderator():
    """The moderator whose session the bench's moderator queue uses (role and two-factor)."""
    from accounts.models import User

    return User.objects.get(email=BENCH_MODERATOR)


def build_member_pages(*, say) -> None:
    """What members' other pages read (issue 18): the bench member's notifications, and a moderator
    queue of 500 items — held replies and flagged ones, each with its audit entry — for a moderator."""
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import create_member, enable_two_factor
    from community.models import MemberSettings, Notification, Post
    from moderation.audit import record_action
    from moderation.models import Flag, ModerationAction

    if User.objects.filter(email=BENCH_MODERATOR).exists():
        return
    say(f"member pages: {BENCH_NOTIFICATIONS} notifications, a queue of {QUEUE_HELD + QUEUE_FLAGGED} items")
    rng = random.Random(18)
    member = bench_member()
    members = list(User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True))
    with transaction.atomic():
        moderator = create_member(email=BENCH_MODERATOR, display_name="Bench moderator",
                                  password=BENCH_PASSWORD, roles=(Role.MODERATOR,))  # fmt: skip
        enable_two_factor(user=moderator)
        # Replies only (an opening post held would take its thread out of the lists), away from the
        # thread the thread pages read.
        replies = Post.objects.filter(is_opening=False, visibility=Post.Visibility.VISIBLE).exclude(
            thread=busiest_thread()
        )
        reply_ids = list(replies.order_by("id").values_list("pk", flat=True)[: QUEUE_HELD + QUEUE_FLAGGED + 100])
        held, flagged = reply_ids[:QUEUE_HELD], reply_ids[QUEUE_HELD : QUEUE_HELD + QUEUE_FLAGGED]
        Post.objects.filter(pk__in=held).update(
            visibility=Post.Visibility.HELD, was_withheld=True, hidden_reason="A new member's first posts wait."
        )
        for post in Post.objects.filter(pk__in=held).select_related("author"):
            record_action(actor=None, action=ModerationAction.Action.POST_HOLD, target=post, member=post.author)
        Flag.objects.bulk_create(
            Flag(post_id=post_id, flagger_id=flagger, reason=rng.choice(Flag.Reason.values), note="Please look")
            for post_id in flagged
            for flagger in rng.sample(members, 2)
        )
        shown = list(Post.objects.filter(thread=busiest_thread()).values_list("pk", flat=True)[:BENCH_NOTIFICATIONS])
        Notification.objects.bulk_create(Notification(recipient=member, post_id=post_id) for post_id in shown)
        MemberSettings.objects.update_or_create(user=member, defaults={"unread_count": len(shown)})
