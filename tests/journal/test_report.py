"""The clinician report: a print view and a PDF, built from the same records."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from articles.models import Article
from journal import services
from journal.models import Caregiver, CheckIn, Event
from tests.articles.factories import make_article
from tests.factories import UserFactory
from tests.journal import factories
from tests.support.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db

ONSET = datetime.date(2025, 11, 2)


def day(offset: int) -> datetime.date:
    return ONSET + datetime.timedelta(days=offset)


@pytest.fixture
def recorded(client):
    """A child with an onset, a strep infection and an exposure before it, check-ins and an antibiotic course."""
    child = factories.child(label="Our eldest", onset_date=ONSET, onset_speed="abrupt", birth_year="2017")
    owner = factories.owner_of(child)
    services.add_event(
        user=owner, child=child, category="infection", date=day(-20),
        details={"kind": "strep_throat", "test": "culture", "result": "positive"},
    )  # fmt: skip
    Event.objects.create(
        child=child, category="exposure", date=day(-30), end_date=day(-28),
        details={"school_name": "Maplewood Elementary", "grade": "2", "week_of": str(day(-30)), "status": "confirmed"},
    )  # fmt: skip
    for offset in range(0, 14):
        services.save_check_in(
            user=owner, child=child, date=day(offset),
            ratings={"ocd": 8, "food": 2, "anxiety": 7, "irritability": 5, "sleep_urinary": 1, "overall": 8},
            note="Counting rituals before school" if offset == 3 else "Not for the report",
            in_report=offset == 3,
        )  # fmt: skip
    services.add_event(
        user=owner, child=child, category="treatment", date=day(14), end_date=day(23),
        details={"kind": "antibiotic", "name": "Amoxicillin", "dose": "500 mg twice a day"},
    )  # fmt: skip
    for offset in range(24, 30):
        services.save_check_in(user=owner, child=child, date=day(offset), ratings={"ocd": 3, "overall": 4})
    client.force_login(owner)
    return child


def text_of(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_lays_the_onset_beside_the_criteria(client, recorded):
    html = client.get(reverse("journal:report", args=[recorded.pk])).content.decode()
    onset = text_of(html.split('data-testid="report-onset"', 1)[1].split("</table>", 1)[0])

    assert "2 November 2025" in onset and "Overnight, or within two or three days" in onset
    assert "OCD (obsessions, compulsions): mean 8 (14 check-ins) in the two weeks after onset" in onset
    assert "2 of 7 rated 3 or more" in onset and "Anxiety (7" in onset and "Irritability or aggression (5" in onset
    assert "13 October 2025: Strep throat (Throat culture, Positive)" in onset
    assert "Strep reported at Maplewood Elementary, Grade 2" in onset
    assert "it is not a diagnosis" in html


def test_the_report_shows_treatments_with_the_ratings_before_and_after_and_only_the_chosen_notes(client, recorded):
    html = client.get(reverse("journal:report", args=[recorded.pk])).content.decode()
    treatments = text_of(html.split('data-testid="report-treatments"', 1)[1].split("</table>", 1)[0])

    assert "Antibiotic course: Amoxicillin" in treatments and "500 mg twice a day" in treatments
    assert "8 (14 check-ins) → 3 (6 check-ins)" in treatments  # OCD, the primary group
    assert "8 (14 check-ins) → 4 (6 check-ins)" in treatments  # overall
    assert "Counting rituals before school" in html and "Not for the report" not in html
    assert "<svg" in html


def test_the_report_links_the_evidence_articles_it_relies_on(client, recorded):
    article = make_article(title="How PANDAS and PANS are diagnosed")
    Article.objects.filter(pk=article.pk).update(slug="how-diagnosis-works")

    html = client.get(reverse("journal:report", args=[recorded.pk])).content.decode()

    assert 'href="http://testserver/articles/how-diagnosis-works/"' in html


def test_the_pdf_holds_the_onset_the_exposure_and_the_course(client, recorded):
    response = client.get(reverse("journal:report_pdf", args=[recorded.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-report-')
    assert "eldest" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "2 November 2025" in text
    assert "Strep reported at Maplewood Elementary, Grade 2" in text
    assert "Antibiotic course: Amoxicillin" in text
    assert "Appendix: every rating and event" in text


def test_a_caregiver_who_may_view_gets_the_report_and_a_stranger_does_not(client, recorded):
    viewer = factories.add_caregiver(recorded, role=Caregiver.Role.CAN_VIEW)
    client.force_login(viewer)
    assert client.get(reverse("journal:report", args=[recorded.pk])).status_code == 200

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("journal:report", args=[recorded.pk])).status_code == 404
    assert client.get(reverse("journal:report_pdf", args=[recorded.pk])).status_code == 404


def test_a_report_with_nothing_recorded_still_reads(client):
    child = factories.child()
    client.force_login(factories.owner_of(child))

    html = client.get(reverse("journal:report", args=[child.pk])).content.decode()

    assert "Not given" in html and "No check-ins yet." in html and "None recorded." in html


def test_the_report_costs_the_same_queries_for_ten_or_eleven_hundred_check_ins(client):
    parent = UserFactory()
    small, large = (factories.child(owner=parent, onset_date=factories.days_ago(400)) for _ in range(2))
    factories.many_check_ins(small, 10)
    factories.many_check_ins(large, 1100)
    CheckIn.objects.filter(child=large, date__lt=factories.days_ago(1000)).update(in_report=True)
    for child, count in ((small, 3), (large, 300)):
        Event.objects.bulk_create(
            Event(
                child=child,
                category=("infection", "treatment", "exposure")[n % 3],
                date=factories.days_ago(n * 3),
                end_date=factories.days_ago(n * 3 - 2) if n % 3 == 1 else None,
                details={"kind": "antibiotic", "status": "pending"},
                note="A note",
                in_report=n % 2 == 0,
            )
            for n in range(count)
        )
    client.force_login(parent)

    assert_fixed_queries(
        client, reverse("journal:report", args=[small.pk]), reverse("journal:report", args=[large.pk]), 5
    )
