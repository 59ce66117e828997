"""From the journal to a community story: figures the parent may choose to share, and nothing shared by default."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from community.models import Post, Story
from journal import services, story_figures
from journal.models import CheckIn
from tests.factories import ModeratorFactory, UserFactory
from tests.journal import factories
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db
START_DAYS_BACK = 200


def ratings(child, by_offset: dict[int, int]) -> datetime.date:
    """Check-ins with an overall rating at days offset from the treatment start; returns the start."""
    start = factories.days_ago(START_DAYS_BACK)
    CheckIn.objects.bulk_create(
        [
            CheckIn(child=child, date=start + datetime.timedelta(days=offset), ratings={"overall": value, "ocd": 1})
            for offset, value in by_offset.items()
        ]
    )
    return start


def course(child, start, kind="ivig", name=""):
    return services.add_event(
        user=factories.owner_of(child),
        child=child,
        category="treatment",
        date=start,
        end_date=start + datetime.timedelta(days=1),
        details={"kind": kind, "name": name, "dose": "2 g/kg"},
    )


@pytest.fixture
def journal():
    child = factories.child(label="Our eldest", age_band="5-8")
    start = ratings(
        child,
        # the week before: 8 and 9 (mean 8.5 -> 9); an older day outside the week is left out
        {-20: 1, -3: 8, -1: 9, 0: 2}
        # about a month after: 4, 5, 5 -> 5 (day 40 is outside the window)
        | {25: 4, 30: 5, 36: 5, 40: 10}
        # about three months: 3 and 2 -> 3 (2.5 rounds half up); nothing about six months
        | {85: 3, 100: 2},
    )
    return child, course(child, start)


def test_the_figures_are_the_overall_rating_averaged_over_each_window(journal):
    child, treatment = journal

    figures = story_figures.figures(child, treatment)

    assert figures == {
        "treatment": "ivig",
        "age_band": "5-8",
        "severity_before": 9,
        "severity_1_month": 5,
        "severity_3_months": 3,
    }  # no check-in around six months: that figure stays unknown


def test_the_treatment_kind_and_age_from_the_birth_year_map_to_the_story_choices():
    child = factories.child(birth_year=str(factories.days_ago(START_DAYS_BACK).year - 10))
    treatment = course(child, factories.days_ago(START_DAYS_BACK), kind="antibiotic")

    assert story_figures.figures(child, treatment) == {"treatment": "antibiotics", "age_band": "9-12"}


def test_the_prefill_page_sends_the_parent_to_the_story_form_with_the_figures(client, journal):
    child, treatment = journal
    client.force_login(factories.owner_of(child))
    page = reverse("journal:story_figures", args=[child.pk])

    choice = client.get(page)
    assert choice.status_code == 200 and "Antibiotic" not in choice.content.decode()
    assert "IVIG infusion" in choice.content.decode() and "Nothing is shared from here" in choice.content.decode()
    assert choice["Cache-Control"].count("no-store") == 1

    response = client.get(page, {"event": treatment.pk})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("community:new_story")
    assert parse_qs(location.query) == {
        "treatment": ["ivig"],
        "age_band": ["5-8"],
        "severity_before": ["9"],
        "severity_1_month": ["5"],
        "severity_3_months": ["3"],
    }
    # Nothing is shared without the parent's submitting the story form.
    assert not Story.objects.exists() and not Post.objects.exists()


def test_another_childs_treatment_is_refused(client, journal):
    child, _ = journal
    other = factories.child(label="Other")
    other_course = course(other, factories.days_ago(10))
    client.force_login(factories.owner_of(child))

    response = client.get(reverse("journal:story_figures", args=[child.pk]), {"event": other_course.pk})

    assert response.status_code == 400 and "Please choose a treatment" in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "moderator", "superuser"])
def test_the_prefill_page_is_for_the_childs_caregivers_only(client, journal, who):
    child, treatment = journal
    user = {
        "stranger": UserFactory,
        "moderator": ModeratorFactory,
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[who]()
    client.force_login(user)

    response = client.get(reverse("journal:story_figures", args=[child.pk]), {"event": treatment.pk})

    assert response.status_code == 404


def test_a_caregiver_who_may_only_view_may_prefill_too(client, journal):
    child, treatment = journal
    client.force_login(factories.add_caregiver(child, role="can_view"))

    response = client.get(reverse("journal:story_figures", args=[child.pk]), {"event": treatment.pk})

    assert response.status_code == 302


def test_the_story_form_offers_the_journal_only_to_a_member_with_a_child(client, journal):
    child, _ = journal
    client.force_login(UserFactory())
    assert "Fill in from my journal" not in client.get(reverse("community:new_story")).content.decode()

    client.force_login(factories.owner_of(child))
    html = client.get(reverse("community:new_story")).content.decode()
    assert "Fill in from my journal" in html and reverse("journal:story_figures", args=[child.pk]) in html
    assert "Our eldest" in html


def test_the_story_form_costs_the_same_queries_with_one_child_or_five(client, journal):
    child, _ = journal
    owner = factories.owner_of(child)
    client.force_login(owner)
    one = count_queries(client, reverse("community:new_story"))
    for n in range(4):
        factories.child(owner=owner, label=f"Child {n}")
    assert count_queries(client, reverse("community:new_story")) == one


def test_the_story_form_shows_the_prefilled_figures_and_saves_nothing_until_submitted(client, journal):
    child, treatment = journal
    client.force_login(factories.owner_of(child))
    location = client.get(reverse("journal:story_figures", args=[child.pk]), {"event": treatment.pk})["Location"]

    html = client.get(location).content.decode()

    assert 'data-testid="story-prefilled"' in html
    assert '<option value="ivig" selected>' in html and '<option value="5-8" selected>' in html
    for name, value in (("severity_before", 9), ("severity_1_month", 5), ("severity_3_months", 3)):
        select = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert f'<option value="{value}" selected>' in select
    six = html.split('name="severity_6_months"')[1].split("</select>")[0]
    assert '<option value="" selected>' in six
    assert not Story.objects.exists()


def test_the_story_form_ignores_values_that_are_not_its_choices(client):
    client.force_login(UserFactory())
    html = client.get(reverse("community:new_story"), {"treatment": "magic", "severity_before": "42"}).content.decode()
    assert "selected>" not in html.replace('<option value="" selected>', "")
    assert 'data-testid="story-prefilled"' not in html
