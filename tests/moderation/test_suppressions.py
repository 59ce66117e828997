"""The moderators' page of the email suppression list: why and when, never the address; lifting one
on its owner's request, with a reason in the audit log."""

import pytest
from django.core import mail
from django.urls import reverse

from alerts import services as alert_services
from alerts.models import Subscription
from moderation.models import ModerationAction
from portal import suppression
from portal.models import SuppressedAddress
from tests.alerts.factories import SchoolFactory
from tests.factories import ModeratorFactory, UserFactory
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db
ROLE = Subscription.SubscriberRole.PARENT
URL = "/moderation/suppressions/"


@pytest.fixture
def moderator(client):
    moderator = ModeratorFactory(display_name="Mod Willow")
    client.force_login(moderator)
    return moderator


def test_the_page_says_why_and_when_but_never_which_address(client, moderator):
    suppression.suppress_address("bounced.parent@example.net", reason="hard_bounce", provider="postmark")
    suppression.suppress_address("angry@example.net", reason="complaint", provider="mailgun")

    page = client.get(reverse("moderation:suppressions")).content.decode()

    assert "The provider reported a hard bounce" in page and "postmark" in page
    assert "Its owner marked a message as spam: 1" in page
    assert "bounced.parent" not in page and "angry@" not in page


def test_lifting_mails_the_address_again_and_is_audit_logged_without_the_address(
    client, moderator, django_capture_on_commit_callbacks
):
    suppression.suppress_address("Bounced.Parent@example.net", reason="hard_bounce", provider="postmark")
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.subscribe(email="bounced.parent@example.net", school=SchoolFactory(), role=ROLE)
    assert mail.outbox == []

    response = client.post(
        URL, {"email": "bounced.parent@EXAMPLE.net", "reason": "She wrote in: her mailbox works again"}
    )

    assert response.status_code == 302
    assert not suppression.is_suppressed("bounced.parent@example.net")
    entry = ModerationAction.objects.get(action=ModerationAction.Action.SUPPRESSION_LIFT)
    assert entry.actor == moderator and entry.reason == "She wrote in: her mailbox works again"
    assert entry.details["suppressed_for"] == "hard_bounce" and entry.details["provider"] == "postmark"
    assert "example.net" not in str(entry.details) + entry.target_description
    # The address can subscribe again (while suppressed, subscribing sent nothing).
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.subscribe(email="bounced.parent@example.net", school=SchoolFactory(), role=ROLE)
    assert [message.to for message in mail.outbox] == [["bounced.parent@example.net"]]


def test_an_address_not_on_the_list_is_said_so_and_the_form_keeps_its_input(client, moderator):
    response = client.post(URL, {"email": "fine@example.net", "reason": "Asked by phone"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "not on the suppression list" in page
    assert 'value="fine@example.net"' in page and 'value="Asked by phone"' in page
    assert not ModerationAction.objects.filter(action=ModerationAction.Action.SUPPRESSION_LIFT).exists()


def test_a_reason_is_required(client, moderator):
    suppression.suppress_address("x@example.net", reason="complaint")
    response = client.post(URL, {"email": "x@example.net", "reason": ""})
    assert response.status_code == 200 and suppression.is_suppressed("x@example.net")


def test_members_cannot_see_or_lift(client):
    suppression.suppress_address("x@example.net", reason="complaint")
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"email": "x@example.net", "reason": "mine"}).status_code == 403
    assert suppression.is_suppressed("x@example.net")


def test_the_page_costs_the_same_for_few_and_many(client, moderator):
    for n in range(2):
        suppression.suppress_address(f"few{n}@example.net", reason="hard_bounce")
    small = count_queries(client, URL)
    for n in range(60):
        suppression.suppress_address(f"many{n}@example.net", reason="soft_bounces", provider="mailgun")
    assert SuppressedAddress.objects.count() == 62
    # user with roles and the header's unread count, two-factor, the queue count, the latest rows, the counts
    assert (small, count_queries(client, URL)) == (5, 5)
