"""The journal's pages: a child's caregivers use them; to anyone else, staff included, they are not there."""

import logging

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.roles import Role
from journal.models import Caregiver, CheckIn, Child, ChildSchool, Event
from tests.alerts.factories import SchoolFactory
from tests.factories import ModeratorFactory, UserFactory
from tests.journal import factories
from tests.support.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(client):
    """A parent, logged in, with one child."""
    child = factories.child(label="Our eldest")
    client.force_login(factories.owner_of(child))
    return child


def url(name, child, *args):
    return reverse(f"journal:{name}", args=[child.pk, *args])


# --- Children ------------------------------------------------------------------------------------


def test_the_home_lists_my_children_and_not_anyone_elses(client, journal):
    factories.child(label="Somebody else's child")

    html = client.get(reverse("journal:home")).content.decode()

    assert "Our eldest" in html and "Somebody else" not in html
    assert "Today&#x27;s check-in" in html or "Today's check-in" in html


def test_a_parent_adds_a_child_with_a_school_and_grade(client):
    parent = UserFactory()
    client.force_login(parent)
    school = SchoolFactory(name="Maplewood Elementary")

    response = client.post(
        reverse("journal:add_child"),
        {
            "label": "Our youngest",
            "age_band": "5-8",
            "onset_date": "2025-10-01",
            "place-school": school.slug,
            "place-grade": "2",
        },
    )

    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == url("child", child)
    assert child.label == "Our youngest" and str(child.onset_date) == "2025-10-01"
    assert Caregiver.objects.get(child=child).user == parent
    assert ChildSchool.objects.get(child=child).placement == {"school": school.pk, "grade": "2"}
    page = client.get(url("child", child)).content.decode()
    assert "Maplewood Elementary" in page and "Grade 2" in page


def test_a_child_form_with_a_problem_keeps_everything_typed(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("journal:add_child"), {"label": "", "birth_year": "1890", "onset_date": "2025-10-01"}
    )

    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-summary"' in html
    assert 'value="1890"' in html and 'value="2025-10-01"' in html
    assert not Child.objects.exists()


def test_the_owner_adds_and_removes_a_school(client, journal):
    school = SchoolFactory(name="Lincoln Middle")

    client.post(url("add_school", journal), {"school": school.slug, "grade": "7"})
    placement = ChildSchool.objects.get(child=journal)
    assert placement.grade == "7" and "Lincoln Middle" in client.get(url("edit_child", journal)).content.decode()

    client.post(url("remove_school", journal, placement.pk))
    assert not ChildSchool.objects.filter(child=journal).exists()


# --- Check-ins -----------------------------------------------------------------------------------


def test_the_check_in_form_has_every_group_with_the_portals_words_and_says_it_is_not_validated(client, journal):
    html = client.get(url("check_in", journal)).content.decode()

    for group in ("OCD", "Food restriction", "Anxiety", "Mood swings or depression", "Irritability or aggression",
                  "Behavioural regression", "School performance", "Sensory or motor problems",
                  "Sleep or urinary symptoms", "Tics", "Overall"):  # fmt: skip
        assert f"<legend>{group}" in html, group
    assert "not a validated clinical scale" in html
    assert "None: not there at all" in html and "The worst it has been" in html
    assert html.count('type="radio"') == 11 * 12  # 0 to 10, and "not rated"


def test_a_check_in_is_saved_then_the_same_day_is_updated_not_doubled(client, journal):
    today = factories.days_ago(0).isoformat()

    client.post(url("check_in", journal), {"date": today, "ocd": "7", "tics": "2", "note": "Rough morning"})
    response = client.post(url("check_in", journal), {"date": today, "ocd": "4", "note": "Better by noon"})

    check_in = CheckIn.objects.get(child=journal)
    assert response.status_code == 302
    assert check_in.ratings == {"ocd": 4} and check_in.note == "Better by noon"


def test_an_earlier_day_can_be_added_and_reopened_with_its_ratings(client, journal):
    earlier = factories.days_ago(12).isoformat()
    client.post(url("check_in", journal), {"date": earlier, "anxiety": "8", "note": "School refusal"})

    html = client.get(url("check_in", journal) + f"?day-date={earlier}").content.decode()

    assert CheckIn.objects.get(child=journal).date.isoformat() == earlier
    assert 'name="anxiety" value="8" id="id_anxiety_9" checked' in html.replace("required ", "")
    assert "School refusal" in html and "Already saved for this day" in html


def test_a_future_check_in_is_refused_and_keeps_the_ratings(client, journal):
    future = factories.days_ago(-3).isoformat()

    response = client.post(url("check_in", journal), {"date": future, "ocd": "5", "note": "Typed carefully"})

    html = response.content.decode()
    assert response.status_code == 200 and "cannot be for a day in the future" in html
    assert 'value="5" id="id_ocd_6" checked' in html and "Typed carefully" in html
    assert not CheckIn.objects.exists()


def test_an_empty_check_in_asks_for_something(client, journal):
    response = client.post(url("check_in", journal), {"date": factories.days_ago(0).isoformat()})

    assert "Rate at least one group, or write a note." in response.content.decode()


def test_nothing_a_parent_writes_reaches_the_log(client, journal, caplog):
    caplog.set_level(logging.DEBUG)

    client.post(
        url("check_in", journal), {"date": factories.days_ago(0).isoformat(), "ocd": "9", "note": "Secret words"}
    )
    client.post(url("add_event", journal, "treatment"), {"kind": "ssri", "name": "Sertraline", "date": "2025-01-02"})

    assert "Secret words" not in caplog.text and "Sertraline" not in caplog.text and "Our eldest" not in caplog.text


# --- Events --------------------------------------------------------------------------------------


def test_infections_treatments_and_appointments_are_added_and_listed(client, journal):
    client.post(
        url("add_event", journal, "infection"),
        {"kind": "strep_throat", "date": factories.days_ago(20).isoformat(), "test": "culture", "result": "positive"},
    )
    client.post(
        url("add_event", journal, "treatment"),
        {
            "kind": "antibiotic",
            "name": "Amoxicillin",
            "date": factories.days_ago(19).isoformat(),
            "end_date": factories.days_ago(9).isoformat(),
            "dose": "500 mg twice a day",
        },
    )
    client.post(
        url("add_event", journal, "appointment"),
        {"date": factories.days_ago(-5).isoformat(), "with_whom": "PANS clinic"},
    )

    html = client.get(url("events", journal)).content.decode()

    assert Event.objects.filter(child=journal).count() == 3
    assert "Strep throat" in html and "Throat culture" in html and "Positive" in html
    assert "Antibiotic course: Amoxicillin" in html and "500 mg twice a day" in html
    assert "Appointment: PANS clinic" in html  # an appointment may be ahead


def test_a_treatment_ending_before_it_starts_is_refused_with_its_input(client, journal):
    response = client.post(
        url("add_event", journal, "treatment"),
        {"kind": "steroid", "date": factories.days_ago(2).isoformat(), "end_date": factories.days_ago(5).isoformat()},
    )

    assert "on or after the first day" in response.content.decode() and not Event.objects.exists()


def test_an_unknown_kind_of_event_is_not_found(client, journal):
    assert client.get(url("add_event", journal, "exposure")).status_code == 404


def test_an_event_is_deleted(client, journal):
    client.post(url("add_event", journal, "appointment"), {"date": factories.days_ago(1).isoformat()})
    event = Event.objects.get()

    client.post(url("delete_event", journal, event.pk))

    assert not Event.objects.exists()


# --- Who may see what ----------------------------------------------------------------------------


def child_pages(child) -> list[str]:
    return [url(name, child) for name in ("child", "edit_child", "check_in", "events")] + [
        url("add_event", child, "infection")
    ]


@pytest.mark.parametrize(
    "stranger",
    [
        lambda: UserFactory(),
        lambda: ModeratorFactory(),
        lambda: UserFactory(roles=[Role.EDITOR], is_staff=True),
        lambda: UserFactory(is_staff=True, is_superuser=True),
    ],
    ids=["member", "moderator", "editor", "superuser"],
)
def test_anyone_but_a_caregiver_finds_no_child_there(client, stranger):
    child = factories.child()
    factories.check_in(child, note="Private")
    client.force_login(stranger())

    for page in child_pages(child):
        assert client.get(page).status_code == 404, page
    assert (
        client.post(url("check_in", child), {"date": factories.days_ago(0).isoformat(), "ocd": "1"}).status_code == 404
    )
    assert CheckIn.objects.get(child=child).ratings != {"ocd": 1}


def test_a_caregiver_who_may_view_reads_but_cannot_log(client):
    child = factories.child()
    viewer = factories.add_caregiver(child, role=Caregiver.Role.CAN_VIEW)
    client.force_login(viewer)

    assert client.get(url("child", child)).status_code == 200
    assert client.get(url("events", child)).status_code == 200
    assert client.get(url("check_in", child)).status_code == 403
    assert client.get(url("edit_child", child)).status_code == 403


def test_a_second_caregiver_logs_a_check_in(client):
    child = factories.child()
    co_parent = factories.add_caregiver(child, role=Caregiver.Role.CAN_LOG)
    client.force_login(co_parent)

    client.post(url("check_in", child), {"date": factories.days_ago(0).isoformat(), "overall": "3"})

    check_in = CheckIn.objects.get(child=child)
    assert check_in.logged_by == co_parent and check_in.ratings == {"overall": 3}
    assert client.get(url("edit_child", child)).status_code == 403  # the owner manages the child


def test_visitors_are_sent_to_log_in(client):
    child = factories.child()
    response = client.get(url("child", child))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_journal_pages_are_never_stored_by_browsers_or_proxies(client, journal):
    for page in [reverse("journal:home"), *child_pages(journal)]:
        cache_control = client.get(page)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, page


def test_the_journal_is_not_in_the_admin_the_sitemap_or_search(client, journal):
    factories.check_in(journal, note="Zebrafinch remark")
    assert not [model for model in admin.site._registry if model._meta.app_label == "journal"]
    assert "/journal/" not in client.get(reverse("sitemap")).content.decode()
    assert "Zebrafinch remark" not in client.get(reverse("search") + "?q=Zebrafinch").content.decode()


# --- Fixed cost ----------------------------------------------------------------------------------


def test_the_child_page_and_the_events_cost_the_same_queries_for_a_short_or_a_long_journal(client):
    parent = UserFactory()
    small, large = factories.child(owner=parent), factories.child(owner=parent)
    factories.many_check_ins(small, 10)
    factories.many_check_ins(large, 1100)
    for child, count in ((small, 2), (large, 60)):
        for day in range(count):
            factories.services.add_event(
                user=parent, child=child, category="appointment", date=factories.days_ago(day), details={"with": "GP"}
            )
    client.force_login(parent)

    assert_fixed_queries(client, url("child", small), url("child", large), 5)
    assert_fixed_queries(client, url("events", small), url("events", large), 3)
    assert_fixed_queries(client, url("check_in", small), url("check_in", large), 3)


def test_the_journal_home_costs_the_same_for_one_child_or_five(client):
    one, five = UserFactory(), UserFactory()
    factories.child(owner=one)
    for _ in range(5):
        factories.many_check_ins(factories.child(owner=five), 20)
    client.force_login(one)
    from tests.support.queries import count_queries

    small = count_queries(client, reverse("journal:home"))
    client.force_login(five)
    assert count_queries(client, reverse("journal:home")) == small == 3


def test_robots_are_kept_out_of_the_journal(client):
    assert "Disallow: /journal/" in client.get("/robots.txt").content.decode()


def test_the_privacy_page_says_what_the_journal_stores_encrypts_and_who_sees_it(client):
    html = client.get(reverse("privacy")).content.decode()
    section = " ".join(html.split('id="privacy-journal"', 1)[1].split("</section>", 1)[0].split())

    assert "the label you choose (never a name)" in section
    assert "Each of those values is encrypted before it is written to the database" in section
    assert "the day of each check-in (one per day)" in section and "keyed hash" in section
    assert "Moderators, editors and administrators cannot see it" in section
    assert "alerts and their subscribers learn nothing about the children in journals" in section


def test_the_onset_checklist_article_points_to_the_journal():
    from articles.seed import CONTENT_DIR, parse

    _, body = parse(CONTENT_DIR / "getting-evaluated-timeline-and-checklist.md")

    assert body.count("](/journal/)") == 2
