"""Reads for users and API tokens."""

from __future__ import annotations

from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

from .models import ApiToken, User
from .services import TOKEN_PREFIX, hash_token


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active user a bearer token belongs to, or None (also when the token is revoked
    or expired: to the caller those are alike, an unknown token)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable(clock.now())
        .select_related("user", "user__department")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user, token


def active_staff_get(*, username: str, field: str = "assignee") -> User:
    """An active staff member by username, or ValidationFailed on ``field``."""
    found = User.objects.filter(username=username, is_active=True, is_staff=True).first()
    if found is None:
        raise ValidationFailed.field(field, "Vælg en aktiv kollega fra listen.")
    return found


def coordinator_list() -> list[User]:
    """Active coordinators by name, for choosing one in a filter or a form."""
    return list(User.objects.coordinators().order_by("first_name", "last_name", "username"))
