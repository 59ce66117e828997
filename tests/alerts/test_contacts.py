"""School contacts: a member asks to speak for a school; moderators verify and revoke, on the record."""

import pytest
from django.urls import reverse

from alerts import services
from alerts.models import SchoolContact
from moderation.models import ModerationAction
from tests.alerts.factories import SchoolFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_contact_request_then_moderator_verification_is_logged(client, moderator):
    school = SchoolFactory(slug="lakeside")
    member = UserFactory()
    client.force_login(member)
    response = client.post(reverse("alerts:contact_request"), {"school": "lakeside", "role_at_school": "School nurse"})
    assert response.status_code == 302
    contact = SchoolContact.objects.get()
    assert contact.status == SchoolContact.Status.REQUESTED
    with pytest.raises(Exception, match="Only moderators"):
        services.verify_contact(contact=contact, moderator=member)
    services.verify_contact(contact=contact, moderator=moderator)
    contact.refresh_from_db()
    assert contact.status == SchoolContact.Status.VERIFIED and contact.verified_by == moderator
    entry = ModerationAction.objects.get(action="contact.verify")
    assert (entry.actor, entry.member) == (moderator, member)
    services.revoke_contact(contact=contact, moderator=moderator, reason="left the school")
    assert ModerationAction.objects.filter(action="contact.revoke").count() == 1
    assert not SchoolContact.objects.is_verified(user=member, school=school)
