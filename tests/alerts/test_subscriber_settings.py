"""What a subscriber changes without an account (grade, how often, language), and links already used."""

import pytest
from django.urls import reverse

from alerts import tokens
from alerts.models import Subscription
from tests.alerts.factories import SchoolFactory, SubscriptionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def manage_url(subscription) -> str:
    return reverse("alerts:manage", args=[tokens.unsubscribe_token(subscription)])


def test_the_confirmed_page_offers_grade_frequency_and_language(client):
    subscription = SubscriptionFactory(status=Subscription.Status.PENDING, confirmed_at=None, grade="K")
    confirmed = client.post(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]))
    assert "Change your child's grade, how often and in which language" in confirmed.content.decode()
    settings_page = client.get(manage_url(subscription)).content.decode()
    assert '<option value="K" selected>Kindergarten</option>' in settings_page
    assert '<option value="immediate" selected>Immediately</option>' in settings_page
    assert '<option value="en" selected>English</option>' in settings_page


def test_choosing_the_whole_school_clears_the_grade(client):
    subscription = SubscriptionFactory(grade="5")
    client.post(manage_url(subscription), {"grade": "", "delivery": "immediate", "language": "en"})
    subscription.refresh_from_db()
    assert subscription.grade == ""


def test_an_unknown_grade_is_refused_and_the_choices_kept(client):
    subscription = SubscriptionFactory(grade="5")
    response = client.post(manage_url(subscription), {"grade": "13", "delivery": "digest", "language": "en"})
    content = response.content.decode()
    assert 'data-testid="error-summary"' in content and 'href="#id_grade"' in content
    assert '<option value="digest" selected>Daily digest</option>' in content
    subscription.refresh_from_db()
    assert (subscription.grade, subscription.delivery) == ("5", "immediate")


def test_an_ended_subscription_keeps_its_settings(client):
    subscription = SubscriptionFactory(status=Subscription.Status.UNSUBSCRIBED, delivery="immediate")
    response = client.post(manage_url(subscription), {"grade": "", "delivery": "digest", "language": "en"})
    assert b"does not receive alerts for this school any more" in response.content
    subscription.refresh_from_db()
    assert subscription.delivery == "immediate"


def test_reopening_a_digest_link_after_stopping_every_digest_says_it_is_done(client):
    first = SubscriptionFactory(email="digests@example.net", delivery="digest")
    second = SubscriptionFactory(email="digests@example.net", delivery="digest")
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(first, all_digests=True)])
    assert b"Stop all daily digests" in client.get(url).content
    client.post(url)
    second.refresh_from_db()
    assert second.status == Subscription.Status.UNSUBSCRIBED
    again = client.get(url).content.decode()
    assert "You are unsubscribed" in again and "Subscribe again" in again
    assert "<button" not in again.split("<main", 1)[1]


def test_a_digest_link_still_offers_the_button_while_another_digest_goes_out(client):
    first = SubscriptionFactory(email="digests@example.net", delivery="digest", status="unsubscribed")
    SubscriptionFactory(email="digests@example.net", delivery="digest")
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(first, all_digests=True)])
    assert '<button type="submit">Unsubscribe</button>' in client.get(url).content.decode()


def test_my_alerts_offers_the_grade_with_the_current_choice(client):
    member = UserFactory(email="member@example.org")
    first = SubscriptionFactory(email=member.email, grade="3", school=SchoolFactory(name="A school"))
    second = SubscriptionFactory(email=member.email, grade="", school=SchoolFactory(name="B school"))
    client.force_login(member)
    content = client.get(reverse("alerts:my_alerts")).content.decode()
    assert f'id="id_grade_{first.pk}"' in content
    assert f'id="id_grade_{second.pk}"' in content
    assert '<option value="3" selected>Grade 3</option>' in content
    assert '<option value="" selected>Any grade (the whole school)</option>' in content
