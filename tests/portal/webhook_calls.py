"""Each supported provider's webhook calls, made as the provider makes them.

The payloads in tests/portal/webhooks/ are written from each provider's webhook documentation, with
the fields anymail's views read (anymail/webhooks/<provider>.py): Postmark and Brevo post one JSON
event, SendGrid a JSON list of events and its inbound parse as a multipart form, Mailgun signs the
timestamp and token with the webhook signing key, and Amazon SES arrives through SNS: an envelope
whose "Message" is the SES event as a JSON string (kept as an object in the files for reading), with
x-amz-sns-* headers that must agree with the body. SNS also signs its messages, but anymail does not
check that signature (and it would not prove the topic is ours): the portal's SNS subscription URL
carries WEBHOOK_SECRET as basic auth, which is what authenticates SES calls here too.

Placeholders in the files: RECIPIENT (tracking), SENDER and SUBJECT (inbound).
"""

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

from django.urls import reverse

PAYLOADS = Path(__file__).parent / "webhooks"
SECRET = "portal-hooks:a-long-random-webhook-password"
SIGNING_KEY = "mailgun-signing-key-for-tests"
ADDRESS = "Parent.Bounced@Example.net"
SENDER = "parent@example.net"
# settings.ANYMAIL as the portal builds it from WEBHOOK_SECRET and the provider's variables
ANYMAIL_SETTINGS = {
    "WEBHOOK_SECRET": SECRET,
    "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    "BREVO_API_KEY": "brevo-api-key-for-tests",
}

# provider -> what happened -> payload file
TRACKING = {
    "postmark": {
        "hard_bounce": "postmark_bounce",
        "complaint": "postmark_spam_complaint",
        "delivered": "postmark_delivery",
        "soft_bounce": "postmark_soft_bounce",
    },
    "mailgun": {
        "hard_bounce": "mailgun_failed_permanent",
        "complaint": "mailgun_complained",
        "delivered": "mailgun_delivered",
        "soft_bounce": "mailgun_failed_temporary",
    },
    "sendgrid": {
        "hard_bounce": "sendgrid_bounce",
        "complaint": "sendgrid_spamreport",
        "delivered": "sendgrid_delivered",  # "processed" then "delivered", in one post
        "soft_bounce": "sendgrid_blocked",  # a bounce of type "blocked": SendGrid's soft bounce
    },
    "brevo": {
        "hard_bounce": "brevo_hard_bounce",
        "complaint": "brevo_spam",
        "delivered": "brevo_delivered",
        "soft_bounce": "brevo_soft_bounce",
    },
    "amazon_ses": {
        "hard_bounce": "amazon_ses_bounce",
        "complaint": "amazon_ses_complaint",
        "delivered": "amazon_ses_delivery",
        "soft_bounce": "amazon_ses_transient_bounce",
    },
}
PROVIDERS = list(TRACKING)  # every provider offers inbound mail too: <provider>_inbound.json


def basic_auth(credentials: str | None = SECRET) -> dict:
    if credentials is None:
        return {}
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def load(name: str, **placeholders: str):
    """The payload file with each placeholder replaced inside every string it appears in."""

    def fill(value):
        if isinstance(value, str):
            for placeholder, text in placeholders.items():
                value = value.replace(placeholder, text)
            return value
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        return value

    return fill(json.loads((PAYLOADS / f"{name}.json").read_text()))


def mailgun_signature(signing_key: str) -> dict:
    timestamp, token = str(int(time.time())), hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:50]
    signature = hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature}


def sns_request(envelope: dict) -> dict:
    """SNS posts text/plain JSON with its type and id repeated in headers."""
    envelope = {**envelope, "Message": json.dumps(envelope["Message"])}
    return {
        "data": json.dumps(envelope),
        "content_type": "text/plain; charset=UTF-8",
        "HTTP_X_AMZ_SNS_MESSAGE_TYPE": envelope["Type"],
        "HTTP_X_AMZ_SNS_MESSAGE_ID": envelope["MessageId"],
        "HTTP_X_AMZ_SNS_TOPIC_ARN": envelope["TopicArn"],
    }


def tracking(client, provider: str, event: str, recipient: str = ADDRESS, *, auth=SECRET, signing_key=SIGNING_KEY):
    """POST the provider's `event` ("hard_bounce", "complaint", ...) about `recipient`; auth=None sends none."""
    data = load(TRACKING[provider][event], RECIPIENT=recipient)
    if provider == "mailgun":
        data["signature"] = mailgun_signature(signing_key)
    request = (
        sns_request(data)
        if provider == "amazon_ses"
        else {"data": json.dumps(data), "content_type": "application/json"}
    )
    return client.post(reverse(f"email:{provider}_tracking"), **request, **basic_auth(auth))


def inbound(client, provider: str, subject: str, sender: str = SENDER, *, auth=SECRET, signing_key=SIGNING_KEY):
    """POST mail from `sender` with `subject` through the provider's inbound webhook."""
    data = load(f"{provider}_inbound", SENDER=sender, SUBJECT=subject)
    url = reverse(f"email:{provider}_inbound")
    if provider == "mailgun":  # a form, signed at its top level
        data.update(mailgun_signature(signing_key))
        return client.post(url, data, **basic_auth(auth))
    if provider == "sendgrid":  # SendGrid's inbound parse posts a multipart form
        return client.post(url, data, **basic_auth(auth))
    if provider == "amazon_ses":  # a receipt rule's SNS action, the raw message in base64
        message = data["Message"]
        message["content"] = base64.b64encode(message["content"].encode()).decode("ascii")
        return client.post(url, **sns_request(data), **basic_auth(auth))
    return client.post(url, json.dumps(data), content_type="application/json", **basic_auth(auth))
