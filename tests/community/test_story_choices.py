"""Stories cover first-line care and serious reactions, and their figures come with the caveats that matter."""

import pytest
from django.urls import reverse

from community.models import Story
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CBT_STORY = {
    "title": "ERP with a therapist",
    "treatment": "cbt_erp",
    "age_band": "9-12",
    "regimen": "weekly sessions, 12 weeks",
    "severity_before": "8",
    "severity_1_month": "6",
    "side_effects": ["serious"],
    "insurance": "covered",
    "narrative": "Hard work, and it helped with the rituals.",
}


def test_a_parent_shares_a_cbt_erp_story_with_a_serious_reaction_and_sees_them_named(client):
    client.force_login(UserFactory())
    form = client.get(reverse("community:new_story")).content.decode()
    assert "CBT with exposure and response prevention (ERP)" in form
    assert "SSRI or other medication for OCD or anxiety" in form
    assert "Serious reaction needing medical care" in form
    response = client.post(reverse("community:new_story"), CBT_STORY)
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.treatment == Story.Treatment.CBT_ERP and story.side_effects == ["serious"]
    html = client.get(response["Location"]).content.decode()
    assert "CBT with exposure and response prevention (ERP)" in html
    assert "Serious reaction needing medical care" in html


@pytest.mark.parametrize("treatment", ["ssri", "prophylaxis", "waiting"])
def test_new_treatment_choices_are_accepted_and_filterable(client, treatment):
    client.force_login(UserFactory())
    response = client.post(reverse("community:new_story"), {**CBT_STORY, "treatment": treatment, "side_effects": []})
    assert response.status_code == 302
    label = Story.Treatment(treatment).label
    html = client.get(reverse("community:stories"), {"treatment": treatment}).content.decode()
    assert f'<option value="{treatment}" selected>{label}</option>' in html
    assert "ERP with a therapist" in html


def test_the_stories_list_puts_the_caveats_next_to_the_figures(client):
    factories.story(treatment=Story.Treatment.IVIG, before=8, m1=6, m6=3)
    html = client.get(reverse("community:stories")).content.decode()
    assert "→ 3 at 6 months" in html
    caveat = html[html.index('data-testid="stories-caveat"') : html.index('class="story-list"')]
    for words in ("not a study", "ease with time anyway", "drop out", "several treatments at once"):
        assert words in caveat


def test_the_outcomes_page_says_why_a_fall_does_not_show_a_treatment_worked(client):
    factories.story(treatment=Story.Treatment.IVIG)
    factories.story(treatment=Story.Treatment.CBT_ERP)
    html = client.get(reverse("community:outcomes")).content.decode()
    caveats = html[html.index('data-testid="outcome-caveats"') :]
    for words in ("ease with time anyway", "Families drop out", "several treatments at once", "not a study"):
        assert words in caveats
    # First-line care is listed first, before immune treatments.
    assert html.index('data-testid="outcome-cbt_erp"') < html.index('data-testid="outcome-ivig"')
