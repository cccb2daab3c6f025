"""``manage.py check --deploy``: the webhooks' safety switches are off in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning
from django.core.checks import register as register_check


def webhooks_loopback(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.WEBHOOKS_ALLOW_LOOPBACK:
        return [
            Warning(
                "WEBHOOKS_ALLOW_LOOPBACK is on: webhooks may be sent to this machine itself, "
                "over plain http.",
                hint="Leave it off outside tests and development.",
                id="integrations.W001",
            )
        ]
    return []


def register() -> None:
    register_check(webhooks_loopback, Tags.security, deploy=True)
