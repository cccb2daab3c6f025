"""Rendering a page or a part of one, as every interface app does it.

``render_page`` gives each layout what it needs: the municipality (header, footer), who a
business user acts for (the site layout's user line and business switcher: nothing for staff
or anonymous visitors, and no query for them) and whether a staff member coordinates (the
workbench's menu). ``render_part`` is a piece of a page for htmx, with no page frame.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from erhvervskontakt.catalogue.selectors import municipality

from .access import acting_for, can_coordinate


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render with what the layouts need: the municipality, who the visitor acts for, and
    whether a staff member coordinates."""
    page: dict[str, Any] = {
        "municipality": municipality(),
        "acting": acting_for(request),
        "can_coordinate": can_coordinate(request.user),
    }
    page.update(context or {})
    return render(request, template, page, status=status)


def render_part(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A part of a page for htmx: a section, a row or a page of a list (no page frame)."""
    page = {"can_coordinate": can_coordinate(request.user), **context}
    return render(request, template, page, status=status)


def is_htmx(request: HttpRequest) -> bool:
    """htmx asks for a part of a page (``HX-Request: true``); a plain form gets the page."""
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, candidate: str) -> str:
    """``candidate`` if it is a path on this site, else ""."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""
