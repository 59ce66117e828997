"""The alerts app's data, one module per subject; every name is importable from `alerts.models`.

- `schools`: School, SchoolContact (a member who speaks for a school), SchoolImport (CSV imports).
- `subscriptions`: Subscription (an address following a school, with its consent record),
  CONSENT_RETENTION.
- `reports`: ExposureReport and Alert, with the choices they share (Scope, Kind, Grade) and the
  window rules (MAX_WINDOW_DAYS, WATCH_DAYS_AFTER_WINDOW).
- `deliveries`: SendStatus, the abstract SendRecord, Delivery (an alert to a subscription) and
  Digest (a day's alerts to an address).

Privacy is structural here: a report holds no field for a child, and an alert holds no link to
the reporter: only the school, the scope, the kind and the week.
"""

from alerts.models.deliveries import Delivery, Digest, SendRecord, SendStatus
from alerts.models.reports import MAX_WINDOW_DAYS, WATCH_DAYS_AFTER_WINDOW, Alert, ExposureReport, Grade, Kind, Scope
from alerts.models.schools import School, SchoolContact, SchoolImport
from alerts.models.subscriptions import CONSENT_RETENTION, Subscription

__all__ = [
    "CONSENT_RETENTION",
    "MAX_WINDOW_DAYS",
    "WATCH_DAYS_AFTER_WINDOW",
    "Alert",
    "Delivery",
    "Digest",
    "ExposureReport",
    "Grade",
    "Kind",
    "School",
    "SchoolContact",
    "SchoolImport",
    "Scope",
    "SendRecord",
    "SendStatus",
    "Subscription",
]
