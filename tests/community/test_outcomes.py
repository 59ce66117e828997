import re

import pytest
from django.urls import reverse

from community import services
from community.models import Story
from tests.community import factories

pytestmark = pytest.mark.django_db


def outcomes_html(client) -> str:
    response = client.get(reverse("community:outcomes"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, treatment: str) -> str:
    start = html.index(f'data-testid="outcome-{treatment}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_treatment_with_5_stories_shows_its_figures(client):
    for before, m1 in [(8, 6), (9, 5), (7, 6), (8, 4), (9, 8)]:  # changes -2, -4, -1, -4, -1: median -2
        factories.story(treatment=Story.Treatment.IVIG, before=before, m1=m1, side_effects=["headache"])
    html = section(outcomes_html(client), "ivig")
    assert "5 stories" in html
    assert re.search(r"<th scope=\"row\">1 month</th><td>-2</td><td>5</td>", html)
    assert "Headache</th><td>100% (5 of 5)" in html
    assert "<svg" in html and "<rect" in html


def test_a_treatment_with_4_stories_hides_its_figures(client):
    for _ in range(4):
        factories.story(treatment=Story.Treatment.STEROIDS, before=8, m1=2)
    html = section(outcomes_html(client), "steroids")
    assert "4 stories" in html and "Fewer than 5 stories" in html
    assert "<svg" not in html and "-6" not in html and "%" not in html


def test_a_time_point_with_fewer_than_5_figures_says_so(client):
    for n in range(5):
        factories.story(treatment=Story.Treatment.IVIG, before=8, m1=6, m6=2 if n < 4 else None)
    html = section(outcomes_html(client), "ivig")
    assert re.search(r"6 months</th><td>fewer than 5 stories</td><td>4</td>", html)


def test_hidden_stories_do_not_count(client):
    stories = [factories.story(treatment=Story.Treatment.NSAIDS) for _ in range(5)]
    services.hide_post(moderator=None, post=stories[0].post, reason="spam")
    assert "Fewer than 5 stories" in section(outcomes_html(client), "nsaids")


def test_the_page_says_it_is_not_a_clinical_study_and_uses_no_inline_styles(client):
    for _ in range(5):
        factories.story()
    html = outcomes_html(client)
    assert "not a clinical study" in html and "not a validated clinical scale" in html
    assert "style=" not in html and len(re.findall(r"<h1[ >]", html)) == 1
