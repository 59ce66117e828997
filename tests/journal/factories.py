"""Journal objects for tests, made through the services (so they are encrypted as in production)."""

import datetime

from django.utils import timezone

from journal import services
from journal.models import Caregiver, CheckIn, Child
from tests.factories import UserFactory


def child(*, owner=None, label="Our eldest", **fields) -> Child:
    owner = owner or UserFactory()
    return services.add_child(user=owner, label=label, **fields)


def add_caregiver(child: Child, user=None, role=Caregiver.Role.CAN_LOG):
    user = user or UserFactory()
    Caregiver.objects.create(child=child, user=user, role=role)
    return user


def owner_of(child: Child):
    return Caregiver.objects.get(child=child, role=Caregiver.Role.OWNER).user


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def check_in(child: Child, *, days_back=0, ratings=None, note="", by=None) -> CheckIn:
    return services.save_check_in(
        user=by or owner_of(child),
        child=child,
        date=days_ago(days_back),
        ratings=ratings if ratings is not None else {"ocd": 6, "anxiety": 4, "overall": 5},
        note=note,
    )[0]


def many_check_ins(child: Child, count: int, *, seed: int = 0) -> None:
    """`count` daily check-ins ending today, written in one go (tests of long journals)."""
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                child=child,
                date=today - datetime.timedelta(days=day),
                ratings={"ocd": (day + seed) % 11, "anxiety": (day * 3) % 11, "overall": (day * 7) % 11},
                note=f"Day {day}" if day % 10 == 0 else "",
            )
            for day in range(count)
        ]
    )
