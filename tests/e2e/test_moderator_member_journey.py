"""A moderator's member journey in headless Chromium: from the header's pending count to the queue,
then finding a member by pseudonym, suspending them for three days and lifting it again, with the
member told by email each time (through a real SMTP server)."""

import time

import pytest

from moderation import services
from moderation.models import Flag, ModerationAction
from moderation.policy import is_suspended
from tests.community import factories as community
from tests.factories import UserFactory
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mail_to(server, address: str, count: int) -> list:
    """The messages `address` received, once there are `count` (others get mail too: the thread's
    author is told of the reply)."""
    deadline = time.monotonic() + 10
    while len(found := server.to(address)) < count:
        assert time.monotonic() < deadline, f"{address} got {len(found)} messages, expected {count}"
        time.sleep(0.1)
    return found


def test_a_moderator_finds_a_member_suspends_them_for_three_days_and_lifts_it(mail_server, moderator_page):
    member = UserFactory(email="owl@example.org", display_name="Night Owl Mum")
    post = community.replies(community.thread(title="Bedtime rages"), 1, author=member)[0]
    services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.HARASSMENT, note="Unkind reply")
    tab = moderator_page

    # The header says one item waits; the queue names the post's author with a link to their page.
    tab.goto("/")
    tab.get_by_role("link", name="Moderation 1 item waiting").click()
    item = tab.locator(".queue-item", has_text="Bedtime rages")
    assert item.get_by_role("link", name="Night Owl Mum").is_visible()

    # Find the member by part of their pseudonym.
    tab.get_by_role("navigation", name="Moderation").get_by_role("link", name="Members").click()
    tab.get_by_label("Pseudonym").fill("night owl")
    tab.get_by_role("button", name="Find").click()
    tab.get_by_role("link", name="Night Owl Mum").click()
    tab.get_by_role("heading", name="Night Owl Mum", level=1).wait_for()
    assert tab.get_by_test_id("member-standing").inner_text() == "Active"
    assert tab.get_by_role("link", name="Reply in “Bedtime rages”").is_visible()
    assert tab.get_by_text("Unkind reply").is_visible()  # the flag on their post
    assert_accessible(tab)

    # A suspension without a reason is refused, keeping the chosen length.
    suspend = tab.locator("form", has=tab.get_by_role("heading", name="Suspend"))
    suspend.get_by_label("Suspend for").select_option(label="3 days")
    suspend.get_by_role("button", name="Suspend Night Owl Mum").click()
    tab.get_by_text("Say why the member is suspended: they will read it.").first.wait_for()
    suspend = tab.locator("form", has=tab.get_by_role("heading", name="Suspend"))
    assert suspend.get_by_label("Suspend for").input_value() == "3"
    assert not is_suspended(member)

    suspend.get_by_label("Why (the member reads it)").fill("Unkind replies to a new parent.")
    suspend.get_by_role("button", name="Suspend Night Owl Mum").click()
    tab.get_by_text("Night Owl Mum is suspended for 3 days and has been told by email.").wait_for()
    assert tab.get_by_test_id("member-standing").inner_text().startswith("Suspended until ")
    assert tab.get_by_role("cell", name="suspended a member").is_visible()  # the history
    assert is_suspended(member)
    (suspended_email,) = mail_to(mail_server, "owl@example.org", 1)
    assert suspended_email.subject == "[PANDAS Parent Network] Your account is suspended for a while"
    assert "Why: Unkind replies to a new parent." in suspended_email.body()

    # Lift it: the standing is back to active and the member is told.
    lift = tab.locator("form", has=tab.get_by_role("heading", name="Lift the suspension"))
    lift.get_by_label("Note to the member").fill("Thank you for your apology.")
    lift.get_by_role("button", name="Lift the suspension").click()
    tab.get_by_text("Night Owl Mum can post again and has been told by email.").wait_for()
    assert tab.get_by_test_id("member-standing").inner_text() == "Active"
    assert not is_suspended(member)
    lifted_email = mail_to(mail_server, "owl@example.org", 2)[1]
    assert lifted_email.subject == "[PANDAS Parent Network] Your suspension is lifted"
    assert "Their note: Thank you for your apology." in lifted_email.body()
    assert list(ModerationAction.objects.filter(member=member).values_list("action", flat=True)) == [
        ModerationAction.Action.MEMBER_UNSUSPEND,
        ModerationAction.Action.MEMBER_SUSPEND,
    ]
    assert_accessible(tab)
