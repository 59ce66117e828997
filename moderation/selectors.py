"""Reads for moderators: the review queue and the audit log, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q

from alerts.models import ExposureReport, SchoolContact
from community.models import Post
from moderation.models import Flag, ModerationAction, Suspension

QUEUE_SIZE = 50
HISTORY_PER_MEMBER = 5


@dataclass
class AuthorHistory:
    posts: int = 0
    suspended_until: datetime | None = None
    banned: bool = False
    recent_actions: list[ModerationAction] = field(default_factory=list)


@dataclass
class QueueItem:
    kind: str  # "post", "report" or "contact"
    waiting_since: datetime
    is_crisis: bool = False
    post: Post | None = None
    flags: list[Flag] = field(default_factory=list)
    author_history: AuthorHistory | None = None
    report: object | None = None  # alerts.ExposureReport
    contact: object | None = None  # alerts.SchoolContact (a request to be verified)

    @property
    def key(self) -> str:
        subject = self.post or self.report or self.contact
        return f"{self.kind}-{subject.pk}"


def posts_needing_review():
    """Held posts and posts with open flags (deleted ones need nothing more)."""
    open_flags = Flag.objects.open().filter(post=OuterRef("pk"))
    crisis = open_flags.filter(reason=Flag.Reason.CRISIS)
    return (
        Post.objects.exclude(visibility=Post.Visibility.DELETED)
        .filter(Q(visibility=Post.Visibility.HELD) | Exists(open_flags))
        .annotate(
            is_crisis=Exists(crisis),
            first_flag_at=Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)),
        )
        .select_related("author", "thread__forum", "story")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.open().select_related("flagger"), to_attr="open_flags")
        )
    )


def _author_histories(author_ids: set[int]) -> dict[int, AuthorHistory]:
    histories = defaultdict(AuthorHistory)
    counts = Post.objects.filter(author_id__in=author_ids).values("author_id").annotate(n=Count("id"))
    for row in counts:
        histories[row["author_id"]].posts = row["n"]
    for suspension in Suspension.objects.active().filter(member_id__in=author_ids):
        history = histories[suspension.member_id]
        history.banned = history.banned or suspension.is_ban
        if suspension.ends_at and (not history.suspended_until or suspension.ends_at > history.suspended_until):
            history.suspended_until = suspension.ends_at
    for entry in ModerationAction.objects.filter(member_id__in=author_ids).select_related("actor"):
        if len(histories[entry.member_id].recent_actions) < HISTORY_PER_MEMBER:
            histories[entry.member_id].recent_actions.append(entry)
    return histories


def _reports_awaiting_review() -> list[QueueItem]:
    return [
        QueueItem(kind="report", waiting_since=report.created_at, report=report)
        for report in ExposureReport.objects.awaiting_review().select_related("school", "reporter")[:QUEUE_SIZE]
    ]


def _contact_requests() -> list[QueueItem]:
    """Members asking to speak for a school: a verified contact's reports skip review, so a moderator
    compares the requester's address domain with the school's before verifying."""
    requests = SchoolContact.objects.filter(status=SchoolContact.Status.REQUESTED).select_related("school", "user")
    items = []
    for contact in requests.order_by("requested_at")[:QUEUE_SIZE]:
        contact.email_domain = contact.user.email.rsplit("@", 1)[-1].lower()
        school_domain = (contact.school.email_domain or "").lower()
        contact.domain_matches = bool(school_domain) and (
            contact.email_domain == school_domain or contact.email_domain.endswith(f".{school_domain}")
        )
        items.append(QueueItem(kind="contact", waiting_since=contact.requested_at, contact=contact))
    return items


def review_queue(limit: int = QUEUE_SIZE) -> list[QueueItem]:
    """Everything waiting for a decision: crises first, then the oldest first."""
    posts = list(posts_needing_review()[: limit * 2])
    histories = _author_histories({post.author_id for post in posts})
    items = [
        QueueItem(
            kind="post",
            waiting_since=post.first_flag_at or post.created_at,
            is_crisis=post.is_crisis,
            post=post,
            flags=post.open_flags,
            author_history=histories[post.author_id],
        )
        for post in posts
    ]
    items += _reports_awaiting_review()
    items += _contact_requests()
    items.sort(key=lambda item: (not item.is_crisis, item.waiting_since))
    return items[:limit]


def audit_log(*, moderator: str = "", action: str = "", member: str = ""):
    """The audit log, newest first, filtered by moderator and member display names and action."""
    entries = ModerationAction.objects.for_list()
    if moderator:
        entries = entries.filter(actor__display_name__iexact=moderator)
    if action:
        entries = entries.filter(action=action)
    if member:
        entries = entries.filter(member__display_name__iexact=member)
    return entries
