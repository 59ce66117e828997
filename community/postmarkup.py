"""A thread page's posts as HTML: what every reader sees alike comes from the cache, the reader's own
bits are filled in live.

A visible post's header, story summary and words look the same to everyone who may see its thread,
so `templates/community/_post.html` is rendered once per version of the post and kept in the cache
under a key made of everything it shows: the post's id, visibility and edit time, a digest of its
words, its author's name and moderator badge, its story's figures, the language and the template's
own source. An edit, a new display name, an erasure or a new template makes a new key, so nothing
ever needs deleting (old keys expire). A page fetches its posts' markup in one round trip
(`get_many`) and renders only what is missing.

Only visible posts are stored. Held, hidden and deleted posts show different things to their author,
the moderators and everyone else, so they are rendered for each reader and never kept. Which posts a
reader may see is decided before (community.access.thread_posts, community.access.mark_posts); this
module only draws what it is given.

The reader's own bits — how long ago the post was edited, the story author's "add your figures"
link, the reaction form (pressed or not, with the page's one CSRF token) and the post's actions
(quote, flag, edit, delete) — go into slots the template leaves. A slot is marked with NUL
characters, which PostgreSQL text can never hold, so no post, name or title can forge one. The bits
are built with string formatting rather than a template: an include per post cost more than the rest
of the page (issue 18). What goes into them is numbers, addresses built from numbers, fixed words,
the CSRF token (letters and digits) and the escaped "edited … ago", so nothing a member typed.
"""

import hashlib
from functools import cache

from django.core.cache import cache as default_cache
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from community.models import Post
from portal.templatetags.portal_tags import ago

POST_TEMPLATE = "community/_post.html"
# Every template whose source shapes a cached post: a change to one makes new keys.
SHAPING_TEMPLATES = (POST_TEMPLATE, "community/_story_summary.html")
KEY_PREFIX = "community:post-html:"
TIMEOUT = 6 * 60 * 60
SLOTS = ("edited_ago", "story_link", "reactions", "actions")
MARKERS = {name: mark_safe(f"\x00{name}\x00") for name in SLOTS}  # noqa: S308 — constants

REACTION_FORM = (
    '<div class="reactions" role="group" aria-label="Reactions">'
    '<form method="post" action="{}" class="reaction-form">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<button type="submit" name="kind" value="helpful" class="reaction secondary" aria-pressed="{}"'
    ' data-testid="helpful-{}">Helpful <span class="reaction-count">{}</span></button> '
    '<button type="submit" name="kind" value="thinking" class="reaction secondary" aria-pressed="{}"'
    ' data-testid="thinking-{}">Thinking of you <span class="reaction-count">{}</span></button>'
    "</form></div>"
)
REACTION_COUNTS = (
    '<div class="reactions" role="group" aria-label="Reactions">'
    '<span class="meta">Helpful: {} · Thinking of you: {}</span></div>'
)
QUOTE_LINK = '<li><a href="{}?quote={}">Quote</a></li>'
FLAG_LINK = '<li><a href="{}">Flag<span class="visually-hidden"> this post for the moderators</span></a></li>'
EDIT_LINK = '<li><a href="{}">Edit</a></li>'
DELETE_LINK = '<li><a href="{}">Delete</a></li>'
STORY_LINK = ' <a href="{}">{}</a>'


@cache
def _template():
    return get_template(POST_TEMPLATE).template


@cache
def _templates_digest() -> str:
    sources = "\x00".join(get_template(name).template.source for name in SHAPING_TEMPLATES)
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


def shared_key(post: Post, language: str) -> str:
    """The cache key of a visible post's shared markup: it changes whenever anything the markup shows does."""
    story = getattr(post, "story", None) if post.is_opening else None
    story_figures = (
        (story.pk, story.treatment, story.age_band, story.regimen, story.side_effects, story.severity_before,
         story.severity_1_month, story.severity_3_months, story.severity_6_months, story.insurance)
        if story else None
    )  # fmt: skip
    shown = (
        post.pk, post.visibility, post.edited_at, post.created_at, post.author_id, post.author.display_name,
        post.author_is_moderator, story_figures, language, _templates_digest(),
    )  # fmt: skip
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16)
    digest.update(post.body_html.encode())
    return KEY_PREFIX + digest.hexdigest()


def draw(request, posts: list[Post], *, quote_url: str | None) -> None:
    """Set `post.markup` on each of `posts` (read `for_thread_page().with_reactions_of(reader)` and
    marked by access.mark_posts): shared markup from the cache, the reader's own bits filled in.
    `quote_url` is the reply form's address when the reader may reply here, else None."""
    language = get_language() or ""
    shared_posts = [post for post in posts if post.visibility == Post.Visibility.VISIBLE]
    keys = {post.pk: shared_key(post, language) for post in shared_posts}
    stored = default_cache.get_many(list(keys.values())) if keys else {}
    missing = {}
    context = Context({"slots": MARKERS}, autoescape=True)
    for post in posts:
        key = keys.get(post.pk)
        markup = stored.get(key) if key else None
        if markup is None:
            with context.push(post=post):
                markup = _template().render(context)
            if key:
                missing[key] = markup
        post.markup = _fill(markup, post, request=request, quote_url=quote_url)
    if missing:
        default_cache.set_many(missing, timeout=TIMEOUT)


def _fill(markup: str, post: Post, *, request, quote_url: str | None) -> SafeString:
    """The shared markup with this reader's bits in its slots."""
    user = request.user
    own = user.is_authenticated and post.author_id == user.pk
    filled = markup
    if post.edited_at:
        filled = filled.replace(MARKERS["edited_ago"], escape(ago(post.edited_at)))
    if post.is_opening and getattr(post, "story", None) is not None:
        filled = filled.replace(MARKERS["story_link"], _story_link(post.story) if own else "")
    filled = filled.replace(MARKERS["reactions"], _reactions(post, request))
    return mark_safe(filled.replace(MARKERS["actions"], _actions(post, quote_url)))  # noqa: S308 — built above


def _reactions(post: Post, request) -> str:
    if not post.may_react:
        return REACTION_COUNTS.format(post.helpful_count, post.thinking_count)
    pressed = ("true" if post.my_helpful else "false", "true" if post.my_thinking else "false")
    return REACTION_FORM.format(
        post.react_url, page_csrf_token(request),
        pressed[0], post.pk, post.helpful_count, pressed[1], post.pk, post.thinking_count,
    )  # fmt: skip


def page_csrf_token(request) -> str:
    """One CSRF token for every form of the page: `get_token` masks the secret anew on each call.
    Only for members (a visitor's page must set no cookie: it is cached)."""
    if not hasattr(request, "_page_csrf_token"):
        request._page_csrf_token = get_token(request)
    return request._page_csrf_token


def _actions(post: Post, quote_url: str | None) -> str:
    links = []
    if post.may_react and quote_url:
        links.append(QUOTE_LINK.format(quote_url, post.pk))
    if post.may_flag:
        links.append(FLAG_LINK.format(post.flag_url))
    if post.may_edit:
        links.append(EDIT_LINK.format(post.edit_url))
    if post.may_delete:
        links.append(DELETE_LINK.format(post.delete_url))
    return f'<ul class="post-actions">{"".join(links)}</ul>' if links else ""


def _story_link(story) -> str:
    complete = None not in (story.severity_1_month, story.severity_3_months, story.severity_6_months)
    wording = "Correct your figures" if complete else "Add your later figures"
    return STORY_LINK.format(reverse("community:update_story", args=[story.pk]), wording)
