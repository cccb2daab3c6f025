"""Staff log in and out; the workbench's start page.

With the municipality's Entra ID set up (``OIDC_ISSUER``), staff log in there (``sso``) and
the password form is only for the named break-glass accounts (``OIDC_BREAK_GLASS_USERS``,
who must be superusers); without it, the password form is the staff login. Every login,
logout and refused login is a line in the login log (``identity.services.login_log``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.middleware import current_request_id
from erhvervskontakt.identity import config
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.identity.services.login_log import login_event_record
from erhvervskontakt.web.access import can_coordinate, is_workbench_user, staff_required
from erhvervskontakt.web.pages import render_page, safe_next
from erhvervskontakt.web.ratelimit import client_ip, throttled_login

from .sso import METHOD_KEY

PASSWORD = LoginEvent.Method.WORKBENCH_PASSWORD


def _password_refused(request: HttpRequest, reason: str, detail: str = "") -> None:
    login_event_record(
        kind=LoginEvent.Kind.REFUSED,
        method=PASSWORD,
        reason=reason,
        detail=detail,
        ip=client_ip(request),
        request_id=current_request_id(),
    )


def _logs_locked(view: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST the login limits refused untried (429) is a refused login ("locked")."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        response = view(request)
        if request.method == "POST" and response.status_code == 429:
            username = str(request.POST.get("username", ""))[:150]
            _password_refused(request, "locked", f"brugernavn {username!r}")
        return response

    return wrapper


def _may_use_password(user: User, provider: config.OidcProvider | None) -> bool:
    """Without Entra ID every member of staff; with it only break-glass superusers."""
    if provider is None:
        return True
    return user.username in provider.break_glass and user.is_superuser


@require_http_methods(["GET", "POST"])
@_logs_locked
@throttled_login("workbench", "web/login_blocked.html")
def login_view(request: HttpRequest) -> HttpResponse:
    """Staff log in with username and password (Django auth); business users are refused.
    Failures are limited as on the portal (``web.ratelimit``): staff see every business."""
    provider = config.current().oidc
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    form = AuthenticationForm(request, data=request.POST or None)
    error = ""
    if request.method == "POST":
        typed = str(request.POST.get("username", ""))[:150]
        if form.is_valid():
            user = form.get_user()
            if not is_workbench_user(user):
                error = _("Kun kommunens medarbejdere kan logge på arbejdsbordet.")
                _password_refused(request, "not_staff", f"brugernavn {typed!r}")
            elif not _may_use_password(user, provider):
                error = _(
                    "Medarbejdere logger på med Microsoft Entra ID. Log-in med adgangskode er "
                    "kun til nødadgang."
                )
                _password_refused(request, "password_off", f"brugernavn {typed!r}")
            else:
                login(request, user)
                request.session[METHOD_KEY] = PASSWORD
                login_event_record(
                    kind=LoginEvent.Kind.LOGIN,
                    method=PASSWORD,
                    user=user,
                    ip=client_ip(request),
                    session_key=request.session.session_key,
                    request_id=current_request_id(),
                    detail="nødadgang" if provider is not None else "",
                )
                return redirect(next_url or reverse("workbench:home"))
        else:
            error = _("Brugernavnet eller adgangskoden er forkert.")
            _password_refused(request, "bad_password", f"brugernavn {typed!r}")
    sso_url = ""
    if provider is not None:
        sso_url = reverse("workbench:sso_start")
        if next_url:
            sso_url = f"{sso_url}?{urlencode({'next': next_url})}"
    return render_page(
        request,
        "workbench/login.html",
        {
            "error": error,
            "username": request.POST.get("username", ""),
            "next": next_url,
            "sso_url": sso_url,
        },
        status=422 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    method = request.session.get(METHOD_KEY) or PASSWORD
    session_key = request.session.session_key
    logout(request)
    if isinstance(user, User):
        login_event_record(
            kind=LoginEvent.Kind.LOGOUT,
            method=method if method in LoginEvent.Method.values else PASSWORD,
            user=user,
            ip=client_ip(request),
            session_key=session_key,
            request_id=current_request_id(),
        )
    return redirect("workbench:login")


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    if can_coordinate(request.user):
        return redirect("workbench:screening_queue")
    return redirect("workbench:inbox")
