"""Every write of the alerts app, one module per subject (as Zulip's zerver/actions does).

- `subscriptions`: subscribe (double opt-in), the confirmation and "already subscribed" mails,
  consent, adding a school, preferences, unsubscribe, suppression.
- `contacts`: school-contact requests, verification and revocation, and the mails about them.
- `reports`: validating and submitting exposure reports, a moderator's approval or rejection,
  folding a report into its week's alert, telling the school's contacts.
- `fanout`: `plan_alert`, one Delivery per (alert, subscription) that follows it.
- `sending`: `send_deliveries` over one SMTP connection, `BatchResult`, attempts and outcomes.
- `alert_bytes`: an alert's message serialized once per batch and language; each recipient's
  address, token, Message-ID and Date put into the bytes.
- `delivery_records`: claiming and recording one delivery per transaction with prepared
  statements and `synchronous_commit = off`.
- `smtp`: sending one message and classifying SMTP errors (5xx permanent, the rest retried).
- `digests`: planning and sending the daily digests.
- `sweeper`: republishing what a lost task left behind; consent-record retention.
- `common`: the batch size and `batched`.

Delivery: an approval writes the Alert (the outbox row) in its transaction; on commit the fan-out
is published with a bounded wait; `plan_alert` creates one Delivery per (alert, subscription);
`send_deliveries` claims rows one by one with SKIP LOCKED and commits each outcome; a beat sweeper
publishes whatever a lost task or a broker outage left behind.

Callers use the package: `from alerts import services; services.subscribe(...)`.
"""

from alerts.services.common import BATCH_SIZE, batched
from alerts.services.contacts import (
    request_contact,
    revoke_contact,
    tell_contact_about_decision,
    tell_moderators_about_contact_request,
    verify_contact,
)
from alerts.services.digests import plan_digests, send_digests
from alerts.services.fanout import plan_alert
from alerts.services.reports import (
    InvalidReportState,
    approve_report,
    notify_contacts,
    reject_report,
    submit_report,
    validate_report,
)
from alerts.services.sending import MAX_ATTEMPTS, BatchResult, send_deliveries
from alerts.services.smtp import TemporaryDeliveryFailure
from alerts.services.subscriptions import (
    CONFIRMATION_WINDOW,
    MAX_CONFIRMATIONS_PER_WINDOW,
    RESEND_AFTER,
    add_school,
    confirm_subscription,
    send_already_subscribed,
    send_confirmation,
    subscribe,
    suppress,
    unsubscribe,
    update_preferences,
)
from alerts.services.sweeper import SWEEP_AFTER, SweepResult, delete_old_consent_records, sweep

__all__ = [
    "BATCH_SIZE",
    "CONFIRMATION_WINDOW",
    "MAX_ATTEMPTS",
    "MAX_CONFIRMATIONS_PER_WINDOW",
    "RESEND_AFTER",
    "SWEEP_AFTER",
    "BatchResult",
    "InvalidReportState",
    "SweepResult",
    "TemporaryDeliveryFailure",
    "add_school",
    "approve_report",
    "batched",
    "confirm_subscription",
    "delete_old_consent_records",
    "notify_contacts",
    "plan_alert",
    "plan_digests",
    "reject_report",
    "request_contact",
    "revoke_contact",
    "send_already_subscribed",
    "send_confirmation",
    "send_deliveries",
    "send_digests",
    "submit_report",
    "subscribe",
    "suppress",
    "sweep",
    "tell_contact_about_decision",
    "tell_moderators_about_contact_request",
    "unsubscribe",
    "update_preferences",
    "validate_report",
    "verify_contact",
]
