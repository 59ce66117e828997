"""Named reads of the journal. Encrypted columns are never filtered or ordered on in SQL."""

import datetime
from typing import NamedTuple

from django.db import models

from journal import crypto


class ChildQuerySet(models.QuerySet):
    def for_user(self, user):
        """The children `user` is a caregiver of (none for anyone else: staff included)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(caregiver_links__user=user)


class CaregiverQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()


class ChildSchoolQuerySet(models.QuerySet):
    def exposed_to(self, alert):
        """The placements an alert concerns, found by fingerprint (under every key, rotated or not).

        As for subscribers (alerts.querysets.SubscriptionQuerySet.audience_for): a grade alert
        reaches the children of that grade and those whose grade was not given; a whole-school or
        classroom alert reaches every child at the school.
        """
        from journal.models import place_fingerprint, school_fingerprint

        if alert.scope == "grade":
            return self.filter(
                place_fingerprint__in=[
                    *crypto.fingerprints(place_fingerprint(alert.school_id, alert.scope_label)),
                    *crypto.fingerprints(place_fingerprint(alert.school_id, "")),
                ]
            )
        return self.filter(school_fingerprint__in=crypto.fingerprints(school_fingerprint(alert.school_id)))


class DayRatings(NamedTuple):
    """A check-in's day and ratings only: what a chart needs (no model instance, no note decrypted)."""

    date: datetime.date
    ratings: dict


class EventFacts(NamedTuple):
    """An event without its note, for charts (cheaper than a model instance for hundreds of rows)."""

    pk: int
    category: str
    date: datetime.date
    end_date: datetime.date | None
    details: dict


class CheckInQuerySet(models.QuerySet):
    def ratings_by_day(self) -> list[DayRatings]:
        return [DayRatings(*row) for row in self.order_by("date", "id").values_list("date", "ratings")]

    def between(self, start, end):
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs.order_by("date", "id")


class EventQuerySet(models.QuerySet):
    def in_order(self) -> list:
        """A child's events, oldest first (sorted in Python: their dates are encrypted)."""
        return sorted(self, key=lambda event: event.sort_key)

    def facts_in_order(self) -> list[EventFacts]:
        rows = [EventFacts(*row) for row in self.values_list("pk", "category", "date", "end_date", "details")]
        return sorted(rows, key=lambda event: (event.date, event.pk))
