"""What every workbench page's menu shows: the count of the business's unread messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from erhvervskontakt.cases.selectors import unread_message_count


def unread_messages(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """``workbench_unread_messages``: counted (one query) only when a template shows it, and
    once per page however often the menu is included (desktop and mobile)."""
    user: Any = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff):
        return {}
    counted: list[int] = []

    def count() -> int:
        if not counted:
            counted.append(unread_message_count(user=user))
        return counted[0]

    return {"workbench_unread_messages": count}
