"""The timeline: symptom groups over time with infections, exposures and treatments; a table and a summary."""

import datetime

import pytest
from django.urls import reverse

from journal import services, timeline
from journal.models import Event
from tests.alerts.factories import SchoolFactory
from tests.factories import UserFactory
from tests.journal import factories
from tests.support.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


def a_month(child):
    owner = factories.owner_of(child)
    for days_back, ocd in ((20, 2), (10, 8), (1, 4)):
        factories.check_in(child, days_back=days_back, ratings={"ocd": ocd, "overall": ocd - 1})
    services.add_event(
        user=owner, child=child, category="infection", date=factories.days_ago(12),
        details={"kind": "strep_throat", "test": "rapid", "result": "positive"},
    )  # fmt: skip
    services.add_event(
        user=owner, child=child, category="treatment", date=factories.days_ago(11), end_date=factories.days_ago(2),
        details={"kind": "antibiotic", "name": "Amoxicillin"},
    )  # fmt: skip
    Event.objects.create(
        child=child, category="exposure", date=factories.days_ago(14),
        details={"school_name": "Maplewood", "grade": "2", "week_of": str(factories.days_ago(14)), "status": "pending"},
    )  # fmt: skip


def test_the_timeline_draws_each_rated_group_and_marks_infections_exposures_and_treatments(client):
    child = factories.child()
    a_month(child)
    client.force_login(factories.owner_of(child))

    html = client.get(reverse("journal:timeline", args=[child.pk])).content.decode()

    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert ">OCD (obsessions, compulsions)</text>" in svg and ">Overall</text>" in svg and ">Anxiety</text>" not in svg
    assert svg.count("<polyline") == 2
    assert "<title>Strep throat," in svg and "<title>Antibiotic course: Amoxicillin, from" in svg
    assert "<title>Strep reported at Maplewood, Grade 2" in svg
    # The same figures for screen readers: a table and a summary in words.
    table = html.split('data-testid="timeline-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1 + 6  # header, three check-ins, and the first days of the three events
    assert "Strep throat" in table and "Antibiotic course: Amoxicillin" in table
    summary = html.split('data-testid="timeline-summary"', 1)[1].split("</ul>", 1)[0]
    assert "3 check-ins, 1 infection, 1 exposure at school, 1 treatment and 0 appointments" in summary
    assert f"highest 8 on {factories.days_ago(10):%-d %B %Y}" in summary


def test_the_filters_choose_the_groups_and_the_period(client):
    child = factories.child()
    a_month(child)
    factories.check_in(child, days_back=200, ratings={"anxiety": 9})
    client.force_login(factories.owner_of(child))
    page = reverse("journal:timeline", args=[child.pk])

    only_overall = client.get(page + "?period=30&groups=overall").content.decode()
    everything = client.get(page + "?period=all").content.decode()

    assert ">Overall</text>" in only_overall and ">OCD (obsessions, compulsions)</text>" not in only_overall
    assert 'value="overall" id="id_groups_10" checked' in only_overall.replace('name="groups" ', "")
    assert ">Anxiety</text>" in everything and "Weekly averages" in everything


def test_long_periods_are_drawn_by_week():
    child = factories.child()
    factories.many_check_ins(child, 400)

    chart = timeline.build(child, period="all")

    assert chart.weekly and 57 <= len(chart.rows) <= 59
    assert all(row["date"].weekday() == 0 for row in chart.rows)
    # The words say so too, for those who read the summary rather than the chart.
    assert f"each week's average rating ({len(chart.rows)} weeks), not each day" in chart.summary[1]
    assert not any("week's average" in line for line in timeline.build(child, period="90").summary)


def test_dismissed_exposures_are_left_off_the_timeline():
    child = factories.child()
    Event.objects.create(child=child, category="exposure", date=factories.days_ago(3), details={"status": "dismissed"})

    assert timeline.build(child).marks == []


def test_a_journal_with_nothing_yet_says_so(client):
    child = factories.child()
    client.force_login(factories.owner_of(child))

    html = client.get(reverse("journal:timeline", args=[child.pk])).content.decode()

    assert "Nothing in this period yet" in html and "<svg" not in html.split("<main", 1)[1]


def test_the_timeline_costs_the_same_queries_for_ten_or_eleven_hundred_check_ins(client):
    parent = UserFactory()
    small, large = factories.child(owner=parent), factories.child(owner=parent)
    factories.many_check_ins(small, 10)
    factories.many_check_ins(large, 1100)
    school = SchoolFactory()
    for child, count in ((small, 3), (large, 300)):
        Event.objects.bulk_create(
            Event(
                child=child,
                category=("infection", "treatment", "exposure")[n % 3],
                date=factories.days_ago(n * 3),
                end_date=factories.days_ago(n * 3 - 2) if n % 3 == 1 else None,
                details={"kind": "strep_throat", "school_name": school.name, "status": "confirmed"},
            )
            for n in range(count)
        )
    client.force_login(parent)
    small_url = reverse("journal:timeline", args=[small.pk]) + "?period=all"
    large_url = reverse("journal:timeline", args=[large.pk]) + "?period=all"

    # The first read after a write builds each child's digest (journal/series.py): the version, the
    # check-ins, the events and the upsert. Later reads take the one digest.
    assert_fixed_queries(client, small_url, large_url, 7)
    assert_fixed_queries(client, small_url, large_url, 3)


def test_a_stranger_gets_no_timeline(client):
    child = factories.child()
    client.force_login(UserFactory())
    assert client.get(reverse("journal:timeline", args=[child.pk])).status_code == 404


def test_the_ticks_and_the_scale_stay_inside_the_chart():
    child = factories.child()
    factories.many_check_ins(child, 90)

    chart = timeline.build(child, period="90", today=datetime.date.today())

    xs = [float(point.split(",")[0]) for strip in chart.strips for point in strip.points.split()]
    assert min(xs) >= timeline.LEFT and max(xs) <= timeline.WIDTH - timeline.RIGHT
    assert all(timeline.LEFT <= x <= timeline.WIDTH for x, _ in chart.ticks)


def test_a_parents_words_in_the_chart_and_the_table_are_escaped(client):
    # The marks and the table's rows are written in Python (journal/timeline.py, journal_tags): escaped all the same.
    child = factories.child()
    owner = factories.owner_of(child)
    factories.check_in(child, days_back=3)
    for category, details in (
        ("treatment", {"kind": "other", "name": "<script>alert(1)</script>"}),
        ("appointment", {"with": '"><img src=x onerror=alert(2)>'}),
    ):
        services.add_event(user=owner, child=child, category=category, date=factories.days_ago(3), details=details)
    client.force_login(owner)

    html = client.get(reverse("journal:timeline", args=[child.pk])).content.decode()

    assert "<script>alert(1)" not in html and "<img src=x" not in html
    chart, table = html.split("</svg>")[0], html.split("<tbody>")[1]
    for part in (chart, table):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in part and "&quot;&gt;&lt;img src=x" in part
