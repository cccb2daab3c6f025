"""Addresses the e-mails link to: paths on the site's address (:func:`site_url`).

Businesses follow their case in the portal, staff in the workbench (both reversed from their
URL names, so a moved page moves its links). The satisfaction survey is answered without a
login at ``/tilfredshed/<token>/``, the one-time token of its invitation.
"""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import reverse

# The request being answered (``middleware.SiteOriginMiddleware``): an e-mail recorded while
# it is (a hook runs when the request's transaction commits) links to where it came from.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def url_for_bind(bind: str) -> str:
    """The address a server listening on ``bind`` (gunicorn's ``--bind``) is reached at.

    ``127.0.0.1:8123`` → ``http://127.0.0.1:8123``; a wildcard (``0.0.0.0``, ``[::]``, or
    no host) is reached on this machine's loopback; a Unix socket has no address of its own
    (a proxy in front of it must set ``SITE_URL``) and gives ``http://localhost``.
    """
    bind = bind.strip()
    if not bind or bind.startswith(("unix:", "fd://")):
        return "http://localhost"
    host, _, port = bind.rpartition(":")
    if not host and not port.isdigit():  # a host without a port
        host, port = port, ""
    bare = host.strip("[]")
    try:
        address = ipaddress.ip_address(bare) if bare else None
    except ValueError:
        address = None  # a name
    if not bare or (address is not None and address.is_unspecified):
        host = "[::1]" if address is not None and address.version == 6 else "127.0.0.1"
    elif address is not None and address.version == 6:
        host = f"[{bare}]"
    port_part = f":{port}" if port and port != "80" else ""
    return f"http://{host}{port_part}"


def site_url() -> str:
    """``SITE_URL`` when it is set; else the request's own origin (while one is answered);
    else the address the server listens on (``SITE_BIND``, handed down by ``serve``)."""
    if settings.SITE_URL:
        return str(settings.SITE_URL).rstrip("/")
    request = current_request.get()
    if request is not None:
        try:
            return f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            pass  # never link to a host we do not serve
    return url_for_bind(str(settings.SITE_BIND))


def absolute(path: str) -> str:
    return site_url() + path


def business_case_path(reference: str) -> str:
    return reverse("portal:case_detail", args=[reference])


def staff_case_path(reference: str) -> str:
    return reverse("workbench:case", args=[reference])


def survey_path(token: str) -> str:
    return reverse("surveys:respond", args=[token])


def workbench_path() -> str:
    return reverse("workbench:home")


def visit_path(visit_id: int) -> str:
    """The inspection visit's page in the workbench (report, clocks, findings)."""
    return reverse("workbench:inspections_staff:visit", args=[visit_id])
