"""Crisis help where people are: every page, the flag page, and at once for someone writing words
of crisis, whose post then goes first in the moderators' queue."""

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Post
from moderation import selectors
from moderation.forms import FlagForm
from moderation.models import Flag, WatchedWord
from tests.community import factories
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

CRISIS_TEXT = "Honestly I feel like I can't go on like this some nights."


@pytest.fixture(autouse=True)
def crisis_phrase(db):
    # The migration's defaults are gone after a transactional test elsewhere flushed the tables.
    WatchedWord.objects.get_or_create(phrase="can't go on", defaults={"kind": WatchedWord.Kind.CRISIS})


@pytest.mark.parametrize("url", ["/", "/articles/", "/community/", "/alerts/", "/search/?q=ivig"])
def test_every_page_links_to_help_now(client, url):
    html = client.get(url).content.decode()
    assert f'href="{reverse("help_now")}"' in html and "Need help now?" in html


def test_the_help_page_lists_crisis_lines_for_the_us_the_uk_spain_and_elsewhere(client):
    html = client.get(reverse("help_now")).content.decode()
    for number in ("911", "988", "999", "111", "116 123", "112", "024"):
        assert f"<strong>{number}</strong>" in html, number
    assert 'href="tel:116123"' in html and "https://findahelpline.com/" in html


def test_the_configured_country_comes_first(client, settings):
    settings.CRISIS_COUNTRY = "GB"
    html = client.get(reverse("help_now")).content.decode()
    assert html.index("United Kingdom") < html.index("United States")


def test_the_flag_page_shows_the_crisis_lines(client):
    post = factories.replies(factories.thread(), 1)[0]
    client.force_login(UserFactory())
    html = client.get(reverse("moderation:flag", args=[post.pk])).content.decode()
    assert 'data-testid="crisis-help"' in html and "988" in html


def test_the_rules_list_exactly_the_flag_forms_reasons(client):
    html = client.get(reverse("community_rules")).content.decode()
    listed = html.split('data-testid="flag-reasons"')[1].split("</ul>")[0]
    for _, label in FlagForm.base_fields["reason"].choices:
        assert f"<li>{label}</li>" in listed
    assert listed.count("<li>") == len(Flag.Reason.choices)


def test_writing_words_of_crisis_shows_help_at_once_and_puts_the_post_first_in_the_queue(
    client, django_capture_on_commit_callbacks
):
    moderator = ModeratorFactory()
    older = factories.replies(factories.thread(title="An older flag"), 1)[0]
    Flag.objects.create(post=older, flagger=UserFactory(), reason=Flag.Reason.SPAM)
    member = UserFactory()
    thread = factories.thread(title="Bedtime rages")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:reply", args=[thread.pk]), {"body": CRISIS_TEXT}, follow=True)
    html = response.content.decode()
    assert 'id="crisis-help-message"' in html and "988" in html and "A moderator will read your post soon" in html
    post = Post.objects.get(body=CRISIS_TEXT)
    assert post.is_visible  # help, not silence: the post is not held for its words
    first = selectors.review_queue()[0]
    assert first.post == post and first.is_crisis
    (crisis_email,) = [message for message in mail.outbox if "Crisis" in message.subject]
    assert crisis_email.to == [moderator.email]
    assert reverse("moderation:guide") + "#crisis" in crisis_email.body
    assert "can't go on" in crisis_email.body and "Its writer was shown the crisis lines" in crisis_email.body


def test_a_second_post_with_crisis_words_does_not_email_again_while_the_first_is_open(
    client, django_capture_on_commit_callbacks
):
    ModeratorFactory()
    post = factories.replies(factories.thread(), 1)[0]
    client.force_login(post.author)
    for text in (CRISIS_TEXT, CRISIS_TEXT + " Still."):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("community:edit_post", args=[post.pk]), {"body": text, "post_anyway": "on"})
    assert Flag.objects.filter(post=post, flagger=None).count() == 1
    assert len([message for message in mail.outbox if "Crisis" in message.subject]) == 1


def test_ordinary_words_show_no_crisis_help(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    response = client.post(reverse("community:reply", args=[thread.pk]), {"body": "We go on holiday soon"}, follow=True)
    assert 'id="crisis-help-message"' not in response.content.decode()
    assert not Flag.objects.exists()


def test_compose_pages_carry_the_help_that_appears_while_typing(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    html = client.get(reverse("community:reply", args=[thread.pk])).content.decode()
    assert 'id="crisis-while-typing" hidden' in html and "crisis-help.js" in html
    phrases = client.get(reverse("moderation:crisis_phrases")).json()["phrases"]
    assert "can't go on" in phrases


def test_the_moderators_guide_covers_crisis_misinformation_and_identifying_content(client):
    client.force_login(ModeratorFactory())
    html = client.get(reverse("moderation:guide")).content.decode()
    for section in ('id="crisis"', 'id="medical-misinformation"', 'id="child-identifying-content"'):
        assert section in html
    assert "Describing your own child's treatment is fine" in html.replace("&#x27;", "'")
    client.force_login(UserFactory())
    assert client.get(reverse("moderation:guide")).status_code == 403


def test_a_writer_in_crisis_emails_the_moderators_once_an_hour_and_every_post_waits_in_the_queue(
    client, settings, django_capture_on_commit_callbacks
):
    from portal import settings as production_settings

    settings.ACTION_LIMITS = {**production_settings.ACTION_LIMITS}
    ModeratorFactory()
    writer = UserFactory()
    thread = factories.thread()
    client.force_login(writer)
    for text in (CRISIS_TEXT, "Still feel I can't go on tonight."):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("community:reply", args=[thread.pk]), {"body": text, "post_anyway": "on"})
    assert Flag.objects.filter(flagger=None, reason=Flag.Reason.CRISIS).count() == 2
    assert len([message for message in mail.outbox if "Crisis" in message.subject]) == 1
    assert [item.is_crisis for item in selectors.review_queue()[:2]] == [True, True]
