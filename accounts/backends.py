"""Authentication backends that load each request's user together with their staff roles.

Django asks the backend a session was opened with for the user on every request. Reading the roles
in that same query means `user.is_moderator` and `user.is_editor` (asked by the header on every page)
cost no query for a member without a role; a role-holder's two-factor check is still one query.
Apps add what they too need on every page through `<app>/request_user.py: annotations()` (portal.hooks):
the community's unread count and moderation's "suspended now" come in the same query.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from portal.hooks import app_hooks


class _LoadsRoles:
    def get_user(self, user_id):
        annotations = {}
        for hook in app_hooks("request_user", "annotations"):
            annotations.update(hook())
        user = User.objects.with_roles().annotate(**annotations).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(_LoadsRoles, ModelBackend):
    """Django's email-and-password backend (the admin's login, `Client.force_login`)."""


class AllauthBackend(_LoadsRoles, AuthenticationBackend):
    """allauth's backend (the site's login pages)."""
