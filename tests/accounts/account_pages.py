"""Every account page type (allauth's and the portal's own), reached the way its visitor reaches it.

Used by the HTML validity test (tests/portal/test_html_validity.py) and by the account pages' own tests
(tests/accounts/test_account_pages.py). A role is a signed-in user, or a function that walks a fresh
client part-way through a flow (signed up, typed a password before the two-factor code, ...).
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

NEWCOMER = {
    "email": "newcomer@example.org",
    "display_name": "Bright Newcomer",
    "password1": "lanterns along the river 5",
    "password2": "lanterns along the river 5",
    "agree_to_rules": "on",
}


def signed_up(client) -> None:
    client.post(reverse("account_signup"), NEWCOMER)


def logged_in_as(user):
    def prepare(client) -> None:
        client.force_login(user)

    return prepare


def reauthenticated(user):
    def prepare(client) -> None:
        client.force_login(user)
        client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    return prepare


def password_typed(user):
    """Logged in with the password (for an account with two-factor: the code is still to come)."""

    def prepare(client) -> None:
        client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})

    return prepare


def reset_link(user) -> str:
    user.refresh_from_db()
    key = default_token_generator.make_token(user)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


def opened_reset_link(user):
    """Opened a password reset link: allauth keeps the key in the session and shows the form elsewhere."""

    def prepare(client) -> None:
        client.get(reset_link(user))

    return prepare


def account_page_types(member: User, moderator: User) -> tuple[dict, dict]:
    """(roles, pages): role name -> how a client becomes it; page name -> (role, method, url, data)."""
    spanish = UserFactory(display_name="Luna Serena", language=User.Language.SPANISH)
    resetting = UserFactory(display_name="Forgetful Wren")
    waiting = UserFactory(display_name="Waiting Robin", verified=False)
    address = EmailAddress.objects.create(user=waiting, email=waiting.email, primary=True, verified=False)
    RecoveryCodes.activate(moderator)
    set_password_key = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(resetting), "key": "set-password"}
    )
    roles = {
        "member": logged_in_as(member),
        "moderator": logged_in_as(moderator),
        "member-es": logged_in_as(spanish),
        "newcomer": signed_up,
        "member-password": password_typed(member),  # a real login, so the device is listed
        "member-reauthenticated": reauthenticated(member),
        "moderator-reauthenticated": reauthenticated(moderator),
        "moderator-password-typed": password_typed(moderator),
        "resetting": opened_reset_link(resetting),
    }
    pages = {
        "login": (None, "get", reverse("account_login"), None),
        "login-errors": (None, "post", reverse("account_login"), {"login": "someone@example.org", "password": ""}),
        "signup": (None, "get", reverse("account_signup"), None),
        "signup-errors": (
            None,
            "post",
            reverse("account_signup"),
            {"email": "not-an-address", "password1": "abc", "password2": "abd", "language": "xx"},
        ),
        "verification-sent": ("newcomer", "get", reverse("account_email_verification_sent"), None),
        "email-confirm": (
            None,
            "get",
            reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
            None,
        ),
        "email-confirm-expired": (None, "get", reverse("account_confirm_email", args=["not-a-key"]), None),
        "password-reset": (None, "get", reverse("account_reset_password"), None),
        "password-reset-errors": (None, "post", reverse("account_reset_password"), {"email": ""}),
        "password-reset-done": (None, "get", reverse("account_reset_password_done"), None),
        "password-reset-from-key": ("resetting", "get", set_password_key, None),
        "password-reset-from-key-expired": (
            None,
            "get",
            reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"}),
            None,
        ),
        "password-reset-from-key-done": (None, "get", reverse("account_reset_password_from_key_done"), None),
        "password-change": ("member", "get", reverse("account_change_password"), None),
        "password-change-errors": (
            "member",
            "post",
            reverse("account_change_password"),
            {"oldpassword": "wrong", "password1": "short", "password2": "other"},
        ),
        "email-addresses": ("member", "get", reverse("account_email"), None),
        "email-addresses-errors": (
            "member",
            "post",
            reverse("account_email"),
            {"action_add": "", "email": "not-an-address"},
        ),
        "reauthenticate": ("member", "get", reverse("account_reauthenticate"), None),
        "reauthenticate-code": ("moderator", "get", reverse("mfa_reauthenticate"), None),
        "logout": ("member", "get", reverse("account_logout"), None),
        "account": ("member", "get", reverse("accounts:account"), None),
        "sessions": ("member-password", "get", reverse("usersessions_list"), None),
        "account-spanish": ("member-es", "get", reverse("accounts:account"), None),
        "account-language-errors": (
            "member",
            "post",
            reverse("accounts:account"),
            {"form": "language", "language": "fr"},
        ),
        "account-delete": ("member-reauthenticated", "get", reverse("accounts:delete"), None),
        "data-export": ("member", "get", reverse("accounts:export"), None),
        "two-factor": ("moderator", "get", reverse("mfa_index"), None),
        "two-factor-spanish": ("member-es", "get", reverse("mfa_index"), None),
        "two-factor-activate": ("member-reauthenticated", "get", reverse("mfa_activate_totp"), None),
        "two-factor-code": ("moderator-password-typed", "get", reverse("mfa_authenticate"), None),
        "two-factor-code-errors": ("moderator-password-typed", "post", reverse("mfa_authenticate"), {"code": "1"}),
        "recovery-codes": ("moderator-reauthenticated", "get", reverse("mfa_view_recovery_codes"), None),
    }
    return roles, pages
