from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
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
