"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``.

Wrong, revoked and unknown tokens count as failed logins (scope ``api`` in
``accounts.lockouts``): per address, and per (address, token prefix) — the prefix is the
token's public first characters, never the secret. When an address is locked, every request
from it that carries a token is refused with 429 before the token is looked at, even a good
one; a request without any ``Authorization`` header is not counted (it gets the usual 401).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from erhvervskontakt.accounts.lockouts import LoginThrottle
from erhvervskontakt.accounts.models import LoginLockout
from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import TOKEN_PREFIX, api_token_touch
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


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _prefix(header: str) -> str:
    """The public start of the token in an ``Authorization`` value (empty if it is not one
    of ours, so nothing else a client pasted there is stored)."""
    token = header.partition(" ")[2].strip()
    return token[:PREFIX_LENGTH] if token.startswith(TOKEN_PREFIX) else ""


class BearerToken(HttpBearer):
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
        request.user = user
        return user
