"""A page, not a 500, when the database is out of reach: 503 with ``Retry-After``.

``DatabaseUnavailableMiddleware`` sits just above the session middleware. A view (or its
template) that meets an unreachable database (``common.database.database_unavailable``)
gets the 503 page from ``process_exception``; an error in the middleware below it (the
session saved on the way out) has already become Django's 500 response by the time it
comes back up, so the ``got_request_exception`` signal marks such a request, and the 500
is replaced by the same 503 page. The API answers in JSON itself (``api.urls``). Django
closes the broken connection when the request ends, so the next request connects afresh.

The page is rendered without the request's context processors (they would ask the
database that just failed), and without a template if even that fails.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import escape

from erhvervskontakt.common.database import RETRY_AFTER_SECONDS, database_unavailable
from erhvervskontakt.common.middleware import current_request_id

logger = logging.getLogger(__name__)

_MARK = "_database_unavailable"


def _stylesheet() -> str:
    """The error pages' stylesheet, or "" where it cannot be named (no static manifest)."""
    try:
        return str(staticfiles_storage.url("web/error.css"))
    except ValueError:
        return ""


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 page with ``Retry-After`` and the request id."""
    request_id = current_request_id()
    logger.warning("Database out of reach in %s %s: %s", request.method, request.path, error)
    try:
        body = loader.get_template("503.html").render(
            {"request_id": request_id, "stylesheet": _stylesheet()}
        )
    except Exception:  # the error page must not fail in turn
        logger.exception("The 503 page could not be rendered")
        body = (
            '<!doctype html><html lang="da"><title>Prøv igen om lidt</title>'
            "<h1>Prøv igen om lidt</h1><p>Erhvervskontakt kan ikke svare lige nu. "
            f"Fejlnummer: <code>{escape(request_id)}</code></p></html>"
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Django is turning an exception into a 500: note it if the database was unreachable
    (called inside the ``except`` that caught it, so ``sys.exc_info`` is that exception)."""
    error = sys.exc_info()[1]
    if request is not None and error is not None and database_unavailable(error):
        setattr(request, _MARK, error)


got_request_exception.connect(_mark_request, dispatch_uid="web.unavailable")


class DatabaseUnavailableMiddleware:
    """503 with ``Retry-After`` instead of a 500 when the database cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        error = getattr(request, _MARK, None)
        if response.status_code == 500 and error is not None:
            return unavailable_response(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            return unavailable_response(request, exception)
        return None
