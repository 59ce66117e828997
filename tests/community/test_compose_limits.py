"""What a compose box accepts: no empty message made of invisible characters, and a long text is
refused whole with the limit stated, never cut."""

import pytest
from django.urls import reverse

from community.models import BODY_MAX_LENGTH, Post
from tests.community import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_reply_of_only_invisible_characters_is_refused_as_empty(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    response = client.post(reverse("community:reply", args=[thread.pk]), {"body": "\u200b\u200b \u2060\ufeff"})
    assert response.status_code == 400 and "Please write something before posting." in response.content.decode()
    assert thread.posts.count() == 1


def test_a_huge_paste_is_refused_whole_with_the_limit_and_every_character_kept(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    pasted = "word " * 40_000  # 200,000 characters
    response = client.post(reverse("community:reply", args=[thread.pk]), {"body": pasted})
    html = response.content.decode()
    assert response.status_code == 400
    assert "please keep it under 20,000 characters (it has 199,999)" in html.replace("199999", "199,999")
    assert "Nothing was cut" in html and pasted.strip() in html
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_the_text_box_states_its_limit_and_has_no_maxlength_that_would_cut_a_paste(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    html = client.get(reverse("community:reply", args=[thread.pk])).content.decode()
    assert f'data-character-limit="{BODY_MAX_LENGTH}"' in html and "maxlength" not in html
    assert "Up to 20,000 characters." in html and "character-count.js" in html


def test_quoting_a_two_word_pseudonym_raises_no_privacy_warning(client):
    thread = factories.thread(author=UserFactory(display_name="Night Owl Mum"))
    client.force_login(UserFactory())
    quoted = client.get(f"{reverse('community:reply', args=[thread.pk])}?quote={thread.posts.get().pk}")
    body = quoted.context["form"].initial["body"] + "Thank you, that helps."
    response = client.post(reverse("community:reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 302 and "Night Owl Mum" in thread.posts.last().body


def test_a_full_name_in_ones_own_words_still_warns(client):
    thread = factories.thread()
    client.force_login(UserFactory())
    response = client.post(
        reverse("community:reply", args=[thread.pk]), {"body": "> quoted\nEmma Johnson is in his class"}
    )
    assert response.status_code == 200 and "looks like a person" in response.content.decode()


def test_the_story_prompt_asks_for_later_figures_only_while_some_are_missing(client):
    story = factories.story(m1=6, m3=None, m6=None)
    client.force_login(story.post.author)
    assert "Add your later figures" in client.get(story.post.thread.get_absolute_url()).content.decode()
    story.severity_3_months, story.severity_6_months = 4, 2
    story.save()
    html = client.get(story.post.thread.get_absolute_url()).content.decode()
    assert "Add your later figures" not in html and "Correct your figures" in html


def test_a_reply_sent_after_a_suspension_ended_the_session_is_shown_back_after_login(client):
    from moderation.services import suspend
    from tests.factories import ModeratorFactory

    member = UserFactory()
    thread = factories.thread()
    suspend(moderator=ModeratorFactory(), member=member, days=3, reason="cooling off")
    # The suspension ended the session: the reply arrives signed out and is kept for after login.
    response = client.post(reverse("community:reply", args=[thread.pk]), {"body": "My long careful reply"})
    assert response.status_code == 302
    client.force_login(member)
    page = client.get(reverse("community:reply", args=[thread.pk]))
    html = page.content.decode()
    assert page.status_code == 403 and "suspended until" in html and "My long careful reply" in html
