"""EMAIL_PROVIDER picks an email provider's API through django-anymail; SMTP stays the default."""

import json
import subprocess
import sys

import pytest
from django.core import mail

from portal.emails import RenderedEmail, compose
from tests.portal.test_settings import ROOT, outside_environment

READ_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'backend': s.EMAIL_BACKEND, 'anymail': s.ANYMAIL}))"
)


def settings_with(env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env={**outside_environment(), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_smtp_stays_the_default_and_email_url_configures_it():
    loaded = settings_with({"EMAIL_URL": "smtp://user:pass@smtp.example.org:587/?tls=True"})
    assert loaded == {"backend": "django.core.mail.backends.smtp.EmailBackend", "anymail": {}}


@pytest.mark.parametrize(
    ("env", "backend", "anymail"),
    [
        (
            {"EMAIL_PROVIDER": "postmark", "POSTMARK_SERVER_TOKEN": "pm-token"},
            "anymail.backends.postmark.EmailBackend",
            {"POSTMARK_SERVER_TOKEN": "pm-token"},
        ),
        (
            {
                "EMAIL_PROVIDER": "mailgun",
                "MAILGUN_API_KEY": "mg-key",
                "MAILGUN_SENDER_DOMAIN": "mg.example.org",
                "MAILGUN_WEBHOOK_SIGNING_KEY": "mg-signing",
            },
            "anymail.backends.mailgun.EmailBackend",
            {
                "MAILGUN_API_KEY": "mg-key",
                "MAILGUN_SENDER_DOMAIN": "mg.example.org",
                "MAILGUN_WEBHOOK_SIGNING_KEY": "mg-signing",
            },
        ),
        (
            {"EMAIL_PROVIDER": "SendGrid", "SENDGRID_API_KEY": "sg-key"},
            "anymail.backends.sendgrid.EmailBackend",
            {"SENDGRID_API_KEY": "sg-key"},
        ),
        (
            {"EMAIL_PROVIDER": "brevo", "BREVO_API_KEY": "br-key"},
            "anymail.backends.brevo.EmailBackend",
            {"BREVO_API_KEY": "br-key"},
        ),
        (
            {"EMAIL_PROVIDER": "amazon_ses", "AMAZON_SES_CONFIGURATION_SET_NAME": "portal"},
            "anymail.backends.amazon_ses.EmailBackend",
            {"AMAZON_SES_CONFIGURATION_SET_NAME": "portal"},
        ),
    ],
)
def test_each_provider_is_chosen_by_the_environment_with_its_keys(env, backend, anymail):
    loaded = settings_with({**env, "WEBHOOK_SECRET": "hook:secret"})
    assert loaded == {"backend": backend, "anymail": {"WEBHOOK_SECRET": "hook:secret", **anymail}}


def test_an_unknown_provider_stops_with_a_clear_error():
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env={
            **outside_environment(),
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "EMAIL_PROVIDER": "carrier-pigeon",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "EMAIL_PROVIDER must be smtp or one of" in result.stderr


def test_every_provider_backend_can_be_loaded():
    from django.conf import settings
    from django.utils.module_loading import import_string

    for backend, _ in settings.EMAIL_PROVIDERS.values():
        import_string(backend)  # its own dependencies (requests, boto3) are installed


def test_a_site_message_goes_through_anymail(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    message = compose(RenderedEmail("Hello", "Plain text", "<p>HTML</p>"), to="parent@example.org")
    assert message.send() == 1
    sent = mail.outbox[-1]
    assert sent.anymail_test_params["to"][0].addr_spec == "parent@example.org"
    assert sent.anymail_test_params["extra_headers"]["Auto-Submitted"] == "auto-generated"
    assert sent.anymail_status.status == {"sent"}
