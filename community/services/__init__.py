"""Every write in the community, one module per subject (as Zulip's `zerver/actions/`): one function
per action, keyword-only arguments, the permission checked inside, side effects (emails, the audit
log) in the same transaction or published on commit. Callers use `from community import services`.

- `threads.py`: starting a thread; the moderators' thread tools (lock, pin, move, rename, split, delete);
- `posts.py`: a reply, an edit, a deletion, and what a new or edited post sets off (held for a
  moderator, followers told, words of crisis flagged);
- `visibility.py`: hiding, holding, approving and restoring a post; deleting all of a member's posts;
- `reactions.py`: toggling a reaction and the post's stored counts;
- `follows.py`: following and unfollowing a thread;
- `notifications.py`: notifying followers, the reply emails (each reply or a daily digest), marking
  notifications read, a member's email choice;
- `stories.py`: sharing a story, adding its later figures, the reminders to add them;
- `derived.py`: stored derived state kept right: a thread's counts and last post, a post's search vector.

Reads live in community.querysets and community.selectors; the unfollow link's token in community.tokens.
"""

from community.services.derived import refresh_thread
from community.services.follows import follow_thread, unfollow_thread
from community.services.notifications import (
    mark_notifications_read,
    member_settings,
    pending_replies_email,
    plan_daily_digests,
    queue_pending_replies,
    set_email_preference,
)
from community.services.posts import ThreadClosed, delete_post, edit_post, reply
from community.services.reactions import toggle_reaction
from community.services.stories import STORY_UPDATE_FIELDS, create_story, send_story_reminder, update_story
from community.services.threads import (
    create_thread,
    delete_thread,
    lock_thread,
    move_thread,
    pin_thread,
    rename_thread,
    split_thread,
)
from community.services.visibility import approve_post, delete_all_posts, hide_post, hold_post, restore_post

# community.emails builds the unfollow link through this name; the token itself is community.tokens'.

__all__ = [
    "STORY_UPDATE_FIELDS",
    "ThreadClosed",
    "approve_post",
    "create_story",
    "create_thread",
    "delete_all_posts",
    "delete_post",
    "delete_thread",
    "edit_post",
    "follow_thread",
    "hide_post",
    "hold_post",
    "lock_thread",
    "mark_notifications_read",
    "member_settings",
    "move_thread",
    "pending_replies_email",
    "pin_thread",
    "plan_daily_digests",
    "queue_pending_replies",
    "refresh_thread",
    "rename_thread",
    "reply",
    "restore_post",
    "send_story_reminder",
    "set_email_preference",
    "split_thread",
    "toggle_reaction",
    "unfollow_thread",
    "update_story",
]
