"""A request id on every request and log line, so an error report can be found in the logs."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes a sane ``X-Request-ID`` from the proxy or makes one, and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestSizeLimitMiddleware:
    """Refuse an over-large upload from its Content-Length, before Django reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DOCUMENT_MAX_BYTES + 1_048_576  # room for the multipart envelope
        if length > limit:
            message = (
                f"Forespørgslen er for stor; en fil må højst fylde "
                f"{settings.DOCUMENT_MAX_BYTES // 1_048_576} MB."
            )
            if not request.path.startswith("/api/"):
                # People get a page, not JSON.
                return render(
                    request, "413.html", {"message": message, "back": request.path}, status=413
                )
            return JsonResponse(
                {
                    "detail": message,
                    "code": "too_large",
                    "errors": {"file": "Filen er for stor."},
                    "request_id": current_request_id(),
                },
                status=413,
            )
        return self.get_response(request)


NUL = "\x00"
NUL_MESSAGE = gettext_lazy(
    "Teksten indeholder et usynligt nul-tegn (NUL), som ikke kan gemmes. Skriv eller indsæt "
    "teksten igen uden det."
)


def _nul_in(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _has_nul(request: HttpRequest) -> bool:
    """A NUL character in what was typed: the query, the form fields (not the files: a PDF
    holds NUL bytes) or a JSON body (raw or escaped as ``\\u0000``)."""
    if _nul_in(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        try:
            fields = request.POST
        except Exception:  # an unreadable body: the view answers it
            return False
        return _nul_in(fields)
    if content_type == "application/json":
        try:
            body = request.body
        except Exception:
            return False
        return b"\x00" in body or b"\\u0000" in body
    return False


class RefuseNulCharactersMiddleware:
    """NUL characters are refused the same way everywhere, before any view or service sees
    them: PostgreSQL cannot store one in text (a 500 otherwise), and no person means one.
    People get a page in Danish (400) and nothing is changed; the API refuses them in its
    schemas, at the field (422)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API refuses a NUL itself, at the field it is in (422, its schemas' check).
        if request.path.startswith("/api/") or not _has_nul(request):
            return self.get_response(request)
        return render(
            request,
            "400.html",
            {"message": NUL_MESSAGE, "back": request.path if NUL not in request.path else "/"},
            status=400,
        )
