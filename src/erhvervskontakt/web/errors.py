"""The page a person sees when the server fails (``handler500``), with the request id, so a
report of the error can be found in the logs (every log line carries the same id)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.html import escape

from erhvervskontakt.common.middleware import current_request_id

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """The generic 500 page. Rendered without the request's context processors (they may
    need the database that just failed); if even the template fails, a plain page."""
    request_id = current_request_id()
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:  # the error page must not fail in turn
        logger.exception("The 500 page could not be rendered")
        body = (
            '<!doctype html><html lang="da"><title>Der skete en fejl</title>'
            "<h1>Der skete en fejl</h1><p>Prøv igen om lidt. Fejlnummer: "
            f"<code>{escape(request_id)}</code></p></html>"
        )
    return HttpResponseServerError(body)
