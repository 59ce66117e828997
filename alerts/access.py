"""Who may see and do what in alerts: the one place that decides it.

- Everyone sees published alerts (school, scope, dates — never a child or a reporter) and the
  schools' pages and feeds.
- A member sees their own exposure reports, their own school-contact rows and the subscriptions of
  their own (verified) address, and changes only those.
- Moderators — with two-factor authentication (`User.is_moderator`, decided in accounts) — decide
  reports, verify and revoke school contacts, and read the audit, which names reporters.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from alerts.models import ExposureReport, SchoolContact, Subscription


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_moderator)


def require_moderator(user, doing: str) -> None:
    """Refuse a moderator power (`doing`, e.g. "approve exposure reports") to anyone else."""
    if not is_moderator(user):
        raise PermissionDenied(f"Only moderators with two-factor authentication {doing}.")


def own_reports(user) -> QuerySet:
    return ExposureReport.objects.filter(reporter=user)


def own_contacts(user) -> QuerySet:
    return SchoolContact.objects.filter(user=user)


def own_subscriptions(user) -> QuerySet:
    """Subscriptions of the member's own address (their login address is a verified one)."""
    return Subscription.objects.for_email(user.email)
