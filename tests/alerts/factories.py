import datetime

import factory
from django.utils import timezone

from alerts.models import ExposureReport, School, SchoolContact, Subscription


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Oakridge School {n}")
    slug = factory.Sequence(lambda n: f"oakridge-school-{n}")
    city = "Riverbend"
    region = "OR"
    district = "Riverbend Unified"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed (active) subscription unless told otherwise."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"subscriber{n}@example.net")
    school = factory.SubFactory(SchoolFactory)
    status = Subscription.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmed_ip = "127.0.0.1"
    confirmation_requested_at = factory.LazyFunction(timezone.now)


class SchoolContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolContact

    user = factory.SubFactory("tests.factories.UserFactory")
    school = factory.SubFactory(SchoolFactory)
    role_at_school = "School nurse"
    status = SchoolContact.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


def last_week() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=3), today - datetime.timedelta(days=1)


class ExposureReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExposureReport

    school = factory.SubFactory(SchoolFactory)
    kind = "strep"
    window_start = factory.LazyFunction(lambda: last_week()[0])
    window_end = factory.LazyFunction(lambda: last_week()[1])
    reporter = factory.SubFactory("tests.factories.UserFactory")
