"""Double opt-in, confirmation, one-click unsubscribe, and what bad links do."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services, tokens
from alerts.models import Subscription
from portal import outbox
from portal.models import OutboundEmail
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def subscribe_form(for_school, **overrides):
    return {
        "email": "Parent@Example.net",
        "school": for_school.slug,
        "role": "parent",
        "grade": "",
        "delivery": "immediate",
        "language": "en",
        **overrides,
    }


def post_subscribe(client, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("alerts:subscribe"), data)


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/alerts/confirm/\S+/)", message.body()).group(1)


def test_subscribing_sends_only_a_confirmation_mail(client, mail_server, django_capture_on_commit_callbacks):
    school = SchoolFactory(name="Maplewood Elementary")
    response = post_subscribe(client, subscribe_form(school), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("alerts:subscribe_sent")
    (message,) = mail_server.wait_for(1)
    assert message.recipients == ["parent@example.net"]
    assert "Maplewood Elementary" in message.subject
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING and subscription.email == "parent@example.net"
    assert subscription.confirmed_at is None

    # Not confirmed yet: an approved report does not reach the address.
    from accounts.roles import Role
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_report(
            report=ExposureReportFactory(school=school), moderator=UserFactory(roles=[Role.MODERATOR])
        )
    assert len(mail_server.messages) == 1


def test_confirming_needs_the_button_and_records_time_and_ip(client, mail_server, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    post_subscribe(client, subscribe_form(school), django_capture_on_commit_callbacks)
    link = confirm_link(mail_server.wait_for(1)[0])

    page = client.get(link)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    assert Subscription.objects.get().status == Subscription.Status.PENDING  # a scanner's GET gives no consent

    done = client.post(link, REMOTE_ADDR="203.0.113.7")
    assert done.status_code == 200 and b"Your alerts are on" in done.content
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.confirmed_ip == "203.0.113.7" and subscription.confirmed_at is not None

    again = client.post(link, REMOTE_ADDR="198.51.100.1")
    assert again.status_code == 200 and b"already receives" in again.content
    subscription.refresh_from_db()
    assert subscription.confirmed_ip == "203.0.113.7"


def test_subscribing_an_already_subscribed_address_shows_the_same_page_and_mails_the_owner(
    client, mail_server, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    SubscriptionFactory(email="parent@example.net", school=school, delivery="digest")
    fresh = post_subscribe(client, subscribe_form(SchoolFactory()), django_capture_on_commit_callbacks)
    known = post_subscribe(client, subscribe_form(school), django_capture_on_commit_callbacks)
    assert fresh.status_code == known.status_code == 302
    assert fresh["Location"] == known["Location"]
    messages = mail_server.wait_for(2)
    owner_note = [m for m in messages if "already receive" in m.subject]
    assert len(owner_note) == 1 and owner_note[0].recipients == ["parent@example.net"]
    assert Subscription.objects.get(school=school).delivery == "digest"  # nothing changed


def test_invalid_form_keeps_the_input_with_messages_next_to_fields(client):
    school = SchoolFactory()
    response = client.post(
        reverse("alerts:subscribe"), subscribe_form(school, email="not-an-address", school="nowhere")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="not-an-address"' in html
    assert 'id="id_email_error"' in html and "Enter a valid email address." in html
    assert "We do not know that school." in html
    assert not Subscription.objects.exists()


def test_school_search_without_js_keeps_what_was_typed(client):
    SchoolFactory(name="Lakeside Primary", slug="lakeside-primary", city="Harbor Point")
    SchoolFactory(name="Cedar Hill Middle", slug="cedar-hill")
    response = client.post(
        reverse("alerts:subscribe"),
        {
            **subscribe_form(SchoolFactory(), email="keep@example.net", school=""),
            "school_q": "lakeside",
            "find_school": "1",
        },
    )
    html = response.content.decode()
    assert 'value="keep@example.net"' in html
    assert '<option value="lakeside-primary">' in html
    assert "cedar-hill" not in html
    assert "This field is required" not in html


def test_school_search_json_for_search_as_you_type(client):
    SchoolFactory(name="Lakeside Primary", slug="lakeside-primary", city="Harbor Point")
    SchoolFactory(name="Cedar Hill Middle", slug="cedar-hill")
    data = client.get(reverse("alerts:school_search"), {"q": "harbor"}).json()
    assert [r["value"] for r in data["results"]] == ["lakeside-primary"]


def test_confirmation_page_adds_another_school_already_confirmed(
    client, mail_server, django_capture_on_commit_callbacks
):
    school, other = SchoolFactory(), SchoolFactory(slug="second-school")
    post_subscribe(client, subscribe_form(school, language="es"), django_capture_on_commit_callbacks)
    link = confirm_link(mail_server.wait_for(1)[0])
    client.post(link)
    response = client.post(link + "add-school/", {"school": "second-school"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and "Añadida: ".encode() in response.content  # in the language chosen
    added = Subscription.objects.get(school=other)
    assert (added.email, added.status, added.language, added.confirmed_ip) == (
        "parent@example.net",
        "active",
        "es",
        "203.0.113.9",
    )
    assert len(mail_server.messages) == 1  # no second confirmation needed


def test_one_click_unsubscribe_post_without_cookie_or_csrf_answers_200_and_is_idempotent():
    from django.test import Client

    subscription = SubscriptionFactory()
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)])
    strict = Client(enforce_csrf_checks=True)

    page = strict.get(url)
    assert page.status_code == 200 and b">Unsubscribe</button>" in page.content
    assert not page.cookies  # no CSRF cookie: the POST needs none
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE  # GET changes nothing

    for _ in range(2):
        response = strict.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert b"You are unsubscribed" in response.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED and subscription.unsubscribed_at


def test_unsubscribe_token_never_expires():
    subscription = SubscriptionFactory()
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)])
    from django.test import Client

    with mock.patch("time.time", return_value=time.time() + 3 * 365 * 86400):
        assert Client().post(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


@pytest.mark.parametrize("kind", ["altered", "confirmation-as-unsubscribe"])
def test_bad_unsubscribe_tokens_change_nothing(client, kind):
    subscription = SubscriptionFactory()
    token = tokens.unsubscribe_token(subscription)
    bad = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    if kind == "confirmation-as-unsubscribe":
        bad = tokens.confirmation_token(subscription)
    response = client.post(reverse("alerts:unsubscribe", args=[bad]))
    assert response.status_code == 400 and b"This link does not work" in response.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_an_unsubscribe_token_touches_only_its_own_subscription(client):
    mine, other = SubscriptionFactory(), SubscriptionFactory()
    client.post(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(mine)]))
    other.refresh_from_db()
    assert other.status == Subscription.Status.ACTIVE


@pytest.mark.parametrize("kind", ["altered", "expired", "unsubscribe-as-confirmation", "superseded"])
def test_bad_confirmation_tokens_change_nothing(client, kind):
    subscription = SubscriptionFactory(status=Subscription.Status.PENDING, confirmed_at=None)
    token = tokens.confirmation_token(subscription)
    clock = time.time()
    if kind == "altered":
        token = token.replace(token.split(":")[0], tokens.confirmation_token(SubscriptionFactory()).split(":")[0])
    elif kind == "expired":
        clock += 8 * 86400
    elif kind == "unsubscribe-as-confirmation":
        token = tokens.unsubscribe_token(subscription)
    elif kind == "superseded":
        Subscription.objects.filter(pk=subscription.pk).update(
            confirmation_requested_at=subscription.confirmation_requested_at + datetime.timedelta(seconds=5)
        )
    with mock.patch("time.time", return_value=clock):
        response = client.post(reverse("alerts:confirm", args=[token]))
    assert response.status_code == 400 and b"This link does not work" in response.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING and subscription.confirmed_at is None


def test_a_confirmation_token_is_valid_for_under_seven_days(client):
    subscription = SubscriptionFactory(status=Subscription.Status.PENDING, confirmed_at=None)
    token = tokens.confirmation_token(subscription)
    with mock.patch("time.time", return_value=time.time() + 6.9 * 86400):
        assert client.post(reverse("alerts:confirm", args=[token])).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_member_manages_subscriptions_of_their_own_address(client):
    from tests.factories import UserFactory

    member = UserFactory(email="member@example.org")
    mine = SubscriptionFactory(email="Member@example.org")
    theirs = SubscriptionFactory(email="someone@example.net")
    client.force_login(member)
    page = client.get(reverse("alerts:my_alerts"))
    assert mine.school.name.encode() in page.content and theirs.school.name.encode() not in page.content
    client.post(
        reverse("alerts:my_subscription", args=[mine.pk]), {"grade": "K", "delivery": "digest", "language": "es"}
    )
    mine.refresh_from_db()
    assert (mine.grade, mine.delivery, mine.language) == ("K", "digest", "es")
    client.post(reverse("alerts:my_subscription", args=[mine.pk]), {"unsubscribe": "1"})
    mine.refresh_from_db()
    assert mine.status == Subscription.Status.UNSUBSCRIBED
    assert client.post(reverse("alerts:my_subscription", args=[theirs.pk]), {"unsubscribe": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Subscription.Status.ACTIVE


def test_account_menu_links_to_my_alerts(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert b'href="/alerts/my/">My alerts</a>' in client.get("/").content


def test_manage_link_in_every_alert_changes_grade_delivery_and_language(client):
    subscription = SubscriptionFactory(grade="2")
    url = reverse("alerts:manage", args=[tokens.unsubscribe_token(subscription)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"grade": "4", "delivery": "digest", "language": "es"})
    # The page answers in the language just chosen.
    assert response.status_code == 200 and b"Guardado." in response.content
    subscription.refresh_from_db()
    assert (subscription.grade, subscription.delivery, subscription.language) == ("4", "digest", "es")
    assert client.get(reverse("alerts:manage", args=["WzEsMF0:forged"])).status_code == 400


def test_confirmation_mails_per_address_are_capped(client, mail_server, django_capture_on_commit_callbacks):
    schools = [SchoolFactory() for _ in range(services.MAX_CONFIRMATIONS_PER_WINDOW + 2)]
    for school in schools:
        response = post_subscribe(client, subscribe_form(school), django_capture_on_commit_callbacks)
        assert response.status_code == 302  # the same answer every time
    assert len(mail_server.wait_for(services.MAX_CONFIRMATIONS_PER_WINDOW)) == services.MAX_CONFIRMATIONS_PER_WINDOW
    assert Subscription.objects.count() == services.MAX_CONFIRMATIONS_PER_WINDOW


def test_confirmation_mail_retries_451_and_a_550_suppresses(client, mail_server, django_capture_on_commit_callbacks):
    mail_server.refuse("slow@example.net", code=451, times=1)
    mail_server.refuse("nobody@example.net", code=550)
    school = SchoolFactory()
    post_subscribe(client, subscribe_form(school, email="slow@example.net"), django_capture_on_commit_callbacks)
    post_subscribe(client, subscribe_form(school, email="nobody@example.net"), django_capture_on_commit_callbacks)
    assert not mail_server.messages
    assert Subscription.objects.get(email="nobody@example.net").status == Subscription.Status.SUPPRESSED
    # The 451 waits for its backoff (the outbox row's next attempt), then goes.
    slow = OutboundEmail.objects.get(recipient="slow@example.net")
    assert (slow.status, slow.attempts, slow.last_error) == ("pending", 1, "451")
    OutboundEmail.objects.filter(pk=slow.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    assert outbox.sweep_outbound_emails() == 1
    assert [m.recipients for m in mail_server.wait_for(1)] == [["slow@example.net"]]
    assert Subscription.objects.get(email="slow@example.net").confirmation_sent_at is not None


def test_the_confirmed_page_links_to_the_settings_page_for_frequency_and_language(client):
    subscription = SubscriptionFactory(status=Subscription.Status.PENDING, confirmed_at=None)
    page = client.post(reverse("alerts:confirm", args=[tokens.confirmation_token(subscription)]))
    html = page.content.decode()
    manage_url = reverse("alerts:manage", args=[tokens.unsubscribe_token(subscription)])
    assert page.status_code == 200 and f'href="{manage_url}"' in html
    settings_page = client.get(manage_url).content.decode()
    assert 'name="delivery"' in settings_page and 'name="language"' in settings_page


def test_reopening_an_unsubscribe_link_says_it_is_done_instead_of_offering_the_button_again(client):
    subscription = SubscriptionFactory()
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription)])
    assert b"<button" in client.get(url).content.split(b"<main")[1]
    client.post(url)
    again = client.get(url).content.decode()
    assert "You are unsubscribed" in again and '<button type="submit">Unsubscribe</button>' not in again
