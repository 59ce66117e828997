"""The notification path through a real Celery worker on Redis and a real SMTP server."""

import re
import time
from email.header import decode_header, make_header

import pytest

from community.models import Notification
from tests.community import factories
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_burst_of_replies_reaches_the_follower_as_one_email(settings, celery_worker, mail_server, client):
    settings.COMMUNITY_EMAIL_DELAY_SECONDS = 2
    follower = UserFactory(email="follower@example.org")
    thread = factories.thread(author=follower, title="Burst of replies")
    replier = UserFactory(email="replier@example.org")
    factories.replies(thread, 3, author=replier)

    (message,) = mail_server.wait_for(1, timeout=15)
    time.sleep(3)  # the other two queued tasks ran and found nothing left to send
    assert len(mail_server.messages) == 1
    assert message.recipients == ["follower@example.org"]
    assert (
        str(make_header(decode_header(message.subject)))
        == "[PANDAS Parent Network] 3 new replies in “Burst of replies”"
    )
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}

    unfollow = re.search(r"http://testserver(/community/unfollow/\S+/)", message.body()).group(1)
    assert client.post(unfollow).status_code == 200
    assert not thread.follows.filter(user=follower).exists()


def test_a_refused_delivery_is_retried_and_sent_once(settings, celery_worker, mail_server):
    settings.COMMUNITY_EMAIL_DELAY_SECONDS = 0
    mail_server.refuse("follower@example.org", code=451, times=1)
    follower = UserFactory(email="follower@example.org")
    factories.replies(factories.thread(author=follower), 1)
    (message,) = mail_server.wait_for(1, timeout=20)
    assert message.recipients == ["follower@example.org"]
    time.sleep(1)
    assert len(mail_server.messages) == 1


def test_beat_runs_the_daily_digest_and_the_outbox_sweeper_not_a_sweeper_of_its_own():
    from portal.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["community-daily-digest"]["task"] == "community.tasks.send_daily_digests"
    assert schedule["portal-outbox-sweep"]["task"] == "portal.tasks.sweep_outbound_emails"
    assert "community-notification-sweeper" not in schedule
