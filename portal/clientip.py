"""The client's IP address, from the proxy chain when the portal runs behind trusted proxies.

With `TRUSTED_PROXY_COUNT = n` (n proxies in front, each appending to X-Forwarded-For), the client
is the n-th address from the right; anything to its left was written by the client and is ignored.
With 0 (the default: nothing in front) X-Forwarded-For is never read. allauth's rate limits, our
consent records and our limits all ask here (accounts.adapter.AccountAdapter.get_client_ip).
"""

import ipaddress

from django.conf import settings


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return _valid(hops[-count])
    return _valid(request.META.get("REMOTE_ADDR"))
