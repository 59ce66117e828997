"""What each cached page shows, as page-cache topics (see portal/pagecache.py).

A topic names a part of the site a write can change: "thread:<pk>", "forum:<slug>", "member:<pk>",
"forums" (the forum index), "home", "search", "stories", "articles", "alerts". A page is stale when
the whole site's generation or the generation of any of its topics moves on. The topics come from
the URL name and its arguments alone, so the middleware knows them before any view runs and a hit
stays one cache round trip.

A cached view whose URL name is missing here depends on ANY_TOPIC, which every write moves on:
forgetting a page costs hits, never correctness. A page listed with no topics changes only with the
whole site (templates, the admin, a new display name).
"""

from functools import lru_cache

from django.urls import Resolver404, resolve

ANY_TOPIC = "*"

# URL name -> topics, formatted with the URL's keyword arguments.
PAGE_TOPICS: dict[str, tuple[str, ...]] = {
    "home": ("home",),
    "search": ("search",),
    "sitemap": ("forums", "articles", "alerts"),
    "about": (),
    "privacy": (),
    "help_now": (),
    "community_rules": (),
    "moderation:crisis_phrases": (),
    "community:index": ("forums",),
    "community:forum": ("forum:{slug}",),
    "community:forum_feed": ("forum:{slug}",),
    "community:thread": ("thread:{pk}",),
    "community:member": ("member:{pk}",),
    "community:stories": ("stories",),
    "community:outcomes": ("stories",),
    "articles:list": ("articles",),
    "articles:feed": ("articles",),
    "articles:detail": ("articles",),
    "articles:reviewer": ("articles",),
    "alerts:index": ("alerts",),
    "alerts:school": ("alerts",),
    "alerts:school_feed": ("alerts",),
}

# What a write to community content changes besides its thread: the lists that show threads.
THREAD_LISTS = ("forums", "home", "search", "stories")
ARTICLES = ("articles", "home", "search")


@lru_cache(maxsize=4096)
def topics_of_path(path: str) -> tuple[str, ...] | None:
    """The topics of the page at `path`, or None when no view answers it (nothing to store)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    topics = PAGE_TOPICS.get(match.view_name)
    if topics is None:
        return (ANY_TOPIC,)
    return tuple(topic.format(**match.kwargs) for topic in topics)


def thread_pages(*threads) -> tuple[str, ...]:
    """The topics a change to these threads (their titles, posts, state) makes stale."""
    return (*THREAD_LISTS, *(t for thread in threads for t in (f"thread:{thread.pk}", f"forum:{thread.forum.slug}")))


def of_thread(thread, _kwargs=None) -> tuple[str, ...]:
    """For `@changes_public_pages(pages=...)` of a service that answers the thread it changed."""
    return thread_pages(thread)


def post_pages(post, _kwargs=None) -> tuple[str, ...]:
    """A post added, edited, hidden, held, approved, restored or deleted: its thread, and its author's page."""
    return (*thread_pages(post.thread), f"member:{post.author_id}")


def of_story(story, _kwargs=None) -> tuple[str, ...]:
    return post_pages(story.post)


def of_split(new, kwargs) -> tuple[str, ...]:
    return thread_pages(kwargs["thread"], new)


def of_reaction(_, kwargs) -> tuple[str, ...]:
    """A reaction's count shows only on its post, in its thread's page."""
    return (f"thread:{kwargs['post'].thread_id}",)
