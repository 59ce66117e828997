"""Forums, threads and posts; reactions, follows and notifications; structured experience stories.

Derived state (a thread's reply count and last post, a post's reaction counts, a member's unread
count) is stored for speed and kept right by `community.services`, never by signals.
"""

import functools

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from community.querysets import (
    ForumQuerySet,
    NotificationQuerySet,
    PostQuerySet,
    StoryQuerySet,
    ThreadQuerySet,
)

TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 20_000


class Forum(models.Model):
    # The forum whose threads are experience stories, each opened by a story's narrative.
    STORIES_SLUG = "recovery-stories"

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    members_only = models.BooleanField(default=False, help_text="Only signed-in members can read it.")
    # Denormalized, kept right by community.services.derived: the forum's public threads (not deleted,
    # opening post visible), so a forum page reads its length here instead of counting its threads.
    public_thread_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:forum", args=[self.slug])

    def readable_by(self, user) -> bool:
        return not self.members_only or user.is_authenticated


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    # Denormalized, kept right by services.refresh_thread: whether the opening post is visible. A
    # thread is public only while it is (community.access): a held title must not leak through lists.
    opening_visible = models.BooleanField(default=True)
    # Denormalized, kept right by services.refresh_thread: visible replies (the opening post excluded).
    reply_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            # A forum page's order (ThreadQuerySet.for_list) with the columns its visibility filters read,
            # so the page's OFFSET walks the index alone, however deep the page (issue 18).
            models.Index(
                fields=["forum", "-is_pinned", "-last_activity_at", "-id"],
                include=["is_deleted", "opening_visible", "author"],
                name="community_thread_forum_order",
            ),
            # The few live threads that are not public (held openings): what a member's or a moderator's
            # forum page counts on top of the forum's kept count of public ones.
            models.Index(
                fields=["forum"],
                condition=models.Q(is_deleted=False, opening_visible=False),
                name="community_thread_not_public",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:80] or "thread"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return _thread_url().format(pk=self.pk, slug=self.slug)


@functools.cache
def _url_with_id(name: str) -> str:
    """A route's URL with "{}" for the id. A thread page needs ~100 post URLs and reverse() is the
    slowest part of rendering them, so each route is reversed once per process."""
    return reverse(name, args=[_PLACEHOLDER_ID]).replace(str(_PLACEHOLDER_ID), "{}")


_PLACEHOLDER_ID = 987654321
_PLACEHOLDER_SLUG = "placeholder-slug"


@functools.cache
def _thread_url() -> str:
    """A thread's URL with "{pk}" and "{slug}" (see _url_with_id): lists and the moderators' queue show
    dozens. A slug is letters, digits and hyphens, so it goes in as it is."""
    found = reverse("community:thread", args=[_PLACEHOLDER_ID, _PLACEHOLDER_SLUG])
    return found.replace(str(_PLACEHOLDER_ID), "{pk}").replace(_PLACEHOLDER_SLUG, "{slug}")


def _link(route: str, id_field: str = "pk") -> property:
    return property(lambda post: _url_with_id(route).format(getattr(post, id_field)))


class Post(models.Model):
    class Visibility(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HELD = "held", "Held for review"
        HIDDEN = "hidden", "Hidden by a moderator"
        DELETED = "deleted", "Deleted"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="community_posts")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    # Rendered once on save by portal.markdown; never rendered in a request.
    body_html = models.TextField()
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # Set when the post is first held or hidden and never cleared: a moderator checked it once, so
    # its later edits wait for a moderator again (an approved post must not be edited into a name).
    was_withheld = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    thinking_count = models.PositiveIntegerField(default=0)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"]),
            GinIndex(fields=["search_vector"], name="community_post_search"),
            # Search ranks the newest matches: a common word's newest matches come from this index.
            models.Index(fields=["-created_at"], name="community_post_newest"),
            # The moderators' queue and its count find held posts here, not by reading every post.
            models.Index(fields=["created_at"], condition=models.Q(visibility="held"), name="community_post_held"),
        ]

    def __str__(self):
        return f"Post {self.pk} in “{self.thread.title[:80]}”" if self.thread_id else f"Post {self.pk}"

    def get_absolute_url(self):
        return f"{_thread_url().format(pk=self.thread_id, slug=self.thread.slug)}?post={self.pk}#post-{self.pk}"

    # The links each post shows (see _url_with_id).
    author_url = _link("community:member", "author_id")
    history_url = _link("community:post_history")
    react_url = _link("community:react")
    edit_url = _link("community:edit_post")
    delete_url = _link("community:delete_post")
    flag_url = _link("moderation:flag")

    @property
    def is_visible(self) -> bool:
        return self.visibility == self.Visibility.VISIBLE


class PostRevision(models.Model):
    """The text of a post before an edit: the post's history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Revision of post {self.post_id} from {self.created_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Helpful"
        THINKING_OF_YOU = "thinking", "Thinking of you"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="community_one_reaction_each")]

    def __str__(self):
        return f"{self.get_kind_display()} on post {self.post_id}"


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="community_follow_once")]

    def __str__(self):
        return f"{self.user} follows thread {self.thread_id}"


class MemberSettings(models.Model):
    """A member's community settings and their unread count (one row, read in one query by the header)."""

    class Emails(models.TextChoices):
        EACH_REPLY = "each", "An email for new replies (a burst of replies makes one email)"
        DAILY = "daily", "One daily digest"
        OFF = "off", "No emails (the notifications page only)"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_settings")
    emails = models.CharField(max_length=5, choices=Emails.choices, default=Emails.EACH_REPLY)
    unread_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Community settings of {self.user}"


class Notification(models.Model):
    """A new reply in a followed thread, for one member: shown in-site and, per their setting, emailed."""

    class Email(models.TextChoices):
        PENDING = "pending", "Waiting to be emailed"
        SENT = "sent", "Emailed"
        SKIPPED = "skipped", "Not emailed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_notifications"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "post"], name="community_notify_once")]
        indexes = [
            models.Index(fields=["recipient", "email"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return f"Post {self.post_id} for {self.recipient}"


class Story(models.Model):
    """A structured treatment experience. Its narrative is the opening post of a thread, so a story
    is discussed, reacted to, flagged and moderated like any post."""

    class Treatment(models.TextChoices):
        # First-line psychiatric and behavioural care comes first (Thienemann et al. 2017), so the
        # choices do not lean towards immune treatments.
        CBT_ERP = "cbt_erp", "CBT with exposure and response prevention (ERP)"
        MEDICATION = "ssri", "SSRI or other medication for OCD or anxiety"
        ANTIBIOTICS = "antibiotics", "Antibiotics"
        PROPHYLAXIS = "prophylaxis", "Preventive antibiotics (prophylaxis)"
        NSAIDS = "nsaids", "NSAIDs"
        STEROIDS = "steroids", "Steroids"
        IVIG = "ivig", "IVIG"
        PLASMA_EXCHANGE = "plasma_exchange", "Plasma exchange"
        TONSILLECTOMY = "tonsillectomy", "Tonsillectomy"
        WATCHFUL_WAITING = "waiting", "No specific treatment (watching and waiting)"
        OTHER = "other", "Other"

    class AgeBand(models.TextChoices):
        UNDER_5 = "0-4", "Under 5"
        FROM_5 = "5-8", "5 to 8"
        FROM_9 = "9-12", "9 to 12"
        FROM_13 = "13-17", "13 to 17"
        ADULT = "18+", "18 or older"

    class SideEffect(models.TextChoices):
        HEADACHE = "headache", "Headache"
        NAUSEA = "nausea", "Nausea or vomiting"
        FEVER = "fever", "Fever"
        FATIGUE = "fatigue", "Fatigue"
        RASH = "rash", "Rash"
        AGITATION = "agitation", "Agitation, restlessness or a change in mood"
        SERIOUS = "serious", "Serious reaction needing medical care"
        NONE = "none", "None"
        OTHER = "other", "Other"

    class Insurance(models.TextChoices):
        COVERED = "covered", "Covered"
        PARTLY = "partly", "Partly covered"
        DENIED = "denied", "Denied"
        APPEALED_WON = "appealed_won", "Appealed and won"
        NOT_APPLICABLE = "n/a", "Does not apply"

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="story")
    treatment = models.CharField(max_length=20, choices=Treatment.choices, db_index=True)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    regimen = models.CharField(max_length=200, blank=True)
    side_effects = models.JSONField(default=list, blank=True)
    severity_before = models.PositiveSmallIntegerField()
    severity_1_month = models.PositiveSmallIntegerField(null=True, blank=True)
    severity_3_months = models.PositiveSmallIntegerField(null=True, blank=True)
    severity_6_months = models.PositiveSmallIntegerField(null=True, blank=True)
    insurance = models.CharField(max_length=20, choices=Insurance.choices)
    reminders_sent = models.PositiveSmallIntegerField(
        default=0, help_text="Reminders to add the 3- and 6-month figures sent so far."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Reminders to add the later figures: (months after sharing, the figure it asks for), in order.
    REMINDERS = [(3, "severity_3_months"), (6, "severity_6_months")]
    DAYS_PER_MONTH = 30

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity_before__lte=10)
                & (models.Q(severity_1_month__isnull=True) | models.Q(severity_1_month__lte=10))
                & (models.Q(severity_3_months__isnull=True) | models.Q(severity_3_months__lte=10))
                & (models.Q(severity_6_months__isnull=True) | models.Q(severity_6_months__lte=10)),
                name="community_story_severity_0_10",
            ),
        ]

    def __str__(self):
        return f"Story {self.pk}: {self.get_treatment_display()}"

    def side_effect_labels(self) -> list[str]:
        labels = dict(self.SideEffect.choices)
        return [labels.get(value, value) for value in self.side_effects]
