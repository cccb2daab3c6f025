"""The API object: routers, authentication, and errors as clear JSON (never a bare 500)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from erhvervskontakt.catalogue.selectors import service_type_list
from erhvervskontakt.common.database import RETRY_AFTER_SECONDS, database_unavailable
from erhvervskontakt.common.errors import DomainError, StaleVersion
from erhvervskontakt.common.middleware import current_request_id

from .auth import (
    DEFAULT,
    SCOPE_WORDS,
    InsufficientScope,
    RateLimited,
    TokenLockout,
    operation_scopes,
)
from .case_work import directory, work
from .concurrency import etag
from .routers import businesses, cases, public, stats
from .visits import router as visits
from .webhooks import router as webhooks

logger = logging.getLogger("erhvervskontakt.api")


class _Api(NinjaAPI):
    """The OpenAPI document names the service type codes an inquiry may ask for: they are
    the catalogue's (kept by the administrator), so they are read when the document is."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        self._mark_scopes()
        schema = super().get_openapi_schema(**kwargs)
        self._describe_scopes(schema)
        codes = list(service_type_list().order_by("code").values_list("code", flat=True))
        inquiry = schema.get("components", {}).get("schemas", {}).get("InquiryIn")
        if codes and inquiry:
            inquiry["properties"]["service_types"]["items"]["enum"] = codes
        return schema

    def _mark_scopes(self) -> None:
        """Each operation's scope (``api.auth``) as ``x-scopes`` in its OpenAPI entry."""
        for router in self._get_bound_routers():
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    scopes = operation_scopes(operation)
                    extra = dict(operation.openapi_extra or {})
                    extra.pop("x-scopes", None)
                    if scopes:
                        extra["x-scopes"] = scopes
                    operation.openapi_extra = extra or None

    @staticmethod
    def _describe_scopes(schema: Any) -> None:
        """The security requirement names the scope (OpenAPI 3.1 allows roles there for
        any scheme) and the description says it in words."""
        for methods in schema.get("paths", {}).values():
            for entry in methods.values():
                scopes = entry.get("x-scopes")
                if not scopes:
                    continue
                entry["security"] = [
                    {name: list(scopes)} for item in entry.get("security", []) for name in item
                ]
                words = "; ".join(f"`{s}` ({SCOPE_WORDS[s]})" for s in scopes)
                line = f"Kræver API-nøglens rettighed {words}."
                entry["description"] = "\n\n".join(
                    part for part in (entry.get("description", ""), line) if part
                )


api = _Api(
    title="Erhvervskontakt API",
    version="1",
    description=(
        "Én indgang for virksomheder: henvendelser, screening inden for 5 arbejdsdage, "
        "fast kontaktperson og leveranceplan. Godkendelse: `Authorization: Bearer <token>` "
        "(opret med `python manage.py create_api_token BRUGERNAVN`, eller i administrationen "
        "under API-nøgler).\n\n"
        "**Rettigheder.** En nøgle har en eller flere rettigheder, og hver handling kræver én "
        "(se `x-scopes` og beskrivelsen ved handlingen): `read` — alle GET; `intake` — "
        "indsende henvendelser (`POST /inquiries`) og virksomhedens materiale (svar og "
        "dokumenter på en sag); `write` — alle andre ændringer af sager og virksomheder "
        "(screening, afgørelse, lukning, tilbagetrækning …); `admin` — webhook-abonnementer "
        "(også at se dem). "
        "Mangler nøglen rettigheden, er svaret 403 med koden `insufficient_scope`, og intet "
        "ændres. Brugerens egne rettigheder (medarbejder eller virksomhed) gælder som før.\n\n"
        "**Levetid og grænser.** En nøgle udløber (som standard efter "
        f"{settings.API_TOKEN_DAYS} dage) og kan tilbagekaldes; derefter er svaret 401. Hver "
        "nøgle må sende et antal forespørgsler i minuttet (som standard "
        f"{settings.API_TOKEN_RATE_PER_MINUTE}); derover er svaret 429 med koden "
        "`rate_limited` og `Retry-After` (sekunder til minuttet er gået)."
    ),
    auth=DEFAULT,
    urls_namespace="api-v1",
)
api.add_router("", public)
api.add_router("", cases)
api.add_router("", businesses)
api.add_router("", work)
api.add_router("", directory)
api.add_router("", visits)
api.add_router("", stats)
api.add_router("", webhooks)


def _error(
    request: HttpRequest, status: int, detail: str, code: str, errors: dict[str, str] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {
        "detail": detail,
        "code": code,
        "errors": errors or {},
        "request_id": current_request_id(),
    }
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message, exc.code, exc.errors)


@api.exception_handler(StaleVersion)
def stale_version(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    """``If-Match`` named a version that is no longer stored (``api.concurrency``): 412 with
    the current ETag; nothing was changed."""
    detail = (
        f"Den er ændret, siden I hentede den (nu version {exc.current}). Hent den igen, og "
        "send den nye ETag i If-Match, hvis ændringen stadig skal gemmes."
    )
    response = _error(
        request, 412, detail, "precondition_failed", {"If-Match": "Versionen er forældet."}
    )
    response["ETag"] = etag(exc.current)
    return response


_SOURCES = ("body", "query", "path", "form", "file", "header", "cookie")


def _location(loc: Any) -> str:
    """The field a pydantic error is about: ``("body", "payload", "contact", "email")`` →
    ``contact.email``. Only the leading source (and the body parameter's name) is dropped,
    so a field that happens to be called ``file`` or ``query`` keeps its name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for item in exc.errors:
        loc = item.get("loc", ())
        field = _location(loc)
        kind = item.get("type", "")
        if kind == "missing":
            message = "Feltet mangler."
        elif kind == "extra_forbidden":
            message = "Ukendt felt."
        elif kind in {"json_invalid", "value_error.jsondecode"}:
            message = "Indholdet er ikke gyldig JSON."
        elif kind == "string_pattern_mismatch":
            pattern = item.get("ctx", {}).get("pattern", "")
            message = f"Værdien har ikke den tilladte form (mønster {pattern}; se /api/v1/docs)."
        else:
            message = str(item.get("msg", "Ugyldig værdi."))
        errors.setdefault(field, message)
    return _error(request, 422, "Forespørgslen kan ikke bruges.", "validation_failed", errors)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, "Log ind med en API-nøgle: Authorization: Bearer <token>.", "unauthorized"
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(TokenLockout)
def token_lockout(request: HttpRequest, exc: TokenLockout) -> HttpResponse:
    """Too many bad tokens from this address (``api.auth``): 429 until the lock ends."""
    response = _error(request, 429, exc.detail, "too_many_attempts")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(InsufficientScope)
def insufficient_scope(request: HttpRequest, exc: InsufficientScope) -> HttpResponse:
    """A good token without the operation's scope (``api.auth``): 403, nothing done."""
    response = _error(request, 403, exc.detail, "insufficient_scope")
    response["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.scope}"'
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The token's requests for this minute are used (``accounts.token_rate``): 429."""
    response = _error(request, 429, exc.detail, "rate_limited")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse request body" in str(exc):
        return _error(
            request,
            400,
            "Indholdet er ikke gyldig JSON.",
            "malformed_json",
            {"body": str(exc).replace("Cannot parse request body", "JSON-fejl")},
        )
    return _error(request, exc.status_code, str(exc), "http_error")


@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(
        request,
        413,
        f"Forespørgslen er for stor; en JSON-forespørgsel må højst fylde {limit // 1024} KB.",
        "too_large",
        {"body": "Forespørgslen er for stor."},
    )


@api.exception_handler(MultiPartParserError)
def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body the parser cannot read (no boundary, cut off): the client's error."""
    return _error(
        request,
        400,
        "Indholdet kan ikke læses som multipart/form-data (mangler der en boundary?). "
        "Send filen i feltet »file«.",
        "malformed_multipart",
        {"file": "Indholdet kan ikke læses som multipart/form-data."},
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_out_of_reach(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database cannot be reached (restarting, cut off): 503 with ``Retry-After``, and
    the client sends the same request again (with the same Idempotency-Key) later. Django
    closes the broken connection when the request ends; a mistake in a query stays a 500."""
    if not database_unavailable(exc):
        return unexpected_error(request, exc)
    logger.warning("Database out of reach in %s %s: %s", request.method, request.path, exc)
    response = _error(
        request,
        503,
        "Tjenesten kan ikke nå sine data lige nu. Prøv igen om lidt; send en henvendelse igen "
        "med samme Idempotency-Key, så bliver den kun oprettet én gang.",
        "unavailable",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return _error(
        request,
        500,
        f"Der skete en uventet fejl. Oplys fejlnummer {current_request_id()} til kommunen.",
        "server_error",
    )


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: a JSON 404 like the rest of the API, not an HTML page."""
    return JsonResponse(
        {
            "detail": f"Der er ingen adresse {request.path} i API'et; se /api/v1/docs.",
            "code": "not_found",
            "errors": {},
            "request_id": current_request_id(),
        },
        status=404,
    )
