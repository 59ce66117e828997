import hashlib

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.names import SITE_NAME
from portal import limits
from portal.clientip import client_ip
from portal.emails import absolute_url, build_email


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("That email address and password do not match. Please check both and try again."),
        "too_many_login_attempts": _("Too many failed login attempts. Please wait a few minutes and try again."),
    }

    def send_mail(self, template_prefix, email, context):
        """Every account email (confirmation, password reset, notices) in the recipient's language,
        signed with the site's name and a contact address. Unlike allauth's, it needs no request: a
        notice sent when a transaction commits may come after the request is gone."""
        member = context.get("user") or member_for_address(email)
        context = {
            "request": allauth_context.request,
            "email": email,
            "site_name": SITE_NAME,
            "site_url": settings.SITE_URL,
            "contact_email": settings.CONTACT_EMAIL,
            "login_url": absolute_url(reverse("account_login")),
            "reset_url": absolute_url(reverse("account_reset_password")),
            "confirmation_days": account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
            **context,
        }
        # Always set: rendered with a request, a missing "user" would be whoever is logged in.
        context.setdefault("user", member)
        with translation.override(member.language if member is not None else settings.LANGUAGE_CODE):
            self.render_mail(template_prefix, email, context).send()

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the member out of a notice's context: the greeting and language need them.
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Through the portal's one builder, like every other email: the subject prefix, Auto-Submitted
        # and a Message-ID on the site's domain. Every account email has its text and HTML templates.
        return build_email(
            to=email,
            template=f"{template_prefix}_message",
            subject_template=f"{template_prefix}_subject.txt",
            context=context,
            headers=headers,
        )

    def save_user(self, request, user, form, commit=True):
        # Set the pseudonym before the first save: the member row never exists without one.
        user.display_name = form.cleaned_data["display_name"]
        user.language = form.cleaned_data.get("language") or User.Language.ENGLISH
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


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("That code is not right. Codes change every 30 seconds: please try the newest one."),
    }


def member_for_address(email: str) -> User | None:
    """The member an address belongs to (for the language of a mail that names no member), if any."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    return address.user if address else User.objects.filter(email__iexact=email).first()


def _address_key(credentials) -> str:
    address = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
    return hashlib.sha256(address.encode()).hexdigest()[:32]
