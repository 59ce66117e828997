"""The accounts app's automatic emails, for the outbox (portal.outbox). allauth's own mails (address
confirmation, password reset) are sent in the request by accounts.adapter: the member waits for them."""

from accounts import services
from portal.outbox import EmailKind


def _data_export_for_row(*, key: str, to: str, language: str):
    return services.data_export_email(export_id=int(key), to=to)


OUTBOX_KINDS = {
    services.EXPORT_READY_EMAIL: EmailKind(_data_export_for_row),
}
