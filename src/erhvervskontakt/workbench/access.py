"""Who may use the workbench: active municipal staff, logged in.

Views only say ``@staff_required``; how the person logged in (Django's password login now,
the municipality's Entra ID through OIDC later) is decided by ``WORKBENCH_LOGIN_URL`` and the
authentication backends, so adding a login method touches no view (docs/decisions/0005).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

P = ParamSpec("P")


def is_workbench_user(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def login_url() -> str:
    return resolve_url(getattr(settings, "WORKBENCH_LOGIN_URL", "workbench:login"))


def staff_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Staff pages: anonymous visitors go to the staff login; business users get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        if not is_workbench_user(request.user):
            raise PermissionDenied("Kun kommunens medarbejdere har adgang.")
        return view(request, *args, **kwargs)

    return wrapper


def can_coordinate(user: object) -> bool:
    """Coordinators, heads of unit and administrators screen and drive cases."""
    return bool(
        getattr(user, "is_coordinator", False)
        or getattr(user, "is_head_of_unit", False)
        or getattr(user, "is_superuser", False)
    )
