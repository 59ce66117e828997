from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted, only added to."""


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("moderation actions cannot be updated")

    def delete(self):
        raise AppendOnlyError("moderation actions cannot be deleted")

    def for_list(self):
        return self.select_related("actor", "member", "target_type")


class ModerationAction(models.Model):
    """One entry of the audit log: who did what, to which target, why, and when.

    Append-only: written once by `moderation.services.record_action`, never updated or deleted
    (enforced here, in the queryset and in the admin).
    """

    class Action(models.TextChoices):
        # Posts and stories
        POST_APPROVE = "post.approve", "approved a post"
        POST_HOLD = "post.hold", "held a post for review"
        POST_HIDE = "post.hide", "hid a post"
        POST_RESTORE = "post.restore", "restored a post"
        POST_DELETE = "post.delete", "deleted a post"
        POST_EDIT = "post.edit", "edited a post"
        # Threads
        THREAD_LOCK = "thread.lock", "locked a thread"
        THREAD_UNLOCK = "thread.unlock", "unlocked a thread"
        THREAD_PIN = "thread.pin", "pinned a thread"
        THREAD_UNPIN = "thread.unpin", "unpinned a thread"
        THREAD_MOVE = "thread.move", "moved a thread"
        THREAD_RENAME = "thread.rename", "renamed a thread"
        THREAD_SPLIT = "thread.split", "split a thread"
        THREAD_DELETE = "thread.delete", "deleted a thread"
        # Members
        MEMBER_WARN = "member.warn", "warned a member"
        MEMBER_SUSPEND = "member.suspend", "suspended a member"
        MEMBER_UNSUSPEND = "member.unsuspend", "lifted a suspension"
        MEMBER_BAN = "member.ban", "banned a member"
        # Flags
        FLAG_DISMISS = "flag.dismiss", "dismissed flags"
        # Strep-exposure alerts
        REPORT_APPROVE = "report.approve", "approved an exposure report"
        REPORT_REJECT = "report.reject", "rejected an exposure report"
        CONTACT_VERIFY = "contact.verify", "verified a school contact"
        CONTACT_REVOKE = "contact.revoke", "revoked a school contact"
        # Email
        SUPPRESSION_LIFT = "suppression.lift", "lifted an email suppression"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    # The member the action concerns (an author, a suspended member), for filtering by member.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # What the target was, in words, at the time: it survives the target's deletion.
    target_description = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    # Facts an event line needs besides the target (e.g. the other thread of a split: {"thread": id}).
    details = models.JSONField(default=dict, blank=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.actor or 'system'} {self.get_action_display()} ({self.target_description})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("moderation actions cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("moderation actions cannot be deleted")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """A member's report that a post or story needs a moderator's look. One per member per post."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        HARASSMENT = "harassment", "Harassment or unkindness"
        MISINFORMATION = "misinformation", "Medical misinformation or promotion of an unproven cure"
        IDENTIFIES_CHILD = "identifies_child", "Identifies a child"
        CRISIS = "crisis", "Crisis or risk of harm"
        OTHER = "other", "Something else"

    post = models.ForeignKey("community.Post", on_delete=models.CASCADE, related_name="flags")
    # None: the portal raised it itself (a post with crisis language).
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "flagger"], name="moderation_flag_once_per_member")]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()} flag on post {self.post_id}"


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Suspension(models.Model):
    """A member may read but not post, react, flag or report until `ends_at` (never, for a ban).

    It ends by itself: "active" is decided by the clock, so no job has to lift it.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField()
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty for a ban.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="suspensions_given"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["member", "lifted_at"])]

    def __str__(self):
        until = f"until {self.ends_at:%Y-%m-%d %H:%M}" if self.ends_at else "permanently"
        return f"{self.member} suspended {until}"

    @property
    def is_ban(self) -> bool:
        return self.ends_at is None


class WatchedWord(models.Model):
    """A word, phrase or link fragment moderators watch for in posts.

    A "hold" phrase (e.g. "cure", "guaranteed") holds a post for review. A "crisis" phrase (e.g.
    "can't go on") never holds anything: the writer is shown where to get help at once, and the
    post goes to the top of the queue as a crisis, so a moderator checks in.
    """

    class Kind(models.TextChoices):
        HOLD = "hold", "Hold the post for review"
        CRISIS = "crisis", "Crisis: show help and tell the moderators"

    phrase = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOLD)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase
