"""The journal's automatic emails, for the outbox (portal.outbox): built when they are sent, never
stored, and holding nothing from a child's journal. The messages themselves are made in
journal.reminders and journal.sharing, beside the rows they go with."""

from journal import reminders, sharing
from portal.outbox import EmailKind


def _reminder_for_row(*, key: str, to: str, language: str):
    return reminders.reminder_email(reminder_id=int(key), to=to)


def _invite_for_row(*, key: str, to: str, language: str):
    return sharing.caregiver_invite_email(invite_id=int(key), to=to)


OUTBOX_KINDS = {
    reminders.REMINDER_EMAIL: EmailKind(_reminder_for_row),
    sharing.INVITE_EMAIL: EmailKind(_invite_for_row),
}
