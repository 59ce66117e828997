"""allauth's forms (ACCOUNT_FORMS, MFA_FORMS) with the portal's labels: sentence case, and no
placeholders (a hint that vanishes as one types helps nobody; the label stays).

Kept apart from accounts/forms.py: allauth's forms module imports that one (ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

# What to say when a field is left empty: the action to take, not "This field is required."
REQUIRED = {
    "email": _("Enter your email address."),
    "login": _("Enter your email address."),
    "password": _("Enter your password."),
    "oldpassword": _("Enter your current password."),
    "password1": _("Choose a password."),
    "password2": _("Type the password a second time."),
    "code": _("Enter the code."),
}


class PortalLabels:
    """Drops placeholders, replaces the labels named in `labels` (field name -> label) and says what
    to do about an empty field."""

    labels: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in REQUIRED:
                field.error_messages["required"] = REQUIRED[name]


NEW_PASSWORD_LABELS = {"password1": _("New password"), "password2": _("New password (again)")}


class PortalSignupForm(PortalLabels, account_forms.SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # A real signup hashes the password; so does this one, or the quicker answer would tell
            # who is a member (and so whose family has a PANDAS child). The owner gets an email.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class LoginForm(PortalLabels, account_forms.LoginForm):
    labels = {"remember": _("Stay logged in on this device")}


class AddEmailForm(PortalLabels, account_forms.AddEmailForm):
    labels = {"email": _("New email address")}


class ChangePasswordForm(PortalLabels, account_forms.ChangePasswordForm):
    labels = {"oldpassword": _("Current password"), **NEW_PASSWORD_LABELS}


class SetPasswordForm(PortalLabels, account_forms.SetPasswordForm):
    pass


class ResetPasswordForm(PortalLabels, account_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PortalLabels, account_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD_LABELS


class ReauthenticateForm(PortalLabels, account_forms.ReauthenticateForm):
    pass


class AuthenticateForm(PortalLabels, mfa_forms.AuthenticateForm):
    pass


class MFAReauthenticateForm(PortalLabels, mfa_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(PortalLabels, totp_forms.ActivateTOTPForm):
    labels = {"code": _("Code from the app")}
