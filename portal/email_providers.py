"""The email providers the portal can send through with django-anymail (settings.EMAIL_PROVIDER).

Each: name -> (backend, {ANYMAIL setting: environment variable}); a variable without a value is left out.
"""

BACKENDS = {
    "postmark": ("anymail.backends.postmark.EmailBackend", {"POSTMARK_SERVER_TOKEN": "POSTMARK_SERVER_TOKEN"}),
    "mailgun": (
        "anymail.backends.mailgun.EmailBackend",
        {
            "MAILGUN_API_KEY": "MAILGUN_API_KEY",
            "MAILGUN_SENDER_DOMAIN": "MAILGUN_SENDER_DOMAIN",
            "MAILGUN_API_URL": "MAILGUN_API_URL",  # https://api.eu.mailgun.net/v3 for an EU domain
            "MAILGUN_WEBHOOK_SIGNING_KEY": "MAILGUN_WEBHOOK_SIGNING_KEY",
        },
    ),
    "sendgrid": ("anymail.backends.sendgrid.EmailBackend", {"SENDGRID_API_KEY": "SENDGRID_API_KEY"}),
    "brevo": ("anymail.backends.brevo.EmailBackend", {"BREVO_API_KEY": "BREVO_API_KEY"}),
    # Amazon SES takes its credentials from boto3's own variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    # AWS_DEFAULT_REGION) or the machine's role; webhooks arrive through SNS with WEBHOOK_SECRET.
    "amazon_ses": (
        "anymail.backends.amazon_ses.EmailBackend",
        {"AMAZON_SES_CONFIGURATION_SET_NAME": "AMAZON_SES_CONFIGURATION_SET_NAME"},
    ),
    "test": ("anymail.backends.test.EmailBackend", {}),  # keeps messages in memory: tests and trials only
}
