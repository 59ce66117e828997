"""Authentication backends that load each request's user together with their staff roles.

Django asks the backend a session was opened with for the user on every request. Reading the roles
in that same query means `user.is_moderator` and `user.is_editor` (asked by the header on every page)
cost no query for a member without a role; a role-holder's two-factor check is still one query.
Apps add what they too need on every page through `<app>/request_user.py: annotations()` (portal.hooks):
the community's unread count and moderation's "suspended now" come in the same query.
"""

import functools

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from portal.hooks import app_hooks

# A member id no account has: marks where the requested id goes in the compiled query.
_ANY_ID = -918273645


@functools.cache
def _user_query() -> tuple[str, tuple, int]:
    """The SQL that loads a request's user with their roles and every app's annotations, compiled once
    per process: compiling it cost several times more than running it (issue 18). Returns the SQL,
    its parameters and the position of the user's id among them. The annotations must not capture
    values that change (a time is `Now()`, evaluated by the database)."""
    annotations = {}
    for hook in app_hooks("request_user", "annotations"):
        annotations.update(hook())
    sql, params = User.objects.with_roles().annotate(**annotations).filter(pk=_ANY_ID).query.sql_with_params()
    return sql, tuple(params), params.index(_ANY_ID)


class _LoadsRoles:
    def get_user(self, user_id):
        sql, params, at = _user_query()
        params = (*params[:at], user_id, *params[at + 1 :])
        user = next(iter(User.objects.raw(sql, params)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(_LoadsRoles, ModelBackend):
    """Django's email-and-password backend (the admin's login, `Client.force_login`)."""


class AllauthBackend(_LoadsRoles, AuthenticationBackend):
    """allauth's backend (the site's login pages)."""
