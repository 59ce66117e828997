"""School contacts: a member asks to speak for a school, moderators verify or revoke, both are told."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.authority import require_moderator
from accounts.models import User
from accounts.roles import Role
from alerts import emails
from alerts.models import School, SchoolContact
from moderation.audit import record_action
from moderation.models import ModerationAction
from portal import limits, outbox


def request_contact(*, user: User, school: School, role_at_school: str) -> SchoolContact:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to ask to be a school contact.")
    limits.consume("contact_request", user.pk)
    with transaction.atomic():
        contact, created = SchoolContact.objects.get_or_create(
            user=user, school=school, defaults={"role_at_school": role_at_school}
        )
        if not created and contact.status == SchoolContact.Status.REVOKED:
            contact.status, contact.role_at_school = SchoolContact.Status.REQUESTED, role_at_school
            contact.save(update_fields=["status", "role_at_school"])
            created = True
        if created:  # it waits in the moderators' queue: tell them
            tell_moderators_about_contact_request(contact_id=contact.pk)
    return contact


def tell_moderators_about_contact_request(*, contact_id: int) -> int:
    """Email the moderators (with two-factor) that a contact request waits: one outbox row each, in the
    caller's transaction, at most one per request and day. Returns how many rows were written."""
    contact = SchoolContact.objects.get(pk=contact_id)
    if contact.status != SchoolContact.Status.REQUESTED:
        return 0
    moderators = User.objects.with_two_factor().filter(is_active=True, groups__name=Role.MODERATOR.value).distinct()
    addresses = list(moderators.values_list("email", flat=True))
    outbox.enqueue_email(emails.CONTACT_REQUEST_WAITING, f"{contact.pk}:{timezone.localdate():%Y-%m-%d}", addresses)
    return len(addresses)


def tell_contact_about_decision(*, contact_id: int, decision_id: int | None = None) -> None:
    """The member hears of a moderator's decision on their request: one outbox row per decision."""
    contact = SchoolContact.objects.select_related("user").get(pk=contact_id)
    if contact.user.is_active and contact.status != SchoolContact.Status.REQUESTED:
        outbox.enqueue_email(emails.CONTACT_DECISION, f"{contact.pk}:{decision_id or ''}", [contact.user.email])


def verify_contact(*, contact: SchoolContact, moderator: User) -> SchoolContact:
    require_moderator(moderator, "verify school contacts")
    with transaction.atomic():
        contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == SchoolContact.Status.VERIFIED:
            return contact
        contact.status = SchoolContact.Status.VERIFIED
        contact.verified_at, contact.verified_by = timezone.now(), moderator
        contact.save(update_fields=["status", "verified_at", "verified_by"])
        entry = record_action(
            actor=moderator, action=ModerationAction.Action.CONTACT_VERIFY, target=contact, member=contact.user
        )
        tell_contact_about_decision(contact_id=contact.pk, decision_id=entry.pk)
    return contact


def revoke_contact(*, contact: SchoolContact, moderator: User, reason: str = "") -> SchoolContact:
    require_moderator(moderator, "revoke school contacts")
    with transaction.atomic():
        contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
        if contact.status == SchoolContact.Status.REVOKED:
            return contact
        contact.status = SchoolContact.Status.REVOKED
        contact.save(update_fields=["status"])
        entry = record_action(
            actor=moderator,
            action=ModerationAction.Action.CONTACT_REVOKE,
            target=contact,
            member=contact.user,
            reason=reason,
        )
        tell_contact_about_decision(contact_id=contact.pk, decision_id=entry.pk)
    return contact
