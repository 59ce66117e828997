"""allauth's signup form (ACCOUNT_FORMS["signup"]), the same work whether the address is new or not.

Kept apart from accounts/forms.py: allauth's forms module imports that one (ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class PortalSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # A real signup hashes the password; so does this one, or the quicker answer would tell
            # who is a member (and so whose family has a PANDAS child). The owner gets an email.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
