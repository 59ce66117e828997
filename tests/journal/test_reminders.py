"""Daily check-in reminders: at the member's hour and in their language, once a day, only when needed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from journal import reminders, services
from journal.models import Caregiver, Reminder, ReminderSetting
from portal import outbox
from portal.models import OutboundEmail
from tests.factories import UserFactory
from tests.journal import factories

pytestmark = pytest.mark.django_db

# 20:10 in New York (UTC-5 in winter) is 01:10 UTC the next day.
EVENING_IN_NEW_YORK = datetime.datetime(2026, 1, 16, 1, 10, tzinfo=datetime.UTC)


def parent_with_reminder(hour=20, time_zone="America/New_York", language="en"):
    child = factories.child()
    parent = factories.owner_of(child)
    reminders.save_setting(user=parent, enabled=True, hour=hour, time_zone=time_zone, language=language)
    return parent, child


def plan_and_send(now=EVENING_IN_NEW_YORK) -> int:
    """Beat's plan, then its outbox rows sent (here, not on a commit that a test transaction never makes)."""
    reminders.plan(now=now)
    return outbox.send_outbound_emails(ids=pending_rows()).sent


def pending_rows() -> list[int]:
    return list(
        OutboundEmail.objects.filter(kind=reminders.REMINDER_EMAIL, status="pending").values_list("pk", flat=True)
    )


def test_a_reminder_goes_at_the_members_hour_in_their_time_zone_once_a_day():
    parent, _ = parent_with_reminder()

    assert plan_and_send(EVENING_IN_NEW_YORK - datetime.timedelta(hours=1)) == 0  # 19:10 there
    assert plan_and_send() == 1
    assert plan_and_send(EVENING_IN_NEW_YORK + datetime.timedelta(minutes=30)) == 0  # the same hour again

    [message] = mail.outbox
    assert message.to == [parent.email] and "Time for today's check-in" in message.subject
    assert Reminder.objects.get(user=parent).day == datetime.date(2026, 1, 15)  # their day, not UTC's
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{reverse('journal:reminders')}>")


def test_no_reminder_when_every_child_has_todays_check_in():
    parent, child = parent_with_reminder()
    services.save_check_in(user=parent, child=child, date=datetime.date(2026, 1, 15), ratings={"overall": 3})

    assert plan_and_send() == 0 and not Reminder.objects.exists()


def test_the_reminder_is_in_the_members_language_and_says_nothing_about_the_child():
    parent_with_reminder(language="es")

    plan_and_send()

    [message] = mail.outbox
    assert "Es hora del registro de hoy" in message.subject and "Un recordatorio" in message.body
    assert "Our eldest" not in message.body


def test_a_member_who_may_only_view_or_turned_reminders_off_gets_none():
    viewer = UserFactory()
    factories.add_caregiver(factories.child(), user=viewer, role=Caregiver.Role.CAN_VIEW)
    reminders.save_setting(user=viewer, enabled=True, hour=20, time_zone="America/New_York", language="en")
    off, _ = parent_with_reminder()
    ReminderSetting.objects.filter(user=off).update(enabled=False)

    assert plan_and_send() == 0


def test_a_row_is_sent_once_even_if_planned_twice_and_two_batches_hold_it():
    parent_with_reminder()
    assert reminders.plan(now=EVENING_IN_NEW_YORK) == reminders.plan(now=EVENING_IN_NEW_YORK) == 1
    batch = pending_rows()

    assert outbox.send_outbound_emails(ids=batch).sent + outbox.send_outbound_emails(ids=batch).sent == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_a_check_in_logged_before_the_reminder_goes_makes_it_unnecessary():
    parent, child = parent_with_reminder()
    reminders.plan(now=EVENING_IN_NEW_YORK)
    services.save_check_in(user=parent, child=child, date=datetime.date(2026, 1, 15), ratings={"overall": 3})

    assert outbox.send_outbound_emails(ids=pending_rows()).skipped == 1
    assert mail.outbox == []


def test_the_member_sets_the_reminder_on_its_page(client):
    member = UserFactory()
    client.force_login(member)
    assert "Email me a daily reminder" in client.get(reverse("journal:reminders")).content.decode()

    client.post(
        reverse("journal:reminders"),
        {"enabled": "on", "hour": "7", "time_zone": "Europe/Madrid", "language": "es"},
    )

    setting = ReminderSetting.objects.get(user=member)
    assert (setting.enabled, setting.hour, setting.time_zone, setting.language) == (True, 7, "Europe/Madrid", "es")


def test_an_unknown_time_zone_is_refused_and_the_form_kept(client):
    client.force_login(UserFactory())

    response = client.post(reverse("journal:reminders"), {"enabled": "on", "hour": "7", "time_zone": "Mars/Olympus"})

    assert "Select a valid choice" in response.content.decode() and not ReminderSetting.objects.exists()
