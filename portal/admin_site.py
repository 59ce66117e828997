"""The admin site: staff only, and only with two-factor authentication.

Editors, medical reviewers and superusers change what families read and who may alert a whole
school, so a password alone does not open `/admin/`. A staff member without an authenticator is
sent to set one up and comes back to the page they asked for.
"""

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts.authority import redirect_to_two_factor_setup


def _staff_without_two_factor(user) -> bool:
    return user.is_active and user.is_staff and not user.has_two_factor


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and request.user.has_two_factor

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        @never_cache
        @wraps(protected)
        def inner(request, *args, **kwargs):
            if _staff_without_two_factor(request.user):
                return redirect_to_two_factor_setup(request)
            return protected(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        if _staff_without_two_factor(request.user):
            return redirect_to_two_factor_setup(request, next_url=request.GET.get("next") or reverse("admin:index"))
        return super().login(request, extra_context)


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
