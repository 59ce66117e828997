"""Writing posts: a reply, an edit, a deletion, and what every new or edited post sets off (held for a
moderator when the rules say so, the followers told, words of crisis flagged)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import access, permissions
from community.access import is_moderator
from community.models import Follow, Forum, Post, PostRevision, Thread
from community.permissions import NotAllowed, require_can_post
from community.services.derived import index_for_search, refresh_thread
from community.services.notifications import notify_followers
from community.services.visibility import hold_post, set_visibility
from moderation import policy

# The audit-log call sits below community in the layering (moderation.audit); moderation.services re-exports it.
from moderation.audit import record_action
from moderation.models import Flag, ModerationAction
from portal import limits, pagetopics
from portal.markdown import render_markdown
from portal.pagecache import changes_public_pages

Action = ModerationAction.Action


class ThreadClosed(NotAllowed):
    """A reply to a locked or deleted thread."""


def require_readable(user, forum: Forum) -> None:
    if not forum.readable_by(user):
        raise NotAllowed("This forum is for members only.")


def require_open(thread: Thread) -> None:
    if thread.is_deleted:
        raise ThreadClosed("This thread was deleted, so it takes no more replies. Your text is kept below.")
    if thread.is_locked:
        raise ThreadClosed("This thread is locked, so it takes no more replies. Your text is kept below.")


def add_post(*, author: User, thread: Thread, body: str, is_opening: bool = False) -> Post:
    """A post in `thread` (its opening post, or a reply), visible or held; the author follows the thread."""
    # An opening post is checked with its thread's title: a watched word in a title holds it too.
    held_because = permissions.hold_reason(author, f"{thread.title}\n{body}" if is_opening else body)
    post = Post.objects.create(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        is_opening=is_opening,
        visibility=Post.Visibility.HELD if held_because else Post.Visibility.VISIBLE,
        hidden_reason=held_because,
        was_withheld=bool(held_because),
    )
    index_for_search(post)
    Follow.objects.get_or_create(thread=thread, user=author)
    refresh_thread(thread)
    if post.is_visible:
        notify_followers(post)
    else:
        tell_author_it_waits(post)
    note_crisis_words(post, f"{thread.title}\n{body}" if is_opening else body)
    return post


def note_crisis_words(post: Post, text: str) -> None:
    """Words of crisis put the post at the top of the moderators' queue, marked crisis, and email
    them (once per post while the flag is open). `post.in_crisis` tells the page to show help now."""
    words = policy.crisis_phrases_in(text)
    post.in_crisis = bool(words)
    if not words or Flag.objects.open().filter(post=post, flagger=None, reason=Flag.Reason.CRISIS).exists():
        return
    flag = Flag.objects.create(post=post, flagger=None, reason=Flag.Reason.CRISIS, note=", ".join(words)[:500])
    # Like members' crisis flags: the moderators are emailed at most once an hour per writer; the
    # rest wait at the top of the queue.
    if limits.allowed("crisis_email", f"writer-{post.author_id}"):
        policy.tell_moderators_about_crisis(flag_id=flag.pk)


def tell_author_it_waits(post: Post) -> None:
    policy.tell_author_about_post(post)


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def reply(*, author: User, thread: Thread, body: str) -> Post:
    """A reply; the author follows the thread and its other followers are notified."""
    require_can_post(author)
    thread = Thread.objects.select_for_update().select_related("forum").get(pk=thread.pk)
    require_readable(author, thread.forum)
    require_open(thread)
    if not access.can_see_thread(author, thread):
        raise NotAllowed("This thread is not open to replies.")
    permissions.check_pace(author, "post")
    return add_post(author=author, thread=thread, body=body)


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str) -> Post:
    """Change a post's text, keeping the old text as a revision and marking the post edited.

    An edit to a post a moderator once checked, or one that adds a watched word, waits for a
    moderator again, like a new post."""
    if post.visibility == Post.Visibility.DELETED:
        raise NotAllowed("This post was deleted and can no longer be edited.")
    if not access.can_edit(editor, post):
        raise NotAllowed("You can only edit your own posts.")
    if not is_moderator(editor):
        require_open(post.thread)
        permissions.check_pace(editor, "edit")
    PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html, editor=editor)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    index_for_search(post)
    if editor.pk != post.author_id:
        record_action(actor=editor, action=Action.POST_EDIT, target=post, member=post.author)
    held_because = permissions.edit_hold_reason(editor, post, body)
    if held_because and post.is_visible:
        hold_post(moderator=None, post=post, reason=held_because)
        tell_author_it_waits(post)
    note_crisis_words(post, body)
    return post


@changes_public_pages(pages=pagetopics.post_pages)
@transaction.atomic
def delete_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Delete a post, leaving a tombstone so the thread still reads. Authors delete their own, even
    while suspended; moderators any (recorded in the audit log)."""
    if post.visibility == Post.Visibility.DELETED:
        return post
    if not access.can_delete(actor, post):
        raise NotAllowed("You can only delete your own posts.")
    set_visibility(post, Post.Visibility.DELETED, reason)
    if actor.pk != post.author_id:
        record_action(actor=actor, action=Action.POST_DELETE, target=post, member=post.author, reason=reason)
    return post
