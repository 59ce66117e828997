import pytest

from moderation.audit import record_action
from moderation.models import AppendOnlyError, ModerationAction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_action_keeps_who_what_target_and_reason():
    moderator, member = UserFactory(), UserFactory(display_name="Loud Crow")
    entry = record_action(
        actor=moderator, action=ModerationAction.Action.MEMBER_WARN, target=member, member=member, reason="rude"
    )
    assert entry.target == member
    # By id, never by name: the log outlives a deleted account (it shows "Former member N" then).
    assert entry.target_description == f"member #{member.pk}"
    assert str(entry).endswith(f"warned a member (member #{member.pk})")


def test_the_audit_log_cannot_be_changed_or_deleted():
    entry = record_action(actor=None, action=ModerationAction.Action.POST_HIDE, reason="three flags")
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.get().reason == "three flags"


def test_the_admin_offers_no_way_to_change_the_log(admin_client):
    entry = record_action(actor=None, action=ModerationAction.Action.POST_HIDE)
    assert admin_client.get("/admin/moderation/moderationaction/").status_code == 200
    assert admin_client.get("/admin/moderation/moderationaction/add/").status_code == 403
    assert admin_client.post(f"/admin/moderation/moderationaction/{entry.pk}/delete/").status_code == 403
