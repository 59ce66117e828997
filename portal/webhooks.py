"""The email provider's webhooks: anymail's own views, under /email/anymail/<provider>/tracking|inbound/.

They are POST-only and CSRF-exempt, as anymail makes them: the provider cannot hold a CSRF token,
and authenticates instead with HTTP basic auth (ANYMAIL["WEBHOOK_SECRET"]) plus, where the provider
signs its calls and anymail checks it (Mailgun), the signing key. anymail alone accepts unauthenticated
calls with a warning when no secret is set; here a webhook whose authentication is not configured
refuses every call (403), so a forgotten variable never opens the suppression list to the web.
"""

from functools import wraps

from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView, AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoInboundWebhookView, BrevoTrackingWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView, MailgunTrackingWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView, PostmarkTrackingWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView, SendGridTrackingWebhookView
from django.conf import settings
from django.http import HttpResponseForbidden
from django.urls import path

# provider: (tracking view, inbound view, ANYMAIL settings that must be set besides WEBHOOK_SECRET).
# Amazon SES calls come through SNS: anymail checks the x-amz-sns-* headers against the body but not
# SNS's signature, so the subscription URL's basic auth (WEBHOOK_SECRET) is what authenticates them.
PROVIDERS = {
    "postmark": (PostmarkTrackingWebhookView, PostmarkInboundWebhookView, ()),
    "mailgun": (MailgunTrackingWebhookView, MailgunInboundWebhookView, ("MAILGUN_WEBHOOK_SIGNING_KEY",)),
    "sendgrid": (SendGridTrackingWebhookView, SendGridInboundWebhookView, ()),
    "brevo": (BrevoTrackingWebhookView, BrevoInboundWebhookView, ()),
    "amazon_ses": (AmazonSESTrackingWebhookView, AmazonSESInboundWebhookView, ()),
}
# Settings only the inbound view needs: Brevo's fetches attachments with the API key and cannot start without it.
INBOUND_KEYS = {"brevo": ("BREVO_API_KEY",)}


def configured(keys: tuple[str, ...]) -> bool:
    anymail = getattr(settings, "ANYMAIL", {}) or {}
    return bool(anymail.get("WEBHOOK_SECRET")) and all(anymail.get(key) for key in keys)


def guarded(view, keys: tuple[str, ...]):
    @wraps(view)  # keeps anymail's csrf_exempt and login_not_required marks
    def wrapper(request, *args, **kwargs):
        if not configured(keys):
            return HttpResponseForbidden("This webhook is not configured.", content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


app_name = "email"
urlpatterns = [
    path(f"anymail/{name}/{kind}/", guarded(view.as_view(), view_keys), name=f"{name}_{kind}")
    for name, (tracking, inbound, keys) in PROVIDERS.items()
    for kind, view, view_keys in (("tracking", tracking, keys), ("inbound", inbound, keys + INBOUND_KEYS.get(name, ())))
]
