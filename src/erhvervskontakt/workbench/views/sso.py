"""Staff log in with the municipality's Microsoft Entra ID (OpenID Connect).

``log-ind/entra-id/`` starts: a fresh state, nonce and PKCE verifier are kept in this
browser's session (a few at a time, for several tabs; ten minutes each) and the browser goes
to Entra ID's authorize endpoint. Entra ID sends it back to ``log-ind/entra-id/svar/`` with
a code and the state: the state's entry is taken out of the session at once (so a callback
works once), the code is exchanged with the verifier, the ID token verified
(``identity.oidc``) and the person logged in with the rights their app roles give
(``identity.services.staff_login``). Every refusal is a Danish page with the request id and
a way back to the login page, a line in the login log, and never a session.

The callback counts refusals per address under the workbench's login limits: refusals cost a
code from Entra ID each, so this is a brake on noise, not the guard against guessing.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.middleware import current_request_id
from erhvervskontakt.identity import config, oidc
from erhvervskontakt.identity.services.staff_login import Where, staff_login, staff_login_refuse
from erhvervskontakt.web.pages import render_page, safe_next
from erhvervskontakt.web.ratelimit import (
    PER_IP,
    LoginThrottle,
    client_ip,
    login_throttle,
    retry_after,
)

logger = logging.getLogger(__name__)

PENDING_KEY = "entra_id_pending"
USED_KEY = "entra_id_used_states"
METHOD_KEY = "workbench_login_method"
PENDING_MAX = 5
PENDING_SECONDS = 600
BACKEND = "django.contrib.auth.backends.ModelBackend"
# Refusals of a verified person (the page says "no access" rather than "not logged in").
NO_ACCESS = frozenset({"no_role", "tenant", "user_inactive"})


def _provider() -> config.OidcProvider:
    provider = config.current().oidc
    if provider is None:
        raise Http404(_("Log-in med Microsoft Entra ID er ikke sat op her."))
    return provider


def _redirect_uri(request: HttpRequest) -> str:
    """The redirect URI registered in Entra ID: from SITE_URL where it is set (behind a
    proxy the request's own host may differ), else from the request."""
    path = reverse("workbench:sso_callback")
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


def _throttle(request: HttpRequest) -> LoginThrottle:
    throttle = login_throttle(request, "entra-id", "workbench")
    return dataclasses.replace(throttle, per_account=PER_IP)


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to Entra ID with a new state, nonce and PKCE challenge."""
    provider = _provider()
    next_url = safe_next(request, request.GET.get("next", ""))
    try:
        started = oidc.authorization_start(provider, redirect_uri=_redirect_uri(request))
    except oidc.OidcRefused as refusal:
        logger.error("Entra ID login cannot start: %s", refusal.detail)
        return _refused_page(request, refusal.message, status=503)
    pending = dict(request.session.get(PENDING_KEY) or {})
    now = time.time()
    pending = {
        state: entry
        for state, entry in pending.items()
        if isinstance(entry, dict) and now - float(entry.get("at", 0)) < PENDING_SECONDS
    }
    pending[started.state] = {
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": next_url,
        "at": now,
    }
    request.session[PENDING_KEY] = dict(
        sorted(pending.items(), key=lambda item: item[1]["at"])[-PENDING_MAX:]
    )
    return HttpResponseRedirect(started.url)


def _take_pending(request: HttpRequest, state: str) -> dict[str, str]:
    """The started login this state belongs to, removed from the session (used once)."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    used = list(request.session.get(USED_KEY) or [])
    entry = pending.pop(state, None) if state else None
    if entry is not None:
        request.session[PENDING_KEY] = pending
        request.session[USED_KEY] = [*used, state][-PENDING_MAX * 2 :]
    if not isinstance(entry, dict):
        if state and state in used:
            raise oidc.OidcRefused(
                "replay",
                _("Dette svar fra Microsoft Entra ID er brugt før. Start forfra med at logge på."),
                "state used before",
            )
        raise oidc.OidcRefused(
            "state",
            _(
                "Log-in-forsøget kendes ikke i denne browser, eller det er for gammelt. Start "
                "forfra med at logge på."
            ),
            "unknown state" if state else "no state",
        )
    if time.time() - float(entry.get("at", 0)) >= PENDING_SECONDS:
        raise oidc.OidcRefused(
            "state", _("Log-in-forsøget er for gammelt. Start forfra med at logge på."), "old"
        )
    return {k: str(v) for k, v in entry.items()}


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Entra ID's answer: check state, exchange the code, verify the token, log in."""
    provider = _provider()
    throttle = _throttle(request)
    until = throttle.locked_until()
    where = Where(ip=client_ip(request), request_id=current_request_id())
    if until is not None:
        throttle.refused(until)
        staff_login_refuse(
            refusal=oidc.OidcRefused("locked", detail="too many refused logins"), where=where
        )
        response = _refused_page(
            request,
            _("For mange mislykkede log-in fra dit netværk. Prøv igen om lidt."),
            status=429,
        )
        response["Retry-After"] = retry_after(until)
        return response
    already = request.user.is_authenticated
    try:
        entry = _take_pending(request, str(request.GET.get("state", ""))[:200])
        if request.GET.get("error"):
            raise oidc.OidcRefused(
                "provider_error",
                _("Microsoft Entra ID afbrød log-in, så du er ikke logget på. Prøv igen."),
                f"{request.GET.get('error', '')[:60]}: "
                f"{request.GET.get('error_description', '')[:300]}",
            )
        code = str(request.GET.get("code", ""))
        if not code:
            raise oidc.OidcRefused(
                "missing_code",
                _("Der kom ingen kode med svaret fra Microsoft Entra ID. Start forfra."),
            )
        id_token = oidc.code_exchange(
            provider,
            code=code[:4000],
            redirect_uri=_redirect_uri(request),
            code_verifier=entry["verifier"],
        )
        claims = oidc.id_token_verify(provider, id_token, nonce=entry["nonce"])

        def start_session(user: User) -> str | None:
            login(request, user, backend=BACKEND)
            request.session[METHOD_KEY] = "entra_id"
            request.session.save()
            return request.session.session_key

        staff_login(
            provider=provider,
            claims=claims,
            where=dataclasses.replace(where, start_session=start_session),
        )
    except oidc.OidcRefused as refusal:
        throttle.record_failure()
        if request.user.is_authenticated and not already:
            request.session.flush()  # a session started inside the rolled-back login ends
        staff_login_refuse(refusal=refusal, where=where)
        logger.info("Entra ID login refused: %s (%s)", refusal.reason, refusal.detail)
        status = 503 if refusal.reason == "unavailable" else 403
        return _refused_page(
            request, refusal.message, status=status, no_access=refusal.reason in NO_ACCESS
        )
    throttle.reset()
    return redirect(safe_next(request, entry.get("next", "")) or reverse("workbench:home"))


def _refused_page(
    request: HttpRequest, message: str, *, status: int, no_access: bool = False
) -> HttpResponse:
    heading = _("Du har ikke adgang") if no_access else _("Du er ikke logget på")
    return render_page(
        request,
        "workbench/sso_refused.html",
        {"heading": heading, "message": message, "request_id": current_request_id()},
        status=status,
    )
