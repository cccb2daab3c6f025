"""Writes for users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

from .models import DEFAULT_API_SCOPES, ApiScope, ApiToken, User

logger = logging.getLogger("erhvervskontakt.security")

TOKEN_PREFIX = "ek_"  # noqa: S105 (a public prefix, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_scopes_clean(scopes: Iterable[str]) -> list[str]:
    """The scopes as stored: known ones only, each once, in ``ApiScope``'s order; at least one.
    ``scopes`` may also be comma lists (``["read,intake", "write"]``, as the command takes)."""
    wanted = {part.strip() for item in scopes for part in item.split(",") if part.strip()}
    unknown = sorted(wanted - set(ApiScope.values))
    if unknown:
        known = ", ".join(ApiScope.values)
        raise ValidationFailed.field(
            "scopes", f"Ukendt rettighed: {', '.join(unknown)} (kendte: {known})."
        )
    if not wanted:
        raise ValidationFailed.field("scopes", "Vælg mindst én rettighed.")
    return [scope for scope in ApiScope.values if scope in wanted]


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str = "",
    scopes: Iterable[str] | None = None,
    expires_at: dt.datetime | None = None,
    rate_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is shown once.

    Without ``scopes`` it may read, bring inquiries and material, and change cases
    (``DEFAULT_API_SCOPES``), not manage webhooks; without ``expires_at`` it lasts
    ``API_TOKEN_DAYS``; without ``rate_per_minute`` it has the default limit."""
    chosen = api_scopes_clean(DEFAULT_API_SCOPES if scopes is None else scopes)
    moment = clock.now()
    if expires_at is None:
        expires_at = moment + timedelta(days=settings.API_TOKEN_DAYS)
    elif expires_at <= moment:
        raise ValidationFailed.field("expires_at", "Udløbet skal ligge i fremtiden.")
    if rate_per_minute is not None and rate_per_minute < 1:
        raise ValidationFailed.field("rate_per_minute", "Angiv mindst 1 forespørgsel pr. minut.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        key_hash=hash_token(raw),
        scopes=chosen,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
    )
    logger.info(
        "api token created: token=%s prefix=%s user=%s scopes=%s expires=%s",
        token.pk,
        token.prefix,
        user.username,
        ",".join(chosen),
        expires_at.isoformat(timespec="seconds"),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke the token (tilbagekald): from now on it is refused like an unknown one. The
    row records when and by whom (``actor``; None from code and tests) and stays.

    The row is locked first so two administrators revoking at once record one revocation;
    revoking a revoked token changes nothing (see ``revoked_at`` to tell)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = clock.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        logger.warning(
            "api token revoked: token=%s prefix=%s user=%s by=%s",
            locked.pk,
            locked.prefix,
            locked.user.username,
            actor.username if actor is not None else "-",
        )
    token.revoked_at, token.revoked_by_id = locked.revoked_at, locked.revoked_by_id
    return locked


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute per token (no write per request)."""
    moment = clock.now()
    if token.last_used_at is None or moment - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
