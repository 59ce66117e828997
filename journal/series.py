"""A child's check-in ratings and events' facts for the timeline, read from ONE token (issue 16).

Three years of daily check-ins and a few hundred events are some 2,000 Fernet tokens (a check-in's
ratings, up to four per event), and decrypting them took most of the timeline's time. The journal
keeps the same values for each child in a SeriesDigest: one token, made with the same keys, in the
database with the rows it is derived from (never in the cache backend), deleted with the child and
re-encrypted by a key rotation. The timeline decrypts that one token.

On every write to a child's check-ins or events the database itself (triggers, migration 0005)
raises the child's `series_version` and deletes its digest, so no write path can forget to, and a
deleted check-in does not linger in a digest. A digest is built again on the next read, stamped with
the version read BEFORE the rows: one that raced a write keeps the older version and is not used.
"""

import datetime

from journal.models import CheckIn, Child, Event, SeriesDigest
from journal.querysets import DayRatings, EventFacts


def series_of(child: Child) -> tuple[list[DayRatings], list[EventFacts]]:
    """Every check-in's day and ratings (by day) and every event's facts (by date): one query when
    the digest is current, four or five when it must be built again."""
    found = (
        SeriesDigest.objects.filter(child_id=child.pk).values_list("version", "child__series_version", "series").first()
    )
    if found is not None and found[0] == found[1]:
        return _unpack(found[2])
    return _rebuild(child, current=found[1] if found else None)


def _rebuild(child: Child, *, current: int | None) -> tuple[list[DayRatings], list[EventFacts]]:
    if current is None:
        current = Child.objects.values_list("series_version", flat=True).get(pk=child.pk)
    check_ins = CheckIn.objects.filter(child=child).ratings_by_day()
    events = Event.objects.filter(child=child).facts_in_order()
    digest = SeriesDigest(child_id=child.pk, version=current, series=_pack(check_ins, events))
    SeriesDigest.objects.bulk_create(
        [digest], update_conflicts=True, unique_fields=["child"], update_fields=["version", "series"]
    )
    return check_ins, events


def _pack(check_ins: list[DayRatings], events: list[EventFacts]) -> dict:
    return {
        "check_ins": [[c.date.isoformat(), c.ratings] for c in check_ins],
        "events": [[e.pk, e.category, e.date.isoformat(), _iso(e.end_date), e.details] for e in events],
    }


def _unpack(series: dict) -> tuple[list[DayRatings], list[EventFacts]]:
    day = datetime.date.fromisoformat
    check_ins = [DayRatings(day(date), ratings) for date, ratings in series["check_ins"]]
    events = [
        EventFacts(pk, category, day(date), day(end) if end else None, details)
        for pk, category, date, end, details in series["events"]
    ]
    return check_ins, events


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None
