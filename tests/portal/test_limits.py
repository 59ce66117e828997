"""Every write a person can repeat has a limit: the n-th is allowed, the next refused with
"you can do this again at …" and the input kept (portal/limits.py, settings.ACTION_LIMITS)."""

import pytest
from django.core import mail
from django.urls import reverse

from alerts.models import ExposureReport, SchoolContact
from moderation.models import Flag
from portal import settings as production_settings
from tests.alerts.factories import SchoolContactFactory, SchoolFactory, SubscriptionFactory
from tests.alerts.test_reports import report_form
from tests.alerts.test_subscriptions import subscribe_form
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db
AGAIN = "You can do this again at "


@pytest.fixture(autouse=True)
def limits(settings):
    """The production numbers (the suite raises them elsewhere); a test may lower one."""
    settings.ACTION_LIMITS = {**production_settings.ACTION_LIMITS}
    return settings.ACTION_LIMITS


def test_reactions_stop_at_the_limit_and_say_when_to_come_back(client, limits):
    limits["reaction"] = [(3, 60)]
    post = community.thread().posts.first()
    client.force_login(UserFactory())
    url = reverse("community:react", args=[post.pk])
    answers = [client.post(url, {"kind": "helpful"}, HTTP_ACCEPT="application/json") for _ in range(4)]
    assert [answer.status_code for answer in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 403 and AGAIN in answers[3].json()["error"]


def test_flags_stop_at_the_limit_and_keep_the_note(client, limits):
    limits["flag"] = [(2, 3600)]
    posts = community.replies(community.thread(), 3)
    client.force_login(UserFactory())
    for post in posts[:2]:
        response = client.post(reverse("moderation:flag", args=[post.pk]), {"reason": "harassment", "note": "rude"})
        assert response.status_code == 302
    response = client.post(reverse("moderation:flag", args=[posts[2].pk]), {"reason": "other", "note": "Third one"})
    html = response.content.decode()
    assert AGAIN in html and "Your note is kept." in html and "Third one" in html
    assert Flag.objects.count() == 2


def test_crisis_flags_email_the_moderators_once_an_hour_per_member_and_all_wait_in_the_queue(
    client, django_capture_on_commit_callbacks
):
    ModeratorFactory()
    posts = community.replies(community.thread(), 3)
    client.force_login(UserFactory())
    for post in posts:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("moderation:flag", args=[post.pk]), {"reason": "crisis", "note": "worried"})
    assert Flag.objects.filter(reason="crisis").count() == 3
    assert len(mail.outbox) == 1


def test_exposure_reports_stop_at_the_daily_limit_and_keep_the_input(client, limits):
    limits["exposure_report"] = [(2, 86400)]
    school = SchoolFactory()
    client.force_login(UserFactory())
    for _ in range(2):
        assert client.post(reverse("alerts:report"), report_form(school)).status_code == 302
    response = client.post(reverse("alerts:report"), report_form(school, note_to_moderators="Third time"))
    html = response.content.decode()
    assert AGAIN in html and "What you wrote is kept." in html and "Third time" in html
    assert ExposureReport.objects.count() == 2


def test_a_school_contact_hears_of_at_most_the_daily_number_of_reports(
    client, limits, django_capture_on_commit_callbacks
):
    limits["report_notice"] = [(2, 86400)]
    school = SchoolFactory()
    contact = SchoolContactFactory(school=school)
    for _ in range(3):
        client.force_login(UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("alerts:report"), report_form(school)).status_code == 302
    assert ExposureReport.objects.count() == 3
    assert [message.to for message in mail.outbox] == [[contact.user.email]] * 2


def test_contact_requests_stop_at_the_daily_limit_and_keep_the_input(client, limits):
    limits["contact_request"] = [(1, 86400)]
    SchoolFactory(slug="lakeside"), SchoolFactory(slug="hillside")
    client.force_login(UserFactory())
    url = reverse("alerts:contact_request")
    assert client.post(url, {"school": "lakeside", "role_at_school": "School nurse"}).status_code == 302
    response = client.post(url, {"school": "hillside", "role_at_school": "Head teacher"})
    assert AGAIN in response.content.decode() and 'value="Head teacher"' in response.content.decode()
    assert SchoolContact.objects.count() == 1


def test_an_already_subscribed_address_gets_one_reminder_a_day(client, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    SubscriptionFactory(email="parent@example.net", school=school)
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("alerts:subscribe"), subscribe_form(school))
        assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["parent@example.net"]]
