"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``, with scopes.

**Every operation declares the scope it needs** by passing one of the four instances below
as ``auth=`` (``auth=None`` keeps an operation public, without a token)::

    from .auth import ADMIN, INTAKE, READ, WRITE

    @router.get("/things", auth=READ, response=...)            # every GET
    @router.post("/inquiries", auth=INTAKE, response=...)      # the business brings material
    @router.post("/cases/{reference}/close", auth=WRITE, ...)  # any other change
    @router.post("/webhooks", auth=ADMIN, response=...)        # managing webhook subscriptions

``READ`` is every GET; ``INTAKE`` is ``POST /inquiries`` and the business delivering its
material (``/cases/{ref}/answers``, ``/cases/{ref}/documents``); ``WRITE`` every other write
to a case or a business; ``ADMIN`` managing the webhook subscriptions (reading them too).
A token lacking the scope gets 403 ``insufficient_scope`` before the request is read, so
nothing changes. An operation that declares nothing falls back to the API's default
(``DEFAULT``: ``read`` for GET, ``write`` otherwise), and ``api/tests/test_scopes.py`` fails
until it declares its scope; the OpenAPI document shows each operation's scope
(``x-scopes``, the security requirement and a line of its description; ``api.urls``).

A token's scopes are on its row (``accounts.ApiToken.scopes``); a scope is a capability of
the token, not a permission of the user: the user's own rights (staff or business, visibility)
still decide as before.

Wrong, revoked, expired and unknown tokens count as failed logins (scope ``api`` in
``accounts.lockouts``): per address, and per (address, token prefix) — the prefix is the
token's public first characters, never the secret. When an address is locked, every request
from it that carries a token is refused with 429 before the token is looked at, even a good
one; a request without any ``Authorization`` header is not counted (it gets the usual 401).

A good token may send its requests a minute (``accounts.token_rate``; beyond: 429
``rate_limited`` with ``Retry-After``), counted before its scope is checked.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from erhvervskontakt.accounts.lockouts import LoginThrottle
from erhvervskontakt.accounts.models import ApiScope, LoginLockout
from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import TOKEN_PREFIX, api_token_touch
from erhvervskontakt.accounts.token_rate import TokenRate
from erhvervskontakt.common import clock

PREFIX_LENGTH = 12  # as stored in ApiToken.prefix


class TokenLockout(Exception):
    """Too many bad tokens from this address: answered 429 with ``Retry-After``."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__("too many bad API tokens")
        self.until = until

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((self.until - clock.now()).total_seconds()))

    @property
    def detail(self) -> str:
        local = self.until.astimezone(clock.local_tz())
        return (
            "For mange forkerte API-nøgler fra denne adresse; forespørgsler med en nøgle "
            f"afvises til kl. {local:%H:%M}. Kontrollér nøglen, eller bed kommunens "
            "administrator om en ny eller om at ophæve spærringen."
        )


# What each scope lets a token do, in the words of a refusal and of the OpenAPI document.
SCOPE_WORDS: dict[str, str] = {
    ApiScope.READ: "læse",
    ApiScope.INTAKE: "indsende henvendelser og materiale",
    ApiScope.WRITE: "ændre sager og virksomheder",
    ApiScope.ADMIN: "administrere webhooks",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class InsufficientScope(Exception):
    """The token is good but lacks the operation's scope: answered 403."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"token lacks scope {scope}")
        self.scope = scope

    @property
    def detail(self) -> str:
        return (
            f"API-nøglen har ikke rettigheden »{self.scope}« ({SCOPE_WORDS[self.scope]}), "
            "som denne handling kræver. Bed kommunens administrator om en nøgle med den "
            "rettighed."
        )


class RateLimited(Exception):
    """The token has sent its requests for this minute: answered 429 with ``Retry-After``."""

    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__("API token over its rate limit")
        self.limit = limit
        self.retry_after = retry_after

    @property
    def detail(self) -> str:
        return (
            f"API-nøglen har sendt sine {self.limit} forespørgsler for dette minut; prøv "
            f"igen om {self.retry_after} sekunder. Har integrationen brug for flere, så bed "
            "kommunens administrator om en højere grænse for nøglen."
        )


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _prefix(header: str) -> str:
    """The public start of the token in an ``Authorization`` value (empty if it is not one
    of ours, so nothing else a client pasted there is stored)."""
    token = header.partition(" ")[2].strip()
    return token[:PREFIX_LENGTH] if token.startswith(TOKEN_PREFIX) else ""


class BearerToken(HttpBearer):
    """A token that holds ``scope`` (one of ``ApiScope``); without one (``DEFAULT``), ``read``
    for GET and ``write`` for anything else. Use the instances below, never a new one per
    operation: the scope is the one thing that differs."""

    openapi_description = (
        "En API-nøgle: `Authorization: Bearer <token>`. Hver handling kræver én rettighed "
        "(`x-scopes`): `read`, `intake`, `write` eller `admin`."
    )

    def __init__(self, scope: str | None = None) -> None:
        if scope is not None and scope not in ApiScope.values:
            raise ValueError(f"Unknown API scope {scope!r}; one of {ApiScope.values}.")
        self.scope = scope
        super().__init__()

    def __repr__(self) -> str:
        return f"BearerToken({self.scope!r})"

    def required_scope(self, method: str) -> str:
        if self.scope is not None:
            return self.scope
        return ApiScope.READ if method.upper() in SAFE_METHODS else ApiScope.WRITE

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None
        throttle = LoginThrottle(
            ip=_client_ip(request), username=_prefix(header), scope=LoginLockout.Scope.API
        )
        until = throttle.locked_until()
        if until is not None:
            throttle.refused(until)
            raise TokenLockout(until)
        user = super().__call__(request)
        if user is None:
            throttle.record_failure()
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, row = found
        api_token_touch(token=row)
        refusal = TokenRate(row).hit()
        if refusal is not None:
            raise RateLimited(refusal.limit, refusal.retry_after)
        needed = self.required_scope(request.method or "GET")
        if not row.has_scope(needed):
            raise InsufficientScope(needed)
        request.user = user
        request.api_token = row  # type: ignore[attr-defined]
        return user


# The scopes an operation declares (``auth=READ`` …); see the module's docstring.
READ = BearerToken(ApiScope.READ)
INTAKE = BearerToken(ApiScope.INTAKE)
WRITE = BearerToken(ApiScope.WRITE)
ADMIN = BearerToken(ApiScope.ADMIN)
# The API's default for an operation that declares nothing (a test refuses those).
DEFAULT = BearerToken()


def operation_scopes(operation: Any) -> list[str]:
    """The scopes a ninja operation needs, one per kind of request it answers (empty:
    public). For the OpenAPI document and the tests that every operation declares one."""
    found: list[str] = []
    for callback in operation.auth_callbacks:
        if isinstance(callback, BearerToken):
            for method in operation.methods:
                scope = callback.required_scope(method)
                if scope not in found:
                    found.append(scope)
    return found


def operation_declares_scope(operation: Any) -> bool:
    """The operation is public (``auth=None``) or names its scope itself (``auth=READ`` …),
    rather than falling back to the API's default."""
    if operation.auth_param is None:
        return True
    callbacks = operation.auth_callbacks
    return bool(callbacks) and all(
        isinstance(c, BearerToken) and c.scope is not None for c in callbacks
    )
