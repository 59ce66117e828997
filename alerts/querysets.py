"""Named reads of the alerts app.

Choice values come from the models (`self.model.Status.ACTIVE`): the models import this module, so
it cannot import them, but every queryset knows its model.
"""

import datetime

from django.db import models
from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Lower
from django.utils import timezone

SCHOOL_SEARCH_LIMIT = 50


class SchoolQuerySet(models.QuerySet):
    def search(self, query: str):
        """Schools whose name, city, district or postal code contains every word of `query`."""
        matches = self
        for word in query.split()[:5]:
            matches = matches.filter(
                Q(name__icontains=word)
                | Q(city__icontains=word)
                | Q(district__icontains=word)
                | Q(postal_code__istartswith=word)
            )
        return matches.order_by("name", "id")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def for_email(self, email: str):
        return self.annotate(email_lower=Lower("email")).filter(email_lower=email.strip().lower())

    def receiving(self):
        """Pending or confirmed: what an unsubscribe link can still stop."""
        return self.filter(status__in=[self.model.Status.PENDING, self.model.Status.ACTIVE])

    def stopped_by_link(self, subscription, *, all_digests: bool):
        """What an unsubscribe link stops: its subscription and, for a digest's link, every digest of the address."""
        targets = Q(pk=subscription.pk)
        if all_digests:
            targets |= Q(pk__in=self.model.objects.for_email(subscription.email).digest().values("pk"))
        return self.receiving().filter(targets)

    def immediate(self):
        return self.filter(delivery=self.model.Frequency.IMMEDIATE)

    def digest(self):
        return self.filter(delivery=self.model.Frequency.DIGEST)

    def audience_for(self, alert):
        """Confirmed subscriptions of the alert's school that follow its scope: the one place the
        grade-following rule is written, for the fan-out and the digests alike.

        A subscriber who gave a grade hears about the whole school and their grade; a classroom
        alert goes to everyone at the school (the classroom label is not tied to a grade).
        """
        audience = self.active().filter(school_id=alert.school_id)
        if alert.scope == alert.Scope.GRADE:
            audience = audience.filter(Q(grade="") | Q(grade=alert.scope_label))
        return audience

    def receiving_pairs(self, alerts) -> set[tuple[int, int]]:
        """(subscription id, alert id) for each of `alerts` that each of these subscriptions receives
        (`audience_for`), in one query."""
        audiences = [
            self.audience_for(alert)
            .order_by()
            .annotate(alert_pk=Value(alert.pk, output_field=IntegerField()))
            .values_list("pk", "alert_pk")
            for alert in alerts
        ]
        if not audiences:
            return set()
        return set(audiences[0].union(*audiences[1:], all=True))

    def for_account_page(self):
        return self.select_related("school").order_by("school__name", "id")


class SchoolContactQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=self.model.Status.VERIFIED)

    def is_verified(self, *, user, school) -> bool:
        return user.is_authenticated and self.verified().filter(user=user, school=school).exists()


class ExposureReportQuerySet(models.QuerySet):
    def awaiting_review(self):
        """The moderation queue's reads: oldest first, with what a moderator needs on one line."""
        return (
            self.filter(status=self.model.Status.PENDING)
            .select_related("school", "reporter")
            .order_by("created_at", "id")
        )

    def needing_contact_notice(self, *, older_than: datetime.timedelta):
        return self.filter(contacts_notified_at__isnull=True, created_at__lt=timezone.now() - older_than)


class AlertQuerySet(models.QuerySet):
    def needing_plan(self, *, older_than: datetime.timedelta):
        return self.filter(planned_at__isnull=True, created_at__lt=timezone.now() - older_than)

    def with_delivery_counts(self):
        from alerts.models import SendStatus as Status

        def count(status):
            return Count("deliveries", filter=Q(deliveries__status=status))

        return self.annotate(
            sent_count=count(Status.SENT),
            failed_count=count(Status.FAILED),
            suppressed_count=count(Status.SUPPRESSED),
            pending_count=count(Status.PENDING),
        )

    def for_audit(self):
        """Alerts with their reports (reporter, reviewer) and delivery counts, in a fixed number of queries."""
        from alerts.models import ExposureReport

        return (
            self.with_delivery_counts()
            .select_related("school")
            .prefetch_related(
                models.Prefetch(
                    "reports",
                    queryset=ExposureReport.objects.select_related("reporter", "reviewed_by").order_by("created_at"),
                )
            )
            .order_by("-created_at", "-id")
        )

    def weekly_counts(self):
        """Reports per school and ISO week — never dates, never anything below the school."""
        return (
            self.values("school__name", "school__slug", "iso_year", "iso_week")
            .annotate(reports=Sum("report_count"))
            .order_by("-iso_year", "-iso_week", "school__name")
        )

    def sendable(self):
        """Alerts that go out by email: a school that asked for confirmed cases only gets no suspected ones."""
        return self.exclude(kind=self.model.Kind.SUSPECTED, school__confirmed_cases_only=True)

    def published_between(self, start: datetime.datetime, end: datetime.datetime):
        return self.filter(created_at__gte=start, created_at__lt=end)


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=self.model.Status.PENDING)

    def stale(self, *, older_than: datetime.timedelta):
        return self.pending().filter(updated_at__lt=timezone.now() - older_than)


class DigestQuerySet(DeliveryQuerySet):
    pass
