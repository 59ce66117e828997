"""Staff powers: the role is not enough, the account needs two-factor.

The check itself is `User.has_authority` (behind `is_moderator`, `is_editor`, `is_medical_reviewer`),
used by views and services alike. This module holds the one refusal services give to anyone without
moderator authority (`require_moderator`), and decides what a page answers to someone who holds
the role but has not set up two-factor yet: the way to set it up, then back to the page.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class NotAllowed(PermissionDenied):
    """An action refused, with the reason in the member's words (community's refusals use it too)."""


def is_moderator(user) -> bool:
    """Moderator authority (the role and two-factor); False for visitors who are not signed in."""
    return bool(user.is_authenticated and user.is_moderator)


def require_moderator(user, doing: str = "can do that") -> None:
    """Refuse a moderator power (`doing`, e.g. "approve exposure reports") to anyone without moderator authority."""
    if not is_moderator(user):
        raise NotAllowed(f"Only moderators with two-factor authentication {doing}.")


# Where to go once two-factor is set up: allauth's set-up ends on the recovery codes page, which
# offers a link back (templates/mfa/recovery_codes/index.html).
NEXT_SESSION_KEY = "two_factor_next"  # read by the template: no dots


def redirect_to_two_factor_setup(request: HttpRequest, *, next_url: str | None = None) -> HttpResponseRedirect:
    """Send a staff member to allauth's authenticator set-up, and back to `next_url` afterwards."""
    messages.info(request, "Staff and moderator tools need two-factor authentication. Set it up to continue.")
    if next_url is None:
        # A form's target (POST only) is no page to come back to.
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    request.session[NEXT_SESSION_KEY] = next_url
    return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}")


def moderator_required(view=None, *, refusal: str = "This page is for moderators."):
    """Moderators with two-factor only: a moderator without it is sent to set it up; others get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.is_moderator:
                return view(request, *args, **kwargs)
            if user.holds_moderator_role:
                return redirect_to_two_factor_setup(request)
            raise PermissionDenied(refusal)

        return wrapper

    return decorator(view) if view is not None else decorator


def end_password_only_sessions(*, request: HttpRequest, user, authenticator, **kwargs) -> None:
    """Once an account has an authenticator its powers need two-factor, so sessions opened before,
    with the password alone (perhaps someone else's, with a stolen password), must not inherit them.
    The session that set the authenticator up has just entered its code: it stays.

    Connected to allauth's `authenticator_added` (allauth runs the set-up flow, so this is its hook).
    """
    from allauth.mfa.models import Authenticator

    from accounts.services import end_sessions

    if authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        end_sessions(user=user, except_session_key=request.session.session_key)
