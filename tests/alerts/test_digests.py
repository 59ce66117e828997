"""Daily digests: one email per subscriber listing the day's alerts; nothing when there were none."""

import datetime

import pytest
from django.utils import timezone

from alerts import services, tasks
from alerts.models import Alert, Digest, Subscription
from alerts.schedule import BEAT_SCHEDULE
from tests.alerts.factories import ExposureReportFactory, SchoolFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_digest_lists_the_days_alerts_for_all_schools_of_the_address_in_one_email(mail_server, moderator):
    first, second, quiet = SchoolFactory(name="First School"), SchoolFactory(name="Second School"), SchoolFactory()
    for school in (first, second, quiet):
        SubscriptionFactory(school=school, email="digest@example.net", delivery="digest")
    SubscriptionFactory(school=first, email="now@example.net", delivery="immediate")
    SubscriptionFactory(school=quiet, email="quiet@example.net", delivery="digest")
    for school in (first, second):
        alert = services.approve_report(report=ExposureReportFactory(school=school), moderator=moderator)
        for batch in services.plan_alert(alert_id=alert.pk):
            services.send_deliveries(delivery_ids=batch)
    assert [m.recipients for m in mail_server.messages] == [["now@example.net"]]  # digest readers wait

    tasks.send_daily_digests.delay()
    tasks.send_daily_digests.delay()  # beat firing twice sends nothing twice
    messages = mail_server.wait_for(2)
    digests = [m for m in messages if m.recipients == ["digest@example.net"]]
    assert len(digests) == 1 and len(messages) == 2
    body = digests[0].body()
    assert "First School" in body and "Second School" in body
    assert digests[0].message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not mail_server.to("quiet@example.net")
    assert Digest.objects.get().status == "sent"


def test_no_digest_when_there_were_no_alerts(mail_server, moderator):
    school = SchoolFactory()
    SubscriptionFactory(school=school, delivery="digest")
    old = services.approve_report(report=ExposureReportFactory(school=school), moderator=moderator)
    Alert.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    tasks.send_daily_digests.delay()
    assert mail_server.messages == [] and not Digest.objects.exists()


def test_digests_run_from_beat_at_a_set_hour_and_the_sweeper_every_minute():
    digest = BEAT_SCHEDULE["alerts-daily-digests"]
    assert digest["task"] == "alerts.tasks.send_daily_digests"
    assert digest["schedule"].hour == {16}
    assert BEAT_SCHEDULE["alerts-sweep-outbox"]["schedule"] == 60.0


def test_digest_one_click_unsubscribe_stops_every_digest_of_the_address(client, mail_server, moderator):
    import re

    schools = [SchoolFactory(), SchoolFactory()]
    for school in schools:
        SubscriptionFactory(school=school, email="digest@example.net", delivery="digest")
        services.approve_report(report=ExposureReportFactory(school=school), moderator=moderator)
    immediate = SubscriptionFactory(school=schools[0], email="other@example.net")
    tasks.send_daily_digests.delay()
    (digest,) = mail_server.wait_for(1)
    url = re.search(
        r"<http://testserver(/alerts/unsubscribe/\S+/)>", " ".join(digest.message["List-Unsubscribe"].split())
    )
    assert client.post(url.group(1)).status_code == 200
    assert set(Subscription.objects.filter(email="digest@example.net").values_list("status", flat=True)) == {
        "unsubscribed"
    }
    immediate.refresh_from_db()
    assert immediate.status == "active"


def test_digest_readers_follow_the_same_grade_rule_as_immediate_subscribers(mail_server, moderator):
    """Whole-school and classroom alerts reach every grade; a grade alert its grade and whole-school
    subscribers only: in the digest exactly as in the immediate emails."""
    import re

    school = SchoolFactory(allow_classroom_scope=True, classroom_labels="Room 12")
    followers = {"whole": "", "third": "3", "fifth": "5"}
    for name, grade in followers.items():
        SubscriptionFactory(school=school, grade=grade, email=f"{name}-now@example.net")
        SubscriptionFactory(school=school, grade=grade, email=f"{name}-digest@example.net", delivery="digest")
    for scope, label in (("school", ""), ("grade", "3"), ("classroom", "Room 12")):
        report = ExposureReportFactory(school=school, scope=scope, scope_label=label)
        alert = services.approve_report(report=report, moderator=moderator)
        for batch in services.plan_alert(alert_id=alert.pk):
            services.send_deliveries(delivery_ids=batch)
    tasks.send_daily_digests.delay()
    mail_server.wait_for(8 + 3)  # 3 + 2 + 3 immediate emails, one digest per digest reader

    def heard(address: str, pattern: str) -> set[str]:
        found = (re.findall(pattern, m.body().replace("\r\n", "\n"), re.MULTILINE) for m in mail_server.to(address))
        return {scope for scopes in found for scope in scopes}

    for name in followers:
        immediately = heard(f"{name}-now@example.net", r"^Who was exposed: (.+)$")
        in_digest = heard(f"{name}-digest@example.net", r"^- [^,]+, ([^,]+), ")
        assert immediately == in_digest, name
    assert in_digest == {"Whole school", "Room 12"}  # the fifth grade hears nothing of the third's
    assert heard("third-digest@example.net", r"^- [^,]+, ([^,]+), ") == {"Whole school", "Grade 3", "Room 12"}
