"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from erhvervskontakt.accounts.selectors import user_for_token
from erhvervskontakt.accounts.services import api_token_touch


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, row = found
        api_token_touch(token=row)
        request.user = user
        return user
