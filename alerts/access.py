"""Who may see and do what in alerts: the one place that decides it.

- Everyone sees published alerts (school, scope, dates — never a child or a reporter) and the
  schools' pages and feeds.
- A member sees their own exposure reports, their own school-contact rows and the subscriptions of
  their own (verified) address, and changes only those.
- Moderators — with two-factor authentication (`User.is_moderator`, decided in accounts) — decide
  reports, verify and revoke school contacts, and read the audit, which names reporters; services
  refuse anyone else through `accounts.authority.require_moderator`.
"""

from django.db.models import QuerySet

from alerts.models import ExposureReport, SchoolContact, Subscription


def own_reports(user) -> QuerySet:
    return ExposureReport.objects.filter(reporter=user)


def own_contacts(user) -> QuerySet:
    return SchoolContact.objects.filter(user=user)


def own_subscriptions(user) -> QuerySet:
    """Subscriptions of the member's own address (their login address is a verified one)."""
    return Subscription.objects.for_email(user.email)
