"""How often a person may repeat each write: the defaults of two settings. The README's limits table lists them."""

# Posting (settings.MODERATION_RATE_LIMITS): (count, seconds) pairs per action; a member's first week is stricter.
POSTING = {
    "member": {"post": [(5, 60), (60, 3600)], "thread": [(10, 86400)], "edit": [(10, 60), (60, 3600)]},
    "new_member": {"post": [(2, 60), (20, 3600)], "thread": [(3, 86400)], "edit": [(5, 60), (30, 3600)]},
}
# Every other write a person can repeat (settings.ACTION_LIMITS): action -> [(count, seconds), ...],
# counted in the cache by portal/limits.py.
ACTIONS = {
    "reaction": [(30, 60), (300, 86400)],  # per member
    "flag": [(10, 3600), (30, 86400)],  # per member
    "crisis_email": [(1, 3600)],  # moderators emailed about a member's crisis flags; the rest wait in the queue
    "exposure_report": [(5, 86400)],  # per member
    "report_notice": [(10, 86400)],  # "a report about your school" mails per school contact
    "contact_request": [(5, 86400)],  # per member
    "already_subscribed": [(1, 86400)],  # "you already follow this school" mails per address
    "journal_child": [(10, 86400)],  # children added to the journal, per member
    "journal_entry": [(120, 3600), (1000, 86400)],  # check-ins and events saved (earlier days too), per member
    "journal_invite": [(10, 86400)],  # caregiver invitations emailed, per member
    "journal_share_link": [(10, 86400)],  # clinician share links made, per member
    # Failed logins per address from all IPs together; an account with two-factor on is never
    # stopped by it (accounts/adapter.py), so nobody can lock a moderator out.
    "login_failed_account": [(50, 3600)],
}
