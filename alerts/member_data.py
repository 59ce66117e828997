"""A member's alerts data: subscriptions of their addresses, contact requests, exposure reports.

Subscriptions belong to an address, not an account: a member's are those of the account's
address and of every verified address on it. Erasure ends and deletes them, with their
deliveries and digests, and puts a keyed hash of each address on the suppression list.
"""

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from alerts.models import Delivery, Digest, ExposureReport, SchoolContact, Subscription
from portal.suppression import Reason, suppress_address

COVERS = {
    "alerts.Subscription": "subscriptions of the member's verified addresses exported; ended and deleted",
    "alerts.Delivery": "deleted with their subscription",
    "alerts.Digest": "deleted for the member's addresses",
    "alerts.SchoolContact": "exported; deleted",
    "alerts.ExposureReport": "exported with the note; the note erased, the report kept (it may have made an alert)",
    "alerts.School": "the school directory; not about a member",
    # About an address, not a member: a keyed hash that cannot be read back, so not exported. Erasure
    # writes one (below) and never removes one: the address must not be mailed after it is gone.
    "portal.SuppressedAddress": "a keyed hash of an address (reason and time only); written on erasure, kept",
    "portal.SoftBounce": "a keyed hash of an address and a time; kept until it ages out or suppresses",
    "alerts.SchoolImport": "a staff upload of the school directory (no member's data); kept, under “Former member N”",
}


def _time(value):
    return value.isoformat() if value else None


def member_addresses(user: User) -> list[str]:
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in verified)})


def _subscriptions(addresses: list[str]):
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address)
    return Subscription.objects.filter(matches) if addresses else Subscription.objects.none()


def export(user: User) -> dict:
    addresses = member_addresses(user)
    return {
        "alerts": {
            "subscriptions": [
                {
                    "email": subscription.email,
                    "school": str(subscription.school),
                    "role": subscription.get_role_display(),
                    "grade": subscription.grade,
                    "delivery": subscription.get_delivery_display(),
                    "language": subscription.get_language_display(),
                    "status": subscription.get_status_display(),
                    "created_at": _time(subscription.created_at),
                    "confirmed_at": _time(subscription.confirmed_at),
                    "confirmed_from_ip": subscription.confirmed_ip,
                    "unsubscribed_at": _time(subscription.unsubscribed_at),
                }
                for subscription in _subscriptions(addresses).select_related("school").order_by("id")
            ],
            "school_contact_requests": [
                {
                    "school": str(contact.school),
                    "role_at_school": contact.role_at_school,
                    "status": contact.get_status_display(),
                    "requested_at": _time(contact.requested_at),
                    "verified_at": _time(contact.verified_at),
                }
                for contact in SchoolContact.objects.filter(user=user).select_related("school").order_by("id")
            ],
            "exposure_reports": [
                {
                    "school": str(report.school),
                    "scope": report.get_scope_display(),
                    "scope_label": report.scope_label,
                    "kind": report.get_kind_display(),
                    "window_start": _time(report.window_start),
                    "window_end": _time(report.window_end),
                    "note_to_moderators": report.note_to_moderators,
                    "status": report.get_status_display(),
                    "created_at": _time(report.created_at),
                }
                for report in ExposureReport.objects.filter(reporter=user).select_related("school").order_by("id")
            ],
        }
    }


def erase(user: User, *, delete_posts: bool) -> None:
    addresses = member_addresses(user)
    subscriptions = _subscriptions(addresses)
    # Ended first, so a fan-out already running skips them; then deleted with their deliveries.
    subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    Delivery.objects.filter(subscription__in=subscriptions).delete()
    subscriptions.delete()
    for address in addresses:
        Digest.objects.filter(email__iexact=address).delete()
        suppress_address(address, reason=Reason.ACCOUNT_DELETED)
    SchoolContact.objects.filter(user=user).delete()
    ExposureReport.objects.filter(reporter=user).exclude(note_to_moderators="").update(note_to_moderators="")
