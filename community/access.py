"""Who may see and do what in the community: the one place that decides it.

List filters take a user (and optionally a queryset to narrow) and return what that user may see;
object checks answer one question about one object. Views, feeds, the sitemap, search, the home
section, notification emails and templates (through flags set by `mark_posts`) ask here; none
restates a rule.

The rules:
- A forum is readable by everyone, or by signed-in members only (`Forum.members_only`).
- A thread is public while it is not deleted and its opening post is visible
  (`Thread.opening_visible`). While the opening post is held, hidden or deleted, only its author
  and the moderators see the thread — title included. Deleted threads: moderators only.
- A post's words: visible posts for whoever sees the thread; held and hidden ones for their author
  and the moderators only; deleted ones for no one (a tombstone stands in).
- A moderator is someone with moderator authority (`User.is_moderator`: the role and two-factor
  authentication, decided in accounts).
"""

from django.db.models import Q, QuerySet

# Moderator authority is decided in accounts, for every app; re-exported for community's callers.
from accounts.authority import is_moderator
from accounts.authority import require_moderator as require_moderator
from community.models import Forum, Post, Story, Thread
from community.permissions import can_post

Visibility = Post.Visibility


# --- List filters -----------------------------------------------------------------------------


def forums(user, found: QuerySet | None = None) -> QuerySet:
    found = Forum.objects.all() if found is None else found
    return found if user.is_authenticated else found.filter(members_only=False)


def public_threads(found: QuerySet | None = None) -> QuerySet:
    """Threads anyone may find: what the sitemap, feeds and public counts list."""
    found = Thread.objects.all() if found is None else found
    return found.filter(is_deleted=False, opening_visible=True, forum__members_only=False)


def threads(user, found: QuerySet | None = None) -> QuerySet:
    """Threads `user` sees in lists: public ones in forums they may read, their own while the opening
    post waits, and every live thread for moderators."""
    found = (Thread.objects.all() if found is None else found).filter(is_deleted=False)
    if not user.is_authenticated:
        return found.filter(opening_visible=True, forum__members_only=False)
    if is_moderator(user):
        return found
    return found.filter(Q(opening_visible=True) | Q(author=user))


def listed_thread_count(user, forum: Forum) -> int:
    """How many threads `threads(user)` lists in `forum` (which `user` may read), without counting the
    forum's public ones: their count is kept on the forum row. Only the live threads that are not public
    and that `user` also sees (their own held ones; all of them for moderators) are counted."""
    if not user.is_authenticated:
        return forum.public_thread_count
    not_public = threads(user, Thread.objects.filter(forum=forum, opening_visible=False))
    return forum.public_thread_count + not_public.count()


def readable_posts(user, found: QuerySet | None = None) -> QuerySet:
    """Posts whose words `user` may read, wherever they are shown outside the thread page (quotes,
    search, profiles): visible posts in threads the user sees in lists."""
    found = Post.objects.all() if found is None else found
    return found.filter(visibility=Visibility.VISIBLE, thread__in=threads(user))


def searchable_posts(user) -> QuerySet:
    """What search may show: visible posts in public threads of forums `user` may read. Nobody's
    held thread turns up in a search, not even for its author."""
    found = Post.objects.filter(visibility=Visibility.VISIBLE, thread__is_deleted=False, thread__opening_visible=True)
    return found if user.is_authenticated else found.filter(thread__forum__members_only=False)


def thread_posts(user, thread: Thread) -> QuerySet:
    """A thread page's posts: hidden and deleted ones stay as placeholders so the thread reads on;
    held ones appear only for their author and moderators."""
    found = Post.objects.filter(thread=thread)
    if is_moderator(user):
        return found
    if not user.is_authenticated:
        return found.exclude(visibility=Visibility.HELD)
    return found.exclude(Q(visibility=Visibility.HELD) & ~Q(author=user))


def stories(user) -> QuerySet:
    """Stories on the stories list: a visible story in a live thread of a forum `user` may read."""
    found = Story.objects.live()
    return found if user.is_authenticated else found.filter(post__thread__forum__members_only=False)


def outcome_stories() -> QuerySet:
    """The stories that feed the public outcomes page: public ones only."""
    return Story.objects.live().filter(post__thread__in=public_threads())


def notifications(user) -> QuerySet:
    """A member's notifications about posts they may still read."""
    return user.community_notifications.filter(post__in=readable_posts(user))


def emailable(found: QuerySet) -> QuerySet:
    """Of pending notifications, those still worth an email: the reply is visible and its thread is
    live and public within its forum (a held or hidden thread's title goes to no one else)."""
    return found.filter(
        post__visibility=Visibility.VISIBLE, post__thread__is_deleted=False, post__thread__opening_visible=True
    )


# --- Object checks ----------------------------------------------------------------------------


def can_see_thread(user, thread: Thread) -> bool:
    """May `user` open this thread's page (forum membership aside: see `needs_login`)?"""
    if is_moderator(user):
        return True
    if thread.is_deleted:
        return False
    return thread.opening_visible or (user.is_authenticated and thread.author_id == user.pk)


def needs_login(user, thread: Thread) -> bool:
    """A thread in a members-only forum, asked for by someone not signed in: they should log in."""
    return not thread.forum.readable_by(user)


def can_see_post(user, post: Post) -> bool:
    """May `user` see this post at all (as words or as a placeholder)?"""
    if not (can_see_thread(user, post.thread) and post.thread.forum.readable_by(user)):
        return False
    if post.visibility == Visibility.HELD:
        return is_moderator(user) or (user.is_authenticated and post.author_id == user.pk)
    return True


def can_read_words(user, post: Post) -> bool:
    """May `user` read this post's text (not just its placeholder)?"""
    if post.visibility == Visibility.DELETED or not can_see_post(user, post):
        return False
    if post.visibility == Visibility.VISIBLE:
        return True
    return is_moderator(user) or (user.is_authenticated and post.author_id == user.pk)


def can_see_history(user, post: Post) -> bool:
    """Earlier versions often held what an edit removed (a child's name): author and moderators only."""
    return can_read_words(user, post) and (is_moderator(user) or post.author_id == user.pk)


def can_edit(user, post: Post) -> bool:
    if post.visibility == Visibility.DELETED or not can_post(user):
        return False
    return post.author_id == user.pk or is_moderator(user)


def can_delete(user, post: Post) -> bool:
    """Authors may delete their own posts even while suspended (a post may name their child);
    moderators any."""
    if post.visibility == Visibility.DELETED or not (user.is_authenticated and user.is_active):
        return False
    return post.author_id == user.pk or is_moderator(user)


def can_react(user, post: Post) -> bool:
    """Reactions (and flags) go to posts the member can read; any other answers like a missing post."""
    return post.visibility == Visibility.VISIBLE and can_see_post(user, post)


def can_flag(user, post: Post) -> bool:
    return can_react(user, post) and post.author_id != user.pk


def mark_posts(user, posts: list[Post], *, may_write: bool) -> list[Post]:
    """Set what a post's template may show and offer, so templates never restate a rule:
    `show_words`, `show_reason` (a hidden post's reason: author and moderators), `may_edit`,
    `may_delete`, `may_flag`, `may_react`."""
    moderator = is_moderator(user)
    for post in posts:
        own = user.is_authenticated and post.author_id == user.pk
        live = post.visibility != Visibility.DELETED
        post.show_words = post.visibility == Visibility.VISIBLE or (live and (own or moderator))
        post.show_reason = live and (own or moderator)
        post.may_edit = may_write and live and (own or moderator)
        post.may_delete = user.is_authenticated and live and (own or moderator)
        post.may_react = may_write and post.visibility == Visibility.VISIBLE
        post.may_flag = post.may_react and not own
    return posts
