"""The timeline's digest (journal/series.py): one token to decrypt, and never stale whatever writes the journal."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from journal import crypto, series, services
from journal.models import CheckIn, Child, Event, SeriesDigest
from tests.journal import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def decryptions(monkeypatch):
    """How many tokens are decrypted, counted as they are."""
    calls = []
    real = crypto.decrypt

    def counting(token):
        calls.append(token)
        return real(token)

    monkeypatch.setattr(crypto, "decrypt", counting)
    return calls


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def a_journal(days=40, events=12) -> Child:
    child = factories.child()
    factories.many_check_ins(child, days)
    owner = factories.owner_of(child)
    for n in range(events):
        services.add_event(
            user=owner, child=child, category="infection", date=factories.days_ago(n * 3), details={"kind": "flu"}
        )
    return Child.objects.get(pk=child.pk)


def test_a_current_digest_is_one_token_to_decrypt_with_the_same_values_as_the_rows(decryptions):
    child = a_journal()
    built = series.series_of(child)
    decryptions.clear()

    read = series.series_of(child)

    assert len(decryptions) == 1
    assert read == built
    assert read == (
        CheckIn.objects.filter(child=child).ratings_by_day(),
        Event.objects.filter(child=child).facts_in_order(),
    )
    assert len(read[0]) == 40 and len(read[1]) == 12


def test_every_way_of_writing_a_check_in_or_an_event_makes_the_digest_stale():
    child = a_journal(days=5, events=2)
    owner = factories.owner_of(child)
    event = Event.objects.filter(child=child).first()
    writes = [
        lambda: factories.check_in(child, days_back=30, ratings={"tics": 3}),  # a service
        lambda: services.save_check_in(user=owner, child=child, date=factories.days_ago(30), ratings={"tics": 9}),
        lambda: services.delete_check_in(user=owner, child=child, date=factories.days_ago(30)),
        lambda: services.add_event(
            user=owner, child=child, category="appointment", date=factories.days_ago(1), details={"with": "Dr Rivera"}
        ),
        lambda: services.delete_event(user=owner, child=child, event_id=event.pk),
        lambda: CheckIn.objects.bulk_create(  # a bulk insert
            CheckIn(child=child, date=factories.days_ago(100 + n), ratings={"ocd": n}) for n in range(3)
        ),
        lambda: CheckIn.objects.filter(child=child).update(ratings={"ocd": 1}),  # a queryset update
        lambda: raw_sql("DELETE FROM journal_checkin WHERE child_id = %s", [child.pk]),
    ]
    for write in writes:
        series.series_of(Child.objects.get(pk=child.pk))
        version = SeriesDigest.objects.get(child=child).version
        write()
        fresh = Child.objects.get(pk=child.pk)
        # Gone with the write (nothing deleted lingers in it), and the child's version moved on.
        assert not SeriesDigest.objects.filter(child=child).exists() and fresh.series_version > version
        assert series.series_of(fresh) == (
            CheckIn.objects.filter(child=child).ratings_by_day(),
            Event.objects.filter(child=child).facts_in_order(),
        )


def test_a_digest_built_from_rows_read_before_a_write_is_not_used(decryptions):
    # A read that raced a write: it read the version, then the rows, while the write committed, and
    # stored its digest after the write's trigger had run. Its older version gives it away.
    child = a_journal(days=3, events=0)
    series.series_of(child)
    factories.check_in(child, days_back=10, ratings={"tics": 4})
    fresh = Child.objects.get(pk=child.pk)
    SeriesDigest.objects.create(child=fresh, version=fresh.series_version - 1, series={"check_ins": [], "events": []})

    check_ins, _ = series.series_of(fresh)

    assert len(check_ins) == 4 and check_ins[0].ratings == {"tics": 4}
    assert SeriesDigest.objects.get(child=child).version == fresh.series_version


def test_a_child_saved_from_an_instance_loaded_earlier_does_not_put_its_version_back():
    child = a_journal(days=3, events=0)
    earlier = Child.objects.get(pk=child.pk)
    factories.check_in(child, days_back=10)
    series.series_of(Child.objects.get(pk=child.pk))  # the digest with the new check-in
    current = Child.objects.get(pk=child.pk).series_version

    earlier.label = "Renamed"
    earlier.save()  # every field, the old series_version among them

    assert Child.objects.get(pk=child.pk).series_version == current
    factories.check_in(child, days_back=11)  # one more: the digest must not pass for current again
    assert len(series.series_of(Child.objects.get(pk=child.pk))[0]) == 5


def test_the_timeline_shows_a_check_in_saved_after_it_was_last_read(client):
    child = factories.child()
    owner = factories.owner_of(child)
    factories.check_in(child, days_back=2, ratings={"tics": 2})
    client.force_login(owner)
    page = reverse("journal:timeline", args=[child.pk])
    assert ">Tics</text>" in client.get(page).content.decode()

    day = factories.days_ago(1)
    client.post(reverse("journal:check_in", args=[child.pk]), {"date": day.isoformat(), "sleep_urinary": "7"})

    html = client.get(page).content.decode()
    assert ">Sleep or urinary symptoms</text>" in html and f"{day:%-d %B %Y}" in html


def test_the_digest_goes_with_the_child():
    child = a_journal(days=3, events=1)
    series.series_of(child)

    Child.objects.filter(pk=child.pk).delete()

    assert not SeriesDigest.objects.exists()


def test_a_digest_read_back_keeps_dates_and_missing_end_dates():
    child = factories.child()
    owner = factories.owner_of(child)
    services.add_event(
        user=owner, child=child, category="treatment", date=factories.days_ago(9), end_date=factories.days_ago(2),
        details={"kind": "antibiotic"},
    )  # fmt: skip
    services.add_event(user=owner, child=child, category="infection", date=factories.days_ago(8), details={})
    series.series_of(child)

    _, events = series.series_of(Child.objects.get(pk=child.pk))

    assert [(e.date, e.end_date) for e in events] == [
        (factories.days_ago(9), factories.days_ago(2)),
        (factories.days_ago(8), None),
    ]
    assert all(isinstance(e.date, datetime.date) for e in events)
