"""Reads for users and API tokens."""

from __future__ import annotations

from .models import ApiToken, User
from .services import TOKEN_PREFIX, hash_token


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active user a bearer token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user, token
