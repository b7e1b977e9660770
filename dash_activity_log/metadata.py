"""Read the client's address and user agent from a request, as configured."""

from __future__ import annotations

import ipaddress
import logging

from django.http import HttpRequest

from dash_activity_log.conf import activity_log_settings
from dash_activity_log.models import USER_AGENT_LENGTH

__all__ = ["client_ip", "user_agent"]

logger = logging.getLogger(__name__)


def _address(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        # "fe80::1%eth0": the zone names an interface of whoever sent it, and
        # PostgreSQL's inet refuses it, which would lose the whole activity.
        # A client can put one in a forwarding header; keep the address.
        return str(ipaddress.IPv6Address(int(address)))
    return str(address)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address, or ``None`` when it cannot be told.

    With ``CLIENT_IP_HEADER`` set, the first address in that header is
    taken when the request has it; a request without it came past the proxy
    and ``REMOTE_ADDR`` is its client. Headers are trusted only when
    configured, since any client can send them.
    """
    header = activity_log_settings().client_ip_header
    forwarded = request.META.get(header) if header else None
    if forwarded is not None:
        address = _address(str(forwarded).split(",", 1)[0])
        if address is None:
            logger.warning("Ignored a malformed %s header: %.100r", header, forwarded)
        return address
    return _address(str(request.META.get("REMOTE_ADDR") or ""))


def user_agent(request: HttpRequest) -> str:
    """Return the request's ``User-Agent``, cut to fit ``Activity.user_agent``."""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
