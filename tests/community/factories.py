"""Community test data, made through the services so derived state (counters, follows) is real."""

from community import services
from community.models import Forum, Story
from tests.factories import UserFactory


def forum(slug: str = "newly-diagnosed", **fields) -> Forum:
    """A forum (the seeded ones come back after transactional tests flush them)."""
    defaults = {"name": slug.replace("-", " ").capitalize(), "members_only": slug == "parent-wellbeing", **fields}
    return Forum.objects.get_or_create(slug=slug, defaults=defaults)[0]


def thread(*, author=None, forum_slug: str = "newly-diagnosed", title: str = "Where do we start?", body: str = "Hello"):
    return services.create_thread(author=author or UserFactory(), forum=forum(forum_slug), title=title, body=body)


def replies(thread, count: int, *, author=None):
    author = author or UserFactory()
    return [services.reply(author=author, thread=thread, body=f"Reply number {n}") for n in range(count)]


def story(*, author=None, treatment=Story.Treatment.IVIG, before=8, m1=6, m3=None, m6=None, **fields) -> Story:
    forum(Forum.STORIES_SLUG)
    figures = {
        "age_band": Story.AgeBand.FROM_5,
        "regimen": "2 g/kg over 2 days",
        "side_effects": [Story.SideEffect.HEADACHE],
        "insurance": Story.Insurance.COVERED,
        **fields,
    }
    return services.create_story(
        author=author or UserFactory(),
        title=f"Our {treatment} story",
        narrative=fields.pop("narrative", "It was a long road."),
        treatment=treatment,
        severity_before=before,
        severity_1_month=m1,
        severity_3_months=m3,
        severity_6_months=m6,
        **{k: v for k, v in figures.items() if k != "narrative"},
    )
