"""Writes for users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction

from erhvervskontakt.common import clock

from .models import ApiToken, User

TOKEN_PREFIX = "ek_"  # noqa: S105 (a public prefix, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is shown once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute per token (no write per request)."""
    moment = clock.now()
    if token.last_used_at is None or moment - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
