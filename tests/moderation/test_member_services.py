"""The member decisions a moderator takes from a member's page: warn, suspend, lift, ban; and who
they may be taken against."""

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from community import services as community_services
from community.permissions import NotAllowed
from moderation import selectors, services
from moderation.models import ModerationAction, Suspension
from moderation.policy import is_suspended
from tests.alerts.factories import ExposureReportFactory, SchoolContactFactory
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action

DECISIONS = {
    "warn": lambda moderator, member: services.warn(moderator=moderator, member=member, reason="Be kind"),
    "suspend": lambda moderator, member: services.suspend(moderator=moderator, member=member, days=3, reason="x"),
    "lift": lambda moderator, member: services.lift_suspension(moderator=moderator, member=member),
    "ban": lambda moderator, member: services.ban_and_delete_posts(moderator=moderator, member=member, reason="x"),
}


def suspended(member, *, days=3, by=None):
    return services.suspend(moderator=by or ModeratorFactory(), member=member, days=days, reason="Unkind replies")


def test_lifting_ends_the_suspension_now_logs_it_and_tells_the_member(django_capture_on_commit_callbacks):
    member = UserFactory(display_name="Lifted Lark")
    suspended(member)
    moderator = ModeratorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lift_suspension(moderator=moderator, member=member, reason=" Sorted out by email ") == 1
    assert not is_suspended(member)
    entry = ModerationAction.objects.filter(action=Action.MEMBER_UNSUSPEND).get()
    assert (entry.actor, entry.member, entry.reason) == (moderator, member, "Sorted out by email")
    (email,) = [message for message in mail.outbox if "lifted" in message.subject]
    assert email.to == [member.email] and email.subject == "[PANDAS Parent Network] Your suspension is lifted"
    assert "You can post, react, flag and report again." in email.body
    assert "Their note: Sorted out by email" in email.body
    assert "Why:" not in email.body


def test_lifting_ends_every_running_suspension_and_a_ban_too():
    member = UserFactory()
    suspended(member, days=1)
    suspended(member, days=30)
    assert services.lift_suspension(moderator=ModeratorFactory(), member=member) == 2
    assert not is_suspended(member)

    services.ban_and_delete_posts(moderator=ModeratorFactory(), member=member, reason="Spam")
    assert is_suspended(member)
    services.lift_suspension(moderator=ModeratorFactory(), member=member)
    assert not is_suspended(member)


def test_lifting_is_refused_when_nothing_runs_and_leaves_past_suspensions_alone():
    member = UserFactory(display_name="Free Finch")
    ended = suspended(member)
    Suspension.objects.filter(pk=ended.pk).update(ends_at=timezone.now())
    with pytest.raises(NotAllowed, match="Free Finch is not suspended"):
        services.lift_suspension(moderator=ModeratorFactory(), member=member)
    ended.refresh_from_db()
    assert ended.lifted_at is None
    assert not ModerationAction.objects.filter(action=Action.MEMBER_UNSUSPEND).exists()


def test_a_suspension_lasts_at_least_a_day():
    with pytest.raises(NotAllowed, match="at least one day"):
        services.suspend(moderator=ModeratorFactory(), member=UserFactory(), days=0, reason="x")
    assert not Suspension.objects.exists()


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_moderator_cannot_act_on_their_own_account(decision):
    moderator = ModeratorFactory()
    with pytest.raises(NotAllowed, match="yourself"):
        DECISIONS[decision](moderator, moderator)
    assert not ModerationAction.objects.exists() and not Suspension.objects.filter(lifted_at__isnull=False).exists()


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("two_factor", [True, False], ids=["with-2fa", "without-2fa"])
def test_a_moderator_cannot_act_on_another_moderator_with_or_without_two_factor(decision, two_factor):
    colleague = UserFactory(display_name="Mod Rowan", roles=[Role.MODERATOR], two_factor=two_factor)
    post = community.replies(community.thread(), 1, author=colleague)[0]
    with pytest.raises(NotAllowed, match="Mod Rowan is a moderator: only an administrator"):
        DECISIONS[decision](ModeratorFactory(), colleague)
    post.refresh_from_db()
    assert post.is_visible and not ModerationAction.objects.exists() and not Suspension.objects.exists()


def test_an_administrator_is_out_of_a_moderators_reach():
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(NotAllowed, match="only an administrator"):
        services.suspend(moderator=ModeratorFactory(), member=admin, days=3, reason="x")


def test_lifting_is_refused_to_non_moderators_and_to_moderators_without_two_factor():
    member = UserFactory()
    suspended(member)
    for not_a_moderator in (UserFactory(), UserFactory(roles=[Role.MODERATOR], two_factor=False)):
        with pytest.raises(NotAllowed, match="Only moderators"):
            services.lift_suspension(moderator=not_a_moderator, member=member)
    assert is_suspended(member)


def test_the_queue_count_counts_what_the_queue_lists():
    assert selectors.waiting_count() == 0
    flagged = community.replies(community.thread(), 2)
    for post in flagged:
        services.flag_post(flagger=UserFactory(), post=post, reason="spam")
    held = community.replies(community.thread(), 1)[0]
    community_services.hold_post(moderator=None, post=held, reason="First post")
    ExposureReportFactory()
    SchoolContactFactory(status="requested", verified_at=None)
    queue = selectors.review_queue()
    assert selectors.waiting_count() == len(queue) == 5
    services.approve(moderator=ModeratorFactory(), post=flagged[0])
    assert selectors.waiting_count() == len(selectors.review_queue()) == 4
