"""The writes of sharing a child's journal: caregiver invitations, clinician share links, their views.

Invitation and share links are signed (django.core.signing) rather than stored: a link names its row
and the row decides (open, expired, revoked). The owner manages sharing; every check is here.
"""

import datetime
import logging

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal import access
from journal.models import Caregiver, CaregiverInvite, Child, ShareLink, ShareView
from portal import limits, outbox
from portal.emails import absolute_url, build_email

logger = logging.getLogger(__name__)

INVITE_LIFETIME = datetime.timedelta(days=14)
MAX_SHARE_DAYS = 30
INVITE_SALT = "journal.caregiver-invite"
SHARE_SALT = "journal.share-link"
# Expired or ended invitations and links (with their record of views) are deleted this long after.
KEPT_AFTER_END = datetime.timedelta(days=30)
INVITE_EMAIL = "journal.caregiver_invite"


class InvalidInvite(Exception):
    """The invitation was accepted, revoked or has expired."""


# --- Caregivers ----------------------------------------------------------------------------------


def invite_caregiver(*, user, child: Child, email: str, role: str) -> CaregiverInvite:
    """Invite someone, by email, to log to (or view) the child's journal. The email goes out on commit."""
    access.require(user, child, access.OWN)
    email = email.strip().lower()
    validate_email(email)
    if role not in (Caregiver.Role.CAN_LOG, Caregiver.Role.CAN_VIEW):
        raise ValidationError({"role": "Choose “can log” or “can view”."})
    if email == user.email.lower():
        raise ValidationError({"email": "That is your own address."})
    limits.consume("journal_invite", user.pk)
    with transaction.atomic():
        invite = CaregiverInvite.objects.create(
            child=child, email=email, role=role, invited_by=user, expires_at=timezone.now() + INVITE_LIFETIME
        )
        outbox.enqueue_email(INVITE_EMAIL, invite.pk, [invite.email])
    return invite


def invite_token(invite: CaregiverInvite) -> str:
    return signing.dumps(invite.pk, salt=INVITE_SALT)


def invite_for_token(token: str) -> CaregiverInvite | None:
    try:
        pk = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_LIFETIME)
    except signing.BadSignature:
        return None
    invite = CaregiverInvite.objects.select_related("child", "invited_by").filter(pk=pk).first()
    return invite if invite and invite.is_open else None


def send_caregiver_invite(*, invite_id: int) -> bool:
    """For an invite task published before the outbox: its outbox row (the same one if it exists)."""
    invite = CaregiverInvite.objects.filter(pk=invite_id, sent_at__isnull=True).first()
    return bool(invite and invite.is_open and outbox.enqueue_email(INVITE_EMAIL, invite.pk, [invite.email]))


def caregiver_invite_email(*, invite_id: int, to: str):
    """The outbox's builder: the invitation's one email while it is open; records when it went."""
    invite = (
        CaregiverInvite.objects.select_for_update(of=("self",))
        .select_related("invited_by")
        .filter(pk=invite_id)
        .first()
    )
    # The address is stored encrypted (journal.fields): compared here, not in the query.
    if invite is None or not invite.is_open or invite.email != to:
        return None
    link = absolute_url(reverse("journal:invite", args=[invite_token(invite)]))
    message = build_email(
        to=invite.email,
        # Neither the child's label nor anything from the journal: only who invites, and the link.
        subject="[PANDAS Parent Network] An invitation to keep a child's journal together",
        template="journal/email/invite",
        context={"inviter": invite.invited_by.display_name, "link": link, "invite": invite},
    )

    def after_sent():
        CaregiverInvite.objects.filter(pk=invite.pk).update(sent_at=timezone.now())
        logger.info("journal: invite %s sent", invite.pk)

    message.after_sent = after_sent
    return message


def accept_invite(*, user, invite: CaregiverInvite) -> Caregiver:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Log in to accept the invitation.")
    with transaction.atomic():
        invite = CaregiverInvite.objects.select_for_update().get(pk=invite.pk)
        if not invite.is_open:
            raise InvalidInvite("This invitation was already used, was withdrawn or has expired.")
        if invite.invited_by_id == user.pk:
            raise InvalidInvite("You cannot accept your own invitation: send the link to the person you invited.")
        link, created = Caregiver.objects.get_or_create(child=invite.child, user=user, defaults={"role": invite.role})
        if not created and link.role == Caregiver.Role.CAN_VIEW and invite.role == Caregiver.Role.CAN_LOG:
            link.role = Caregiver.Role.CAN_LOG
            link.save(update_fields=["role"])
        invite.accepted_at, invite.accepted_by = timezone.now(), user
        invite.save(update_fields=["accepted_at", "accepted_by"])
    return link


def revoke_invite(*, user, child: Child, invite_id: int) -> None:
    access.require(user, child, access.OWN)
    CaregiverInvite.objects.filter(child=child, pk=invite_id, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def remove_caregiver(*, user, child: Child, caregiver_id: int) -> None:
    """The owner takes a caregiver off the child (the owner stays)."""
    access.require(user, child, access.OWN)
    Caregiver.objects.filter(child=child, pk=caregiver_id).exclude(role=Caregiver.Role.OWNER).delete()


def leave_child(*, user, child: Child) -> None:
    """A caregiver who is not the owner stops seeing the child."""
    link = access.require(user, child, access.VIEW)
    if link.is_owner:
        raise ValidationError("The owner cannot leave the journal.")
    link.delete()


# --- Clinician share links -----------------------------------------------------------------------


def create_share_link(*, user, child: Child, days: int, recipient: str = "") -> ShareLink:
    access.require(user, child, access.OWN)
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise ValidationError({"days": f"From 1 to {MAX_SHARE_DAYS} days."})
    limits.consume("journal_share_link", user.pk)
    return ShareLink.objects.create(
        child=child,
        recipient=" ".join(recipient.split())[:80],
        created_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )


def share_token(link: ShareLink) -> str:
    return signing.dumps(link.pk, salt=SHARE_SALT)


def link_for_token(token: str) -> ShareLink | None:
    """The live link a token names; None for a bad, expired or revoked one."""
    try:
        pk = signing.loads(token, salt=SHARE_SALT, max_age=datetime.timedelta(days=MAX_SHARE_DAYS))
    except signing.BadSignature:
        return None
    link = ShareLink.objects.select_related("child").filter(pk=pk).first()
    return link if link and link.is_live else None


def record_view(*, link: ShareLink) -> ShareView:
    return ShareView.objects.create(link=link)


def revoke_share_link(*, user, child: Child, link_id: int) -> None:
    access.require(user, child, access.OWN)
    ShareLink.objects.filter(child=child, pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tidy(*, now: datetime.datetime | None = None) -> int:
    """Delete invitations and share links (with their views) ended more than KEPT_AFTER_END ago."""
    cutoff = (now or timezone.now()) - KEPT_AFTER_END
    invites, _ = CaregiverInvite.objects.filter(expires_at__lt=cutoff).delete()
    links, _ = ShareLink.objects.filter(expires_at__lt=cutoff).delete()
    revoked, _ = ShareLink.objects.filter(revoked_at__lt=cutoff).delete()
    return invites + links + revoked
