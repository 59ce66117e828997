"""The account itself: addresses, sign-in devices, two-factor methods, export requests.

Erasure of the account's own rows runs last (accounts.services.delete_account), after every
other app has used the account's addresses to find what belongs to it.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from accounts.models import DataExport, User
from portal.models import OutboundEmail

COVERS = {
    "accounts.User": (
        "exported; email address, display name, password and language replaced, the row kept as “Former member N”"
    ),
    "accounts.DataExport": "the member's export requests and archives; deleted",
    "account.EmailAddress": "exported; deleted",
    "mfa.Authenticator": "which methods are set up exported (never their secrets); deleted",
    "usersessions.UserSession": "exported (devices and times); ended and deleted",
    "sessions.Session": "ended with the member's sign-in devices; anonymous ones expire with the cookie",
    "auth.Permission": "permission names defined in the code; not about a member",
    "portal.OutboundEmail": (
        "automatic emails to the member's addresses (kind and times exported, never a body: none is stored); deleted"
    ),
    "admin.LogEntry": "the admin site's history: entries about the member deleted; a staff member's own stay",
}


def _time(value):
    return value.isoformat() if value else None


def export(user: User) -> dict:
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
            "community_rules_accepted_at": _time(user.rules_accepted_at),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("id")
            ],
            "roles": sorted(user.role_names),
            "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        },
        "sessions": [
            {
                "started_at": _time(session.created_at),
                "last_seen_at": _time(session.last_seen_at),
                "ip": session.ip,
                "browser": session.user_agent,
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at", "id")
        ],
        "automatic_emails": [
            {"kind": row.kind, "status": row.status, "created_at": _time(row.created_at), "sent_at": _time(row.sent_at)}
            for row in _outbound_emails(user).order_by("created_at", "id")
        ],
    }


def _outbound_emails(user: User):
    """The outbox rows of every address the account has or had (portal.outbox), matched case-blind."""
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    matches = Q()
    for address in addresses:
        matches |= Q(recipient__iexact=address)
    return OutboundEmail.objects.filter(matches)


def erase(user: User, *, delete_posts: bool) -> None:
    """The account's own rows. Sessions are ended by the caller (they live in the cache too)."""
    user_type = ContentType.objects.get_for_model(User)
    # Entries about the member name them; entries by a staff member are about other things and stay.
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
    _outbound_emails(user).delete()
    DataExport.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
