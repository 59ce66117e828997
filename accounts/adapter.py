import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from portal import limits
from portal.clientip import client_ip
from portal.emails import automatic_headers


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        # Account emails (confirmation, password reset) are automatic too: Auto-Submitted, and a
        # Message-ID on the site's domain, like every email built by portal.emails.
        return super().render_mail(template_prefix, email, context, headers=automatic_headers(headers))

    def save_user(self, request, user, form, commit=True):
        # Set the pseudonym before the first save: the member row never exists without one.
        user.display_name = form.cleaned_data["display_name"]
        user.rules_accepted_at = timezone.now()
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        # One answer for every per-IP limit and record: the proxy chain as configured (TRUSTED_PROXY_COUNT).
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's IP address.")
        return ip

    # --- Failed logins: limits an attacker cannot turn against the account's owner ----------------
    # allauth counts failures per IP and per "key"; its key is the address alone, so anyone who
    # knows a moderator's address could keep them out. Here the key is (IP, address), and a
    # per-address limit (ACTION_LIMITS["login_failed_account"]) is counted beside it, which does
    # not stop an account with two-factor on: a password alone does not get into it.

    def _get_login_attempts_cache_key(self, request, **credentials):
        return f"{client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        address = _address_key(credentials)
        try:
            limits.check("login_failed_account", address)
        except limits.LimitReached:
            user = User.objects.filter(email__iexact=credentials.get("email", "")).first()
            if user is None or not is_mfa_enabled(user):
                raise self.validation_error("too_many_login_attempts") from None

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        limits.allowed("login_failed_account", _address_key(credentials))


def _address_key(credentials) -> str:
    address = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
    return hashlib.sha256(address.encode()).hexdigest()[:32]
