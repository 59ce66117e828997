"""Experience stories: sharing one, adding the later figures, the reminders, the lists."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Forum, Story
from community.permissions import NotAllowed
from tests.community import factories
from tests.factories import UserFactory
from tests.support.queries import count_queries
from tests.support.xss import XSS_PAYLOADS, assert_no_executable_markup, user_content

pytestmark = pytest.mark.django_db

STORY = {
    "title": "IVIG at age 7",
    "treatment": "ivig",
    "age_band": "5-8",
    "regimen": "2 g/kg over 2 days",
    "severity_before": "8",
    "severity_1_month": "5",
    "side_effects": ["headache", "fatigue"],
    "insurance": "appealed_won",
    "narrative": "The first week was hard.",
}


def test_index_stories_and_outcomes_cost_fixed_queries(client):
    factories.story()
    index_small = count_queries(client, reverse("community:index"))
    stories_small = count_queries(client, reverse("community:stories"))
    outcomes_small = count_queries(client, reverse("community:outcomes"))
    for _ in range(24):
        factories.story()
    factories.thread(forum_slug="school")
    assert count_queries(client, reverse("community:index")) == index_small == 1
    assert count_queries(client, reverse("community:stories")) == stories_small == 2
    assert count_queries(client, reverse("community:outcomes")) == outcomes_small == 1


def test_sharing_a_story_makes_a_discussable_thread(client):
    client.force_login(UserFactory())
    response = client.post(reverse("community:new_story"), STORY)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "IVIG at age 7" in html and "Headache, Fatigue" in html and "Appealed and won" in html
    assert "not a validated one" in html and "Post reply" in html


def test_the_story_form_says_the_scale_is_not_validated_and_asks_no_birth_date(client):
    client.force_login(UserFactory())
    html = client.get(reverse("community:new_story")).content.decode()
    assert "not a validated clinical one" in html and "never ask for a birth date" in html
    assert "birth" not in html.replace("never ask for a birth date", "")
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_a_story_with_missing_figures_keeps_everything_typed(client):
    client.force_login(UserFactory())
    data = {**STORY, "severity_before": "", "side_effects": ["none", "rash"]}
    html = client.post(reverse("community:new_story"), data).content.decode()
    assert "Please choose a number from 0 to 10." in html
    assert "“None” cannot be ticked together with a side effect." in html
    assert "The first week was hard." in html and 'value="2 g/kg over 2 days"' in html
    assert re.search(r'value="rash"[^>]*checked', html)


def test_a_story_gets_its_3_and_6_month_figures_later(client):
    story = factories.story(m3=None, m6=None)
    client.force_login(story.post.author)
    url = reverse("community:update_story", args=[story.pk])
    data = {"severity_1_month": "6", "severity_3_months": "4", "severity_6_months": "2",
            "side_effects": ["headache"], "insurance": "covered"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.severity_3_months, story.severity_6_months) == (4, 2)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_story_update_only_by_its_author():
    story = factories.story(m3=None)
    with pytest.raises(NotAllowed):
        services.update_story(author=UserFactory(), story=story, severity_3_months=4)
    services.update_story(author=story.post.author, story=story, severity_3_months=4, severity_6_months=2)
    story.refresh_from_db()
    assert (story.severity_3_months, story.severity_6_months) == (4, 2)
    assert story.post.thread.forum.slug == Forum.STORIES_SLUG


def test_story_authors_are_reminded_once_at_3_and_at_6_months(django_capture_on_commit_callbacks):
    from community.tasks import send_story_reminders

    story = factories.story(m3=None, m6=None)
    assert send_story_reminders() == 0
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=91))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_story_reminders() == 1 and send_story_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [story.post.author.email] and "3 months on" in message.subject
    assert f"/community/stories/{story.pk}/update/" in message.body
    Story.objects.filter(pk=story.pk).update(created_at=timezone.now() - timedelta(days=181), severity_6_months=2)
    assert send_story_reminders() == 0  # the 6-month figure is already there
    assert len(mail.outbox) == 1


def test_stories_can_be_filtered_by_treatment(client):
    factories.story(treatment="ivig")
    factories.story(treatment="tonsillectomy")
    html = client.get(reverse("community:stories"), {"treatment": "tonsillectomy"}).content.decode()
    assert "Our tonsillectomy story" in html and "Our ivig story" not in html


def test_the_xss_corpus_as_story_narratives_never_reaches_the_page(client):
    for payload in XSS_PAYLOADS:
        story = factories.story(narrative=payload, regimen=payload[:200])
        html = client.get(story.post.thread.get_absolute_url()).content.decode()
        assert_no_executable_markup(user_content(html))
    listing = client.get(reverse("community:stories")).content.decode()
    assert_no_executable_markup(listing[listing.index('<ul class="story-list">') : listing.index("</main>")])
