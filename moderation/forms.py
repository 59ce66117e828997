from django import forms
from django.db import models

from community.forms import SINGLE_LINE
from moderation.models import Flag, ModerationAction, WatchedWord

SUSPENSION_DAYS = [(1, "1 day"), (3, "3 days"), (7, "1 week"), (30, "30 days")]


class PostDecision(models.TextChoices):
    """A moderator's decision on a post in the queue (the values are the queue buttons')."""

    APPROVE = "approve"
    HIDE = "hide"
    DELETE = "delete"
    WARN = "warn", "Warn author"
    SUSPEND = "suspend", "Suspend author"
    BAN = "ban", "Delete all and ban (spam)"


class ReportDecision(models.TextChoices):
    APPROVE = "approve", "Approve and send the alert"
    REJECT = "reject"


class ContactDecision(models.TextChoices):
    VERIFY = "verify", "Verify this contact"
    REFUSE = "refuse"


class ThreadTool(models.TextChoices):
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MOVE = "move"
    RENAME = "rename"
    SPLIT = "split"


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label="What is wrong?", choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Anything the moderators should know",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you choose “Something else”. The author is never told who flagged.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Flag.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Please say what is wrong with this post.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=PostDecision.choices)
    reason = forms.CharField(label="Reason (the member reads it)", required=False, max_length=500)
    days = forms.TypedChoiceField(label="Suspend for", choices=SUSPENSION_DAYS, coerce=int, required=False)

    def clean(self):
        data = super().clean()
        needs_reason = {PostDecision.HIDE, PostDecision.WARN, PostDecision.SUSPEND}
        if data.get("decision") in needs_reason and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason: the member will read it.")
        if data.get("decision") == PostDecision.SUSPEND and not data.get("days"):
            self.add_error("days", "Choose how long the suspension lasts.")
        return data


class ContactDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ContactDecision.choices)
    reason = forms.CharField(required=False, max_length=500)


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ReportDecision.choices)
    reason = forms.CharField(required=False, max_length=500)


class LogFilterForm(forms.Form):
    moderator = forms.CharField(label="Moderator", required=False, max_length=30)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *ModerationAction.Action.choices]
    )
    member = forms.CharField(label="Member", required=False, max_length=30)


class WatchedWordForm(forms.Form):
    phrase = forms.CharField(
        label="Word, phrase or link fragment",
        max_length=100,
        help_text="Case does not matter.",
    )
    kind = forms.ChoiceField(
        label="What happens to a post that contains it",
        choices=WatchedWord.Kind.choices,
        initial=WatchedWord.Kind.HOLD,
        widget=forms.RadioSelect,
    )


class ThreadToolForm(forms.Form):
    """One of the thread tools; which fields matter depends on `tool`."""

    tool = forms.ChoiceField(choices=ThreadTool.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason (shown in the thread)", required=False, max_length=300)
    forum = forms.ModelChoiceField(label="Move to", queryset=None, required=False, empty_label="Choose a forum")
    title = forms.CharField(label="New title", required=False, min_length=5, max_length=140, validators=[SINGLE_LINE])
    posts = forms.ModelMultipleChoiceField(
        label="Replies to split off", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, thread, **kwargs):
        from community.models import Forum

        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.exclude(pk=thread.forum_id)
        self.fields["posts"].queryset = thread.posts.filter(is_opening=False).select_related("author")
        self.fields["posts"].label_from_instance = lambda post: (
            f"{post.author.display_name}, {post.created_at:%d %b %H:%M}: {post.body[:80]}"
        )

    def clean(self):
        data = super().clean()
        tool = data.get("tool")
        if tool == ThreadTool.MOVE and not data.get("forum"):
            self.add_error("forum", "Choose the forum to move the thread to.")
        if tool in (ThreadTool.RENAME, ThreadTool.SPLIT) and not data.get("title"):
            self.add_error("title", "Give the thread a title of at least 5 characters.")
        if tool == ThreadTool.SPLIT and not data.get("posts"):
            self.add_error("posts", "Choose at least one reply to split off.")
        return data


class MemberSearchForm(forms.Form):
    q = forms.CharField(label="Pseudonym", required=False, max_length=30, strip=True)


class WarnForm(forms.Form):
    reason = forms.CharField(
        label="Warning (the member reads it)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the warning is about: the member will read it."},
    )


class SuspendForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Suspend for",
        choices=SUSPENSION_DAYS,
        coerce=int,
        initial=3,
        error_messages={"required": "Choose how long the suspension lasts."},
    )
    reason = forms.CharField(
        label="Why (the member reads it)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the member is suspended: they will read it."},
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="Note to the member", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class BanForm(forms.Form):
    reason = forms.CharField(
        label="Why (kept in the audit log)",
        required=False,
        max_length=500,
        help_text="Left empty, the log says “Spam.”",
    )
    confirm = forms.BooleanField(
        label="Yes: delete every post of this member and ban them for good",
        error_messages={"required": "Tick the box to confirm the ban: it cannot be undone."},
    )


class LiftSuppressionForm(forms.Form):
    email = forms.EmailField(
        label="The address to mail again",
        help_text="As the person gave it to you. It is compared with the list and never stored.",
    )
    reason = forms.CharField(
        label="Why (kept in the audit log)",
        max_length=500,
        help_text="For example: the member wrote in on 3 May; their mailbox works again.",
        validators=[SINGLE_LINE],
    )
