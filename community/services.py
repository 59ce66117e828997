"""Every write in the community: one function per action, permission checked inside, side effects
(emails, the audit log) in the same transaction or on commit."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import User
from community import access, emails, permissions
from community.access import is_moderator, require_moderator
from community.models import Follow, Forum, MemberSettings, Notification, Post, PostRevision, Reaction, Story, Thread
from community.permissions import NotAllowed, require_can_post
from moderation import policy

# The audit-log call sits below community in the layering (moderation.audit); moderation.services re-exports it.
from moderation.audit import record_action
from moderation.models import Flag, ModerationAction
from portal import limits, outbox
from portal.markdown import render_markdown
from portal.pagecache import changes_public_pages

logger = logging.getLogger(__name__)

Action = ModerationAction.Action
UNFOLLOW_SALT = "community.unfollow"


def email_delay_seconds() -> int:
    """A burst of replies within this many seconds makes one email (a short debounce, not a long ETA)."""
    return settings.COMMUNITY_EMAIL_DELAY_SECONDS


class ThreadClosed(NotAllowed):
    """A reply to a locked or deleted thread."""


# --- Threads and posts ------------------------------------------------------------------------


def _require_readable(user, forum: Forum) -> None:
    if not forum.readable_by(user):
        raise NotAllowed("This forum is for members only.")


def _require_open(thread: Thread) -> None:
    if thread.is_deleted:
        raise ThreadClosed("This thread was deleted, so it takes no more replies. Your text is kept below.")
    if thread.is_locked:
        raise ThreadClosed("This thread is locked, so it takes no more replies. Your text is kept below.")


def _index_for_search(post: Post) -> None:
    """Store the post's tsvector (title counts more than body). SQLite, the first-look database, has none."""
    if connection.vendor != "postgresql":
        return
    vector = SearchVector("body", weight="B", config="english")
    if post.is_opening:
        vector = SearchVector(Value(post.thread.title), weight="A", config="english") + vector
        story = Story.objects.filter(post=post).first()
        if story:
            words = f"{story.get_treatment_display()} {story.regimen}"
            vector = vector + SearchVector(Value(words), weight="B", config="english")
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


def refresh_thread(thread: Thread) -> None:
    """Recount a thread's visible replies, find its last visible post and whether its opening post is
    visible (which makes the thread public): the one way they change."""
    visible = Post.objects.filter(thread=thread, visibility=Post.Visibility.VISIBLE)
    last = visible.order_by("-created_at", "-id").first()
    thread.reply_count = visible.filter(is_opening=False).count()
    thread.last_post = last
    thread.last_activity_at = last.created_at if last else thread.created_at
    thread.opening_visible = visible.filter(is_opening=True).exists()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=thread.reply_count,
        last_post=thread.last_post,
        last_activity_at=thread.last_activity_at,
        opening_visible=thread.opening_visible,
    )


def _add_post(*, author: User, thread: Thread, body: str, is_opening: bool = False) -> Post:
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
    _index_for_search(post)
    Follow.objects.get_or_create(thread=thread, user=author)
    refresh_thread(thread)
    if post.is_visible:
        _notify_followers(post)
    else:
        _tell_author_it_waits(post)
    _note_crisis_words(post, f"{thread.title}\n{body}" if is_opening else body)
    return post


def _note_crisis_words(post: Post, text: str) -> None:
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
        outbox.on_commit("moderation.tasks.tell_moderators_about_crisis", flag.pk)


def _tell_author_it_waits(post: Post) -> None:
    outbox.on_commit("moderation.tasks.tell_author_about_post", post.pk)


@changes_public_pages
@transaction.atomic
def create_thread(*, author: User, forum: Forum, title: str, body: str) -> Thread:
    """A new thread with its opening post (`thread.opening`); the author follows it."""
    require_can_post(author)
    _require_readable(author, forum)
    permissions.check_pace(author, "thread")
    now = timezone.now()
    thread = Thread.objects.create(forum=forum, title=title.strip(), author=author, last_activity_at=now)
    thread.opening = _add_post(author=author, thread=thread, body=body, is_opening=True)
    return thread


@changes_public_pages
@transaction.atomic
def reply(*, author: User, thread: Thread, body: str) -> Post:
    """A reply; the author follows the thread and its other followers are notified."""
    require_can_post(author)
    thread = Thread.objects.select_for_update().select_related("forum").get(pk=thread.pk)
    _require_readable(author, thread.forum)
    _require_open(thread)
    if not access.can_see_thread(author, thread):
        raise NotAllowed("This thread is not open to replies.")
    permissions.check_pace(author, "post")
    return _add_post(author=author, thread=thread, body=body)


@changes_public_pages
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
        _require_open(post.thread)
        permissions.check_pace(editor, "edit")
    PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html, editor=editor)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _index_for_search(post)
    if editor.pk != post.author_id:
        record_action(actor=editor, action=Action.POST_EDIT, target=post, member=post.author)
    held_because = permissions.edit_hold_reason(editor, post, body)
    if held_because and post.is_visible:
        hold_post(moderator=None, post=post, reason=held_because)
        _tell_author_it_waits(post)
    _note_crisis_words(post, body)
    return post


def _set_visibility(post: Post, visibility: str, reason: str = "") -> None:
    # Lock the thread as a reply does, so concurrent changes recount one after the other.
    Thread.objects.select_for_update().filter(pk=post.thread_id).values_list("pk").first()
    was_visible = post.is_visible
    post.visibility, post.hidden_reason = visibility, reason
    post.was_withheld = post.was_withheld or visibility in (Post.Visibility.HELD, Post.Visibility.HIDDEN)
    post.save(update_fields=["visibility", "hidden_reason", "was_withheld"])
    refresh_thread(post.thread)
    if post.is_visible and not was_visible:
        _notify_followers(post)


@changes_public_pages
@transaction.atomic
def delete_post(*, actor: User, post: Post, reason: str = "") -> Post:
    """Delete a post, leaving a tombstone so the thread still reads. Authors delete their own, even
    while suspended; moderators any (recorded in the audit log)."""
    if post.visibility == Post.Visibility.DELETED:
        return post
    if not access.can_delete(actor, post):
        raise NotAllowed("You can only delete your own posts.")
    _set_visibility(post, Post.Visibility.DELETED, reason)
    if actor.pk != post.author_id:
        record_action(actor=actor, action=Action.POST_DELETE, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages
@transaction.atomic
def delete_all_posts(*, moderator: User, member: User, reason: str) -> int:
    """Every post of `member` becomes a tombstone at once (a ban for spam); their threads are
    recounted, so a thread whose opening post goes stops being public. Returns how many went."""
    require_moderator(moderator)
    posts = Post.objects.filter(author=member).exclude(visibility=Post.Visibility.DELETED)
    thread_ids = set(posts.values_list("thread_id", flat=True))
    deleted = posts.update(visibility=Post.Visibility.DELETED, hidden_reason=reason)
    for thread in Thread.objects.filter(pk__in=thread_ids):
        refresh_thread(thread)
    return deleted


@changes_public_pages
@transaction.atomic
def hide_post(*, moderator: User | None, post: Post, reason: str) -> Post:
    """Hide a post with a reason. `moderator` None means the system did it (e.g. flags)."""
    if moderator is not None:
        require_moderator(moderator)
    _set_visibility(post, Post.Visibility.HIDDEN, reason)
    record_action(actor=moderator, action=Action.POST_HIDE, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages
@transaction.atomic
def hold_post(*, moderator: User | None, post: Post, reason: str = "") -> Post:
    """Hold a post for review: only its author and moderators see it until approved."""
    if moderator is not None:
        require_moderator(moderator)
    _set_visibility(post, Post.Visibility.HELD, reason)
    record_action(actor=moderator, action=Action.POST_HOLD, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages
@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """A held post goes live; its thread's followers are notified now."""
    require_moderator(moderator)
    _set_visibility(post, Post.Visibility.VISIBLE)
    record_action(actor=moderator, action=Action.POST_APPROVE, target=post, member=post.author)
    return post


@changes_public_pages
@transaction.atomic
def restore_post(*, moderator: User, post: Post, reason: str = "") -> Post:
    """Undo a hide or a deletion."""
    require_moderator(moderator)
    _set_visibility(post, Post.Visibility.VISIBLE)
    record_action(actor=moderator, action=Action.POST_RESTORE, target=post, member=post.author, reason=reason)
    return post


@changes_public_pages
@transaction.atomic
def lock_thread(*, moderator: User, thread: Thread, locked: bool = True, reason: str = "") -> Thread:
    require_moderator(moderator)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    record_action(
        actor=moderator,
        action=Action.THREAD_LOCK if locked else Action.THREAD_UNLOCK,
        target=thread,
        member=thread.author,
        reason=reason,
    )
    return thread


@changes_public_pages
@transaction.atomic
def pin_thread(*, moderator: User, thread: Thread, pinned: bool = True) -> Thread:
    require_moderator(moderator)
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    record_action(actor=moderator, action=Action.THREAD_PIN if pinned else Action.THREAD_UNPIN, target=thread)
    return thread


@changes_public_pages
@transaction.atomic
def move_thread(*, moderator: User, thread: Thread, forum: Forum, reason: str = "") -> Thread:
    require_moderator(moderator)
    old = thread.forum.name
    thread.forum = forum
    thread.save(update_fields=["forum"])
    where = f"from {old} to {forum.name}"
    record_action(
        actor=moderator, action=Action.THREAD_MOVE, target=thread, reason=f"{where} — {reason}" if reason else where
    )
    return thread


@changes_public_pages
@transaction.atomic
def rename_thread(*, moderator: User, thread: Thread, title: str, reason: str = "") -> Thread:
    require_moderator(moderator)
    # Recorded before the change, so the log keeps the old title as the target's description. The
    # thread's public event line shows only the reason: a rename may remove a child's name.
    record_action(actor=moderator, action=Action.THREAD_RENAME, target=thread, reason=reason)
    thread.title = title.strip()
    thread.save()  # the slug follows the title; old links redirect to the new slug
    opening = thread.posts.filter(is_opening=True).first()
    if opening:
        _index_for_search(opening)
    return thread


@changes_public_pages
@transaction.atomic
def split_thread(*, moderator: User, thread: Thread, posts: list[Post], title: str, reason: str = "") -> Thread:
    """Move chosen replies into a new thread in the same forum; the earliest opens it."""
    require_moderator(moderator)
    posts = sorted(
        (p for p in posts if p.thread_id == thread.pk and not p.is_opening), key=lambda p: (p.created_at, p.pk)
    )
    if not posts:
        raise NotAllowed("Choose at least one reply to split off.")
    new = Thread.objects.create(
        forum=thread.forum, title=title.strip(), author=posts[0].author, last_activity_at=posts[-1].created_at
    )
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(thread=new, is_opening=False)
    Post.objects.filter(pk=posts[0].pk).update(is_opening=True)
    Follow.objects.bulk_create(
        [Follow(thread=new, user_id=author_id) for author_id in {p.author_id for p in posts}], ignore_conflicts=True
    )
    for changed in (thread, new):
        refresh_thread(changed)
    _index_for_search(Post.objects.get(pk=posts[0].pk))
    count = f"{len(posts)} {ngettext('reply', 'replies', len(posts))}"
    note = f" — {reason}" if reason else ""
    # The titles stay in the audit log (moderators only); the threads' event lines link each other.
    record_action(
        actor=moderator,
        action=Action.THREAD_SPLIT,
        target=thread,
        reason=f"{count} split off into “{new.title}”{note}",
        details={"thread": new.pk, "direction": "into"},
    )
    record_action(
        actor=moderator,
        action=Action.THREAD_SPLIT,
        target=new,
        reason=f"split from “{thread.title}”{note}",
        details={"thread": thread.pk, "direction": "from"},
    )
    return new


@changes_public_pages
@transaction.atomic
def delete_thread(*, moderator: User, thread: Thread, reason: str = "") -> Thread:
    require_moderator(moderator)
    thread.is_deleted = True
    thread.save(update_fields=["is_deleted"])
    record_action(actor=moderator, action=Action.THREAD_DELETE, target=thread, member=thread.author, reason=reason)
    return thread


# --- Reactions and follows --------------------------------------------------------------------

COUNTER = {Reaction.Kind.HELPFUL: "helpful_count", Reaction.Kind.THINKING_OF_YOU: "thinking_count"}


@changes_public_pages
@transaction.atomic
def toggle_reaction(*, user: User, post: Post, kind: str) -> tuple[bool, int]:
    """Add the reaction, or take it back if it was there. Returns (now reacted, new count)."""
    require_can_post(user)
    kind = Reaction.Kind(kind)
    post = Post.objects.select_for_update().select_related("thread__forum").get(pk=post.pk)
    if not access.can_react(user, post):
        raise NotAllowed("You can only react to posts you can see.")
    try:
        limits.consume("reaction", user.pk)
    except limits.LimitReached as limit:
        raise NotAllowed(limit.message) from None
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=user, kind=kind)
    counter = COUNTER[kind]
    Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + (-1 if deleted else 1)})
    post.refresh_from_db(fields=[counter])
    return not deleted, getattr(post, counter)


def follow_thread(*, user: User, thread: Thread) -> None:
    require_can_post(user)
    Follow.objects.get_or_create(thread=thread, user=user)


def unfollow_thread(*, user: User, thread: Thread) -> None:
    Follow.objects.filter(thread=thread, user=user).delete()


def unfollow_token(*, user: User, thread: Thread) -> str:
    return signing.dumps({"u": user.pk, "t": thread.pk}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[User, Thread] | None:
    """The member and thread of an unfollow link, or None when the link is not ours."""
    try:
        data = signing.loads(token, salt=UNFOLLOW_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    thread = Thread.objects.filter(pk=data.get("t")).first()
    return (user, thread) if user and thread else None


# --- Notifications ----------------------------------------------------------------------------


def member_settings(user: User) -> MemberSettings:
    return MemberSettings.objects.get_or_create(user=user)[0]


def set_email_preference(*, user: User, emails: str) -> MemberSettings:
    row = member_settings(user)
    row.emails = MemberSettings.Emails(emails)
    row.save(update_fields=["emails"])
    return row


def _notify_followers(post: Post) -> None:
    """One notification per follower (never the author); each-reply followers get an email task on commit."""
    followers = list(
        Follow.objects.filter(thread_id=post.thread_id)
        .exclude(user_id=post.author_id)
        .filter(user__is_active=True)
        .values_list("user_id", "user__community_settings__emails")
    )
    # A restored post was announced before: those followers are neither told nor counted again.
    told = set(Notification.objects.filter(post=post).values_list("recipient_id", flat=True))
    followers = [(user_id, choice) for user_id, choice in followers if user_id not in told]
    if not followers:
        return
    Emails = MemberSettings.Emails
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                post=post,
                email=Notification.Email.SKIPPED if choice == Emails.OFF else Notification.Email.PENDING,
            )
            for user_id, choice in followers
        ],
        ignore_conflicts=True,
    )
    user_ids = [user_id for user_id, _ in followers]
    MemberSettings.objects.bulk_create([MemberSettings(user_id=pk) for pk in user_ids], ignore_conflicts=True)
    MemberSettings.objects.filter(user_id__in=user_ids).update(unread_count=F("unread_count") + 1)
    each_reply = [user_id for user_id, choice in followers if choice in (None, Emails.EACH_REPLY)]
    if each_reply:
        outbox.on_commit_many(
            "community.tasks.send_reply_notifications",
            [(user_id,) for user_id in each_reply],
            countdown=email_delay_seconds(),
        )


@transaction.atomic
def send_pending_notifications(*, user_id: int, digest: bool = False) -> int:
    """Email a member everything pending for them, as one message. Returns how many replies it covered.

    The settings row is locked, so two tasks for one member never send the same replies twice; a
    second task finds nothing pending and sends nothing.
    """
    row = MemberSettings.objects.select_for_update().select_related("user").filter(user_id=user_id).first()
    if row is None or not row.user.is_active:
        return 0
    wanted = MemberSettings.Emails.DAILY if digest else MemberSettings.Emails.EACH_REPLY
    pending = Notification.objects.filter(recipient_id=user_id).pending_email()
    if row.emails != wanted:
        if row.emails == MemberSettings.Emails.OFF:
            pending.update(email=Notification.Email.SKIPPED)
        return 0
    notifications = list(
        access.emailable(pending).select_related("post__thread", "post__author").order_by("created_at", "id")
    )
    if notifications:
        emails.reply_notification(row.user, notifications, digest=digest).send()
    # Replies hidden or deleted since are not worth an email any more.
    pending.update(email=Notification.Email.SKIPPED)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        email=Notification.Email.SENT, emailed_at=timezone.now()
    )
    logger.info("community notification email: user=%s replies=%s digest=%s", user_id, len(notifications), digest)
    return len(notifications)


def members_due_a_digest() -> list[int]:
    return list(
        Notification.objects.pending_email()
        .filter(recipient__community_settings__emails=MemberSettings.Emails.DAILY)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def members_with_stale_notifications(*, older_than: timedelta = timedelta(minutes=30)) -> list[int]:
    """Members whose each-reply email should have gone out already (a lost task): send again."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.pending_email()
        .filter(created_at__lt=cutoff)
        .filter(
            Q(recipient__community_settings__emails=MemberSettings.Emails.EACH_REPLY)
            | Q(recipient__community_settings__isnull=True)
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


@transaction.atomic
def mark_notifications_read(*, user: User) -> None:
    Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    MemberSettings.objects.filter(user=user).update(unread_count=0)


# --- Stories ----------------------------------------------------------------------------------

RECOVERY_FORUM = "recovery-stories"


@changes_public_pages
@transaction.atomic
def create_story(*, author: User, title: str, narrative: str, **figures) -> Story:
    """A story: a thread in "Recovery stories" whose opening post is the narrative, with its figures."""
    forum = Forum.objects.get(slug=RECOVERY_FORUM)
    thread = create_thread(author=author, forum=forum, title=title, body=narrative)
    post = thread.opening
    story = Story.objects.create(post=post, **figures)
    _index_for_search(post)
    return story


# A reminder to add the figures: (months after sharing, the figure it asks for), in order.
STORY_REMINDERS = [(3, "severity_3_months"), (6, "severity_6_months")]
DAYS_PER_MONTH = 30


def stories_due_a_reminder() -> list[int]:
    """Stories whose next reminder is due and whose figure is still missing."""
    now = timezone.now()
    due = Q()
    for number, (months, figure) in enumerate(STORY_REMINDERS):
        due |= Q(
            reminders_sent=number,
            created_at__lte=now - timedelta(days=months * DAYS_PER_MONTH),
            **{f"{figure}__isnull": True},
        )
    return list(Story.objects.live().filter(due).values_list("pk", flat=True)[:100])


@transaction.atomic
def send_story_reminder(*, story_id: int) -> bool:
    """Ask a story's author, once per time point, to add how things are now. Idempotent."""
    story = Story.objects.select_for_update().select_related("post__author", "post__thread").get(pk=story_id)
    if story.reminders_sent >= len(STORY_REMINDERS):
        return False
    months, figure = STORY_REMINDERS[story.reminders_sent]
    if timezone.now() - story.created_at < timedelta(days=months * DAYS_PER_MONTH):
        return False
    story.reminders_sent += 1
    story.save(update_fields=["reminders_sent"])
    if getattr(story, figure) is None and story.post.author.is_active:
        emails.story_reminder(story, months=months).send()
        return True
    return False


STORY_UPDATE_FIELDS = ("severity_1_month", "severity_3_months", "severity_6_months", "side_effects", "insurance")


@changes_public_pages
@transaction.atomic
def update_story(*, author: User, story: Story, **figures) -> Story:
    """Add the later figures (1, 3 and 6 months) or correct them. Only the story's author can."""
    if story.post.author_id != author.pk:
        raise NotAllowed("Only the person who shared this story can update it.")
    if story.post.visibility == Post.Visibility.DELETED:
        raise NotAllowed("This story was deleted and can no longer be updated.")
    for name, value in figures.items():
        if name not in STORY_UPDATE_FIELDS:
            raise ValueError(f"{name} cannot be updated")
        setattr(story, name, value)
    story.save()
    return story
