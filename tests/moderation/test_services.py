import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from community.models import Post
from community.permissions import NotAllowed
from moderation import services
from moderation.models import Flag, ModerationAction, Suspension
from moderation.policy import is_suspended
from tests.community import factories as community
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


@pytest.fixture
def post():
    thread = community.thread(title="Flares after strep")
    return community.replies(thread, 1)[0]


def flag_by_members(post, count, reason=Flag.Reason.SPAM):
    return [services.flag_post(flagger=UserFactory(), post=post, reason=reason) for _ in range(count)]


def test_two_flags_leave_a_post_up_and_the_third_hides_it_at_once(post):
    flag_by_members(post, 2)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.VISIBLE
    flag_by_members(post, 1)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.HIDDEN
    assert post.hidden_reason == services.AUTO_HIDE_REASON
    entry = ModerationAction.objects.get(action=Action.POST_HIDE)
    assert entry.actor is None and entry.member == post.author


def test_a_member_flags_a_post_once(post):
    member = UserFactory()
    services.flag_post(flagger=member, post=post, reason=Flag.Reason.SPAM)
    with pytest.raises(NotAllowed, match="already flagged"):
        services.flag_post(flagger=member, post=post, reason=Flag.Reason.HARASSMENT)
    assert Flag.objects.count() == 1


def test_own_posts_cannot_be_flagged_and_other_needs_a_note(post):
    with pytest.raises(NotAllowed, match="your own post"):
        services.flag_post(flagger=post.author, post=post, reason=Flag.Reason.SPAM)
    with pytest.raises(NotAllowed, match="say what is wrong"):
        services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.OTHER, note=" ")


def test_a_crisis_flag_emails_every_moderator_at_once(post, django_capture_on_commit_callbacks):
    first, second = ModeratorFactory(email="mod1@example.org"), ModeratorFactory(email="mod2@example.org")
    UserFactory(email="mod3@example.org", roles=[Role.MODERATOR], two_factor=False)  # no power: not told
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_post(flagger=UserFactory(), post=post, reason=Flag.Reason.CRISIS, note="worried")
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, second.email]
    assert "Crisis flag" in mail.outbox[0].subject
    assert post.body not in mail.outbox[0].body  # the text stays behind the moderators' login


def test_approving_a_hidden_post_restores_it_and_closes_its_flags(post):
    flag_by_members(post, 3)
    moderator = ModeratorFactory()
    services.approve(moderator=moderator, post=post)
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.VISIBLE
    assert not Flag.objects.open().exists()
    assert ModerationAction.objects.filter(action=Action.POST_RESTORE, actor=moderator).exists()


def test_hiding_needs_a_reason_and_tells_the_author(post, django_capture_on_commit_callbacks):
    moderator = ModeratorFactory()
    with pytest.raises(NotAllowed, match="Say why"):
        services.hide(moderator=moderator, post=post, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(moderator=moderator, post=post, reason="Names a child's school.")
    post.refresh_from_db()
    assert post.visibility == Post.Visibility.HIDDEN and post.hidden_reason == "Names a child's school."
    (message,) = mail.outbox
    assert message.to == [post.author.email] and "Names a child's school." in message.body


def test_suspension_stops_posting_ends_by_itself_and_is_emailed(post, django_capture_on_commit_callbacks):
    moderator = ModeratorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        suspension = services.suspend(moderator=moderator, member=post.author, days=3, reason="Unkind replies")
    assert is_suspended(post.author)
    assert "suspended" in mail.outbox[0].subject and "Unkind replies" in mail.outbox[0].body
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now())
    assert not is_suspended(post.author)


def test_delete_and_ban_removes_every_post_of_a_spammer_in_one_step():
    spammer = UserFactory()
    threads = [community.thread(author=spammer, title=f"Buy cure {n}") for n in range(2)]
    community.replies(community.thread(title="Real question"), 3, author=spammer)
    bystander_reply = community.replies(threads[0], 1)[0]
    count = services.ban_and_delete_posts(moderator=ModeratorFactory(), member=spammer, reason="Spam")
    assert count == 5
    assert not Post.objects.filter(author=spammer).exclude(visibility=Post.Visibility.DELETED).exists()
    bystander_reply.refresh_from_db()
    assert bystander_reply.is_visible
    assert Suspension.objects.get(member=spammer).is_ban and is_suspended(spammer)
    assert ModerationAction.objects.get(action=Action.MEMBER_BAN).reason == "Spam (5 posts deleted)"


@pytest.mark.parametrize(
    "decide",
    [
        lambda member, post: services.approve(moderator=member, post=post),
        lambda member, post: services.hide(moderator=member, post=post, reason="x"),
        lambda member, post: services.delete(moderator=member, post=post),
        lambda member, post: services.warn(moderator=member, member=post.author, reason="x"),
        lambda member, post: services.suspend(moderator=member, member=post.author, days=1, reason="x"),
        lambda member, post: services.ban_and_delete_posts(moderator=member, member=post.author, reason="x"),
    ],
    ids=["approve", "hide", "delete", "warn", "suspend", "ban"],
)
def test_every_decision_is_refused_to_non_moderators(post, decide):
    with pytest.raises(NotAllowed):
        decide(UserFactory(), post)
    post.refresh_from_db()
    assert post.is_visible and not Suspension.objects.exists()
    assert not ModerationAction.objects.exists()


def test_the_suspension_email_gives_the_reason_as_the_moderator_wrote_it(django_capture_on_commit_callbacks):
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(moderator=ModeratorFactory(), member=member, days=3, reason="Unkind replies to a new parent.")
    (email,) = [message for message in mail.outbox if message.to == [member.email]]
    assert "Why: Unkind replies to a new parent." in email.body and "3 days:" not in email.body
