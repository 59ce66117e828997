"""Reads for moderators: the review queue, the audit log and members, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, Lower, RowNumber

from accounts.models import User
from accounts.names import skeleton
from alerts.models import ExposureReport, SchoolContact
from community.models import Post
from moderation.models import Flag, ModerationAction, Suspension
from portal.models import SuppressedAddress

QUEUE_SIZE = 50
HISTORY_PER_MEMBER = 5


@dataclass
class AuthorHistory:
    posts: int = 0
    suspended_until: datetime | None = None
    banned: bool = False
    recent_actions: list[ModerationAction] = field(default_factory=list)


class QueueKind(models.TextChoices):
    """What waits in the review queue (queue.html picks the row's template by it)."""

    POST = "post"
    REPORT = "report"
    CONTACT = "contact"


@dataclass
class QueueItem:
    kind: QueueKind
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


def posts_waiting():
    """Held posts and posts with open flags (deleted ones need nothing more): the queue's posts.

    Their ids come from two indexed reads (held posts: a partial index; open flags), joined: an OR
    over every post made the queue and the header's count read the whole table (issue 18)."""
    held = Post.objects.filter(visibility=Post.Visibility.HELD).order_by().values("pk")
    flagged = Flag.objects.open().order_by().values("post_id")
    return Post.objects.exclude(visibility=Post.Visibility.DELETED).filter(pk__in=held.union(flagged, all=True))


def contact_requests_waiting():
    """Members asking to be verified as a school's contact: the queue's contact requests."""
    return SchoolContact.objects.filter(status=SchoolContact.Status.REQUESTED)


def waiting_count() -> int:
    """How many items wait in the queue (the header's number), in one query over the queue's own reads."""
    parts = [
        found.order_by().values_list("pk")
        for found in (posts_waiting(), ExposureReport.objects.awaiting_review(), contact_requests_waiting())
    ]
    return parts[0].union(*parts[1:], all=True).count()


def posts_needing_review():
    """The queue's posts with what a moderator reads: crisis first, flags, author, thread."""
    crisis = Flag.objects.open().filter(post=OuterRef("pk"), reason=Flag.Reason.CRISIS)
    return (
        posts_waiting()
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
    # Only each member's latest few entries leave the database, however long their history.
    newest_first = Window(RowNumber(), partition_by=F("member_id"), order_by=[F("created_at").desc(), F("id").desc()])
    recent = (
        ModerationAction.objects.filter(member_id__in=author_ids)
        .annotate(newness=newest_first)
        .filter(newness__lte=HISTORY_PER_MEMBER)
        .select_related("actor")
        .order_by("member_id", "newness")
    )
    for entry in recent:
        histories[entry.member_id].recent_actions.append(entry)
    return histories


def _reports_awaiting_review() -> list[QueueItem]:
    return [
        QueueItem(kind=QueueKind.REPORT, waiting_since=report.created_at, report=report)
        for report in ExposureReport.objects.awaiting_review().select_related("school", "reporter")[:QUEUE_SIZE]
    ]


def _contact_requests() -> list[QueueItem]:
    """Members asking to speak for a school: a verified contact's reports skip review, so a moderator
    compares the requester's address domain with the school's before verifying."""
    requests = contact_requests_waiting().select_related("school", "user")
    items = []
    for contact in requests.order_by("requested_at")[:QUEUE_SIZE]:
        contact.email_domain = contact.user.email.rsplit("@", 1)[-1].lower()
        school_domain = (contact.school.email_domain or "").lower()
        contact.domain_matches = bool(school_domain) and (
            contact.email_domain == school_domain or contact.email_domain.endswith(f".{school_domain}")
        )
        items.append(QueueItem(kind=QueueKind.CONTACT, waiting_since=contact.requested_at, contact=contact))
    return items


def review_queue(limit: int = QUEUE_SIZE) -> list[QueueItem]:
    """Everything waiting for a decision: crises first, then the oldest first."""
    posts = list(posts_needing_review()[: limit * 2])
    histories = _author_histories({post.author_id for post in posts})
    items = [
        QueueItem(
            kind=QueueKind.POST,
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


# --- Members ------------------------------------------------------------------------------------

MEMBER_ITEMS = 20  # posts, flags and history entries a member's page lists, newest first
MEMBERS_FOUND = 50


def _count(found, field: str):
    """The number of rows of `found` whose `field` is the outer member, as a subquery."""
    rows = found.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def members_for_moderators():
    """Members with their roles and standing: `banned`, and `suspended_until` (the latest end of a
    running suspension), each read in the same query."""
    running = Suspension.objects.active().filter(member=OuterRef("pk"))
    return User.objects.with_roles().annotate(
        banned=Exists(running.filter(ends_at__isnull=True)),
        suspended_until=Subquery(running.filter(ends_at__isnull=False).order_by("-ends_at").values("ends_at")[:1]),
    )


def find_members(query: str):
    """Members whose pseudonym contains `query` (or looks like it, whatever letters it is written in);
    without a query, the members suspended or banned right now."""
    found = members_for_moderators()
    if query:
        looks_like = Q(display_name_skeleton__contains=shape) if (shape := skeleton(query)) else Q(pk__in=[])
        found = found.filter(Q(display_name__icontains=query) | looks_like)
    else:
        found = found.filter(Exists(Suspension.objects.active().filter(member=OuterRef("pk"))))
    return found.order_by(Lower("display_name"))[:MEMBERS_FOUND]


@dataclass
class MemberRecord:
    """What a moderator reads about one member; each list holds the newest MEMBER_ITEMS of its total."""

    member: User
    posts: list[Post]
    flags_received: list[Flag]
    flags_made: list[Flag]
    history: list[ModerationAction]


def member_with_counts(member_id: int) -> User | None:
    """One member, their standing and how many posts, flags received and made, and moderation
    entries they have, in one query."""
    return (
        members_for_moderators()
        .annotate(
            post_count=_count(Post.objects.all(), "author"),
            flags_received_count=_count(Flag.objects.all(), "post__author"),
            flags_made_count=_count(Flag.objects.all(), "flagger"),
            history_count=_count(ModerationAction.objects.all(), "member"),
        )
        .filter(pk=member_id)
        .first()
    )


def member_record(member: User) -> MemberRecord:
    """The moderators' member page below the member (`member_with_counts`), in four queries whatever
    the member's history. Held, hidden and deleted posts are included: moderators see them all."""
    newest = ("-created_at", "-id")
    return MemberRecord(
        member=member,
        posts=list(Post.objects.filter(author=member).select_related("thread").order_by(*newest)[:MEMBER_ITEMS]),
        flags_received=list(
            Flag.objects.filter(post__author=member)
            .select_related("flagger", "post__thread")
            .order_by(*newest)[:MEMBER_ITEMS]
        ),
        flags_made=list(
            Flag.objects.filter(flagger=member)
            .select_related("post__thread", "post__author")
            .order_by(*newest)[:MEMBER_ITEMS]
        ),
        history=list(ModerationAction.objects.filter(member=member).select_related("actor")[:MEMBER_ITEMS]),
    )


# --- The email suppression list ----------------------------------------------------------------------

RECENT_SUPPRESSIONS = 50


def recent_suppressions() -> list:
    return list(SuppressedAddress.objects.order_by("-created_at", "-pk")[:RECENT_SUPPRESSIONS])


def suppression_counts() -> list[tuple[str, int]]:
    """(reason's label, how many) for every reason, in the reasons' order."""
    found = dict(SuppressedAddress.objects.values_list("reason").annotate(n=Count("pk")).order_by())
    return [(label, found.get(value, 0)) for value, label in SuppressedAddress.Reason.choices]
