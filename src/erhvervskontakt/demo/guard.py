"""The one check both demo commands make before they write fictitious data."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import CommandError

DEMO_PASSWORD = "demo1234"  # noqa: S105 (only ever used while DEBUG is on)


def demo_password(*, force: bool, given: str, what: str) -> tuple[str, bool]:
    """The password for demo logins, and whether it was generated.

    With DEBUG on the well-known demo password is fine. With DEBUG off this looks like
    production: refuse unless ``--force``, and then never use a well-known password.
    """
    if settings.DEBUG:
        return given or DEMO_PASSWORD, False
    if not force:
        raise CommandError(
            f"DEBUG is off, so this looks like a production database. {what} adds fictitious "
            "businesses, cases and staff logins; run it with --force if you really mean it."
        )
    if given and given != DEMO_PASSWORD:
        return given, False
    return secrets.token_urlsafe(12), True
