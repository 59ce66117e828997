"""Public pages (weekly counts only), the feed, the audit page, and their fixed query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Delivery
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory
from tests.factories import UserFactory
from tests.support.queries import assert_fixed_queries, count_queries

pytestmark = pytest.mark.django_db


def publish_weeks(school, weeks: int, moderator):
    """One approved report per past week at `school` (each week becomes its own alert)."""
    today = timezone.localdate()
    for week in range(weeks):
        start = today - datetime.timedelta(days=7 * week + 3)
        report = ExposureReportFactory(
            school=school,
            window_start=start,
            window_end=start + datetime.timedelta(days=1),
            scope="grade",
            scope_label="3",
        )
        services.approve_report(report=report, moderator=moderator)


# The user with their roles and the header's unread count (one query), then the rest.
# + authenticator (two-factor), the header's queue count, count, alerts with delivery counts, their reports
AUDIT_QUERIES = 6
MY_ALERTS_QUERIES = 3  # + subscriptions, contacts
ANONYMOUS_PAGES = ["/alerts/", "/alerts/schools/{slug}/", "/alerts/schools/{slug}/feed/", "/"]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_anonymous_alert_pages_set_no_cookie(client, url, moderator):
    school = SchoolFactory()
    publish_weeks(school, 2, moderator)
    response = client.get(url.format(slug=school.slug))
    assert response.status_code == 200
    assert not response.cookies


def test_public_pages_show_weekly_counts_per_school_only(client, moderator):
    school = SchoolFactory(name="Maplewood Elementary")
    publish_weeks(school, 3, moderator)
    # Pending (never public), and from a Wednesday: its exact date differs from any week's Monday.
    wednesday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 5)
    report = ExposureReportFactory(school=school, window_start=wednesday, window_end=wednesday)
    for url in ("/alerts/", f"/alerts/schools/{school.slug}/", f"/alerts/schools/{school.slug}/feed/"):
        html = client.get(url).content.decode()
        assert "Maplewood Elementary" in html
        assert re.search(r"[Ww]eek of \d{1,2} [A-Z][a-z]+ \d{4}", html)  # as people say it, not "2026-W48"
        assert not re.search(r"\d{4}-W\d{2}", html)
        assert report.window_start.isoformat() not in html
        assert report.window_start.strftime("%-d %B") not in html
        assert "Grade 3" not in html  # the alerts' scope stays in the emails


def test_school_page_has_one_h1_return_rule_and_subscribe_link(client):
    school = SchoolFactory(name="Lakeside Primary", return_rule="12h")
    html = client.get(school.get_absolute_url()).content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "12 hours on antibiotics and fever-free" in html
    assert f'href="/alerts/subscribe/?school={school.slug}"' in html


def test_unknown_school_is_a_404(client):
    assert client.get("/alerts/schools/no-such-school/").status_code == 404
    assert client.get("/alerts/schools/no-such-school/feed/").status_code == 404


def test_home_page_offers_sign_up_with_a_get_form(client):
    html = client.get("/").content.decode()
    assert 'action="/alerts/subscribe/"' in html and 'name="school_q"' in html
    section = html.split("Strep-exposure alerts", 1)[1].split("</section>", 1)[0]
    assert "csrfmiddlewaretoken" not in section


def test_subscribe_link_from_home_search_lists_matches(client):
    SchoolFactory(name="Lakeside Primary", slug="lakeside-primary")
    SchoolFactory(name="Cedar Hill", slug="cedar-hill")
    html = client.get("/alerts/subscribe/", {"school_q": "lakeside"}).content.decode()
    assert '<option value="lakeside-primary">' in html and "cedar-hill" not in html


def test_index_query_count_is_fixed(client, moderator):
    few, many = SchoolFactory(), SchoolFactory()
    publish_weeks(few, 1, moderator)
    one_week = count_queries(client, "/alerts/")
    for _ in range(5):
        publish_weeks(SchoolFactory(), 3, moderator)
    publish_weeks(many, 6, moderator)
    assert (one_week, count_queries(client, "/alerts/")) == (1, 1)
    assert_fixed_queries(client, f"/alerts/?school_q={few.name}", "/alerts/?school_q=Oakridge", 2)


def test_school_page_and_feed_query_counts_are_fixed(client, moderator):
    small, large = SchoolFactory(), SchoolFactory()
    publish_weeks(small, 1, moderator)
    publish_weeks(large, 12, moderator)
    assert_fixed_queries(client, small.get_absolute_url(), large.get_absolute_url(), 3)
    assert_fixed_queries(client, f"{small.get_absolute_url()}feed/", f"{large.get_absolute_url()}feed/", 2)


def test_audit_shows_reporter_approver_audience_and_counts_to_moderators_only(client, moderator, mail_server):
    school = SchoolFactory()
    SubscriptionFactory.create_batch(2, school=school)
    mail_server.refuse("bounce@example.net", code=550)
    SubscriptionFactory(school=school, email="bounce@example.net")
    reporter = UserFactory(display_name="Careful Reporter")
    alert = services.approve_report(report=ExposureReportFactory(school=school, reporter=reporter), moderator=moderator)
    for batch in services.plan_alert(alert_id=alert.pk):
        services.send_deliveries(delivery_ids=batch)
    assert Delivery.objects.filter(status="sent").count() == 2

    client.force_login(UserFactory())
    assert client.get("/alerts/audit/").status_code == 403
    client.force_login(moderator)
    html = client.get("/alerts/audit/").content.decode()
    assert "by Careful Reporter" in html and "approved by Harbor Moderator" in html
    cells = re.findall(r"<td>(\d+)</td>", html)
    assert cells == ["3", "2", "0", "1", "0"]  # audience, sent, failed, suppressed, pending


def test_audit_query_count_is_fixed(client, moderator):
    services.approve_report(report=ExposureReportFactory(), moderator=moderator)
    client.force_login(moderator)
    small = count_queries(client, "/alerts/audit/")
    for _ in range(6):
        services.approve_report(report=ExposureReportFactory(), moderator=moderator)
    assert (small, count_queries(client, "/alerts/audit/")) == (AUDIT_QUERIES, AUDIT_QUERIES)


def test_my_alerts_query_count_is_fixed(client):
    member = UserFactory(email="member@example.org")
    client.force_login(member)
    SubscriptionFactory(email="member@example.org")
    small = count_queries(client, "/alerts/my/")
    SubscriptionFactory.create_batch(5, email="member@example.org")
    assert (small, count_queries(client, "/alerts/my/")) == (MY_ALERTS_QUERIES, MY_ALERTS_QUERIES)


def test_feed_is_atom_with_weekly_entries(client, moderator):
    school = SchoolFactory(name="Maplewood")
    publish_weeks(school, 2, moderator)
    response = client.get(f"/alerts/schools/{school.slug}/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 2 and "Strep-exposure alerts: Maplewood" in body


def test_sitemap_lists_schools(client):
    school = SchoolFactory()
    assert school.get_absolute_url().encode() in client.get("/sitemap.xml").content
    assert reverse("alerts:index").encode() in client.get("/sitemap.xml").content


def test_site_search_finds_schools_and_escapes_their_names(client):
    SchoolFactory(name="Lakeside <b>Primary</b>", city="Harbor Point")
    html = client.get("/search/", {"q": "lakeside"}).content.decode()
    assert "Schools with strep-exposure alerts" in html
    assert "Lakeside &lt;b&gt;Primary&lt;/b&gt;" in html and "<b>Primary</b>" not in html
