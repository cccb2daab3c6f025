"""Business users log in and out, and switch the business they act for."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.base_user import BaseUserManager
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erhvervskontakt.common.middleware import current_request_id
from erhvervskontakt.identity import config
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.identity.services.login_log import login_event_record
from erhvervskontakt.web.access import Acting, acting_for, business_user_required, switch_business
from erhvervskontakt.web.pages import render_page, safe_next
from erhvervskontakt.web.ratelimit import (
    client_ip,
    login_throttle,
    portal_lock_message,
    retry_after,
)

from ..forms import (
    FormErrors,
)
from . import mitid


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """The portal's login page: MitID Erhverv (through NemLog-in) where it is set up, and
    e-mail and password only where local passwords are enabled (the demo; off in
    production). Too many failed passwords lock the login for a while and say what to do
    (``accounts.lockouts``)."""
    identity = config.current()
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    errors = FormErrors()
    username = ""
    status = 200
    until = None
    if request.method == "POST" and not identity.business_passwords:
        errors.add(None, _("Log på med MitID Erhverv. Log-in med adgangskode er slået fra."))
        status = 403
    elif request.method == "POST":
        # Usernames are e-mail addresses, stored with the domain in lower case.
        username = BaseUserManager.normalize_email(request.POST.get("username", "").strip())
        password = request.POST.get("password", "")
        if not username:
            errors.add("brugernavn", _("Skriv e-mailadressen."))
        if not password:
            errors.add("adgangskode", _("Skriv adgangskoden."))
        if not errors:
            throttle = login_throttle(request, username, "portal")
            until = throttle.locked_until()
            if until is not None:
                throttle.refused(until)
                errors.add(None, portal_lock_message(until))
                status = 429
            else:
                user = authenticate(request, username=username, password=password)
                if user is None:
                    throttle.record_failure()
                    _log(
                        request,
                        LoginEvent.Kind.REFUSED,
                        None,
                        reason="bad_password",
                        detail=username,
                    )
                    errors.add(None, _("E-mailadressen eller adgangskoden er forkert."))
                else:
                    throttle.reset()
                    login(request, user)
                    _log(request, LoginEvent.Kind.LOGIN, user)
                    return _after_login(request, user, next_url)
        status = status if status != 200 else 422
    response = render_page(
        request,
        "portal/login.html",
        {
            "errors": errors,
            "username": username,
            "next": next_url,
            "mitid": identity.saml is not None,
            "mitid_test": identity.saml is not None and identity.saml.local_test_idp,
            "passwords": identity.business_passwords,
        },
        status=status,
    )
    if until is not None:
        response["Retry-After"] = retry_after(until)
    return response


def _after_login(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    if user.is_staff:
        messages.info(
            request,
            _(
                "Du er logget på som medarbejder. Medarbejdernes arbejdsbord kommer snart; "
                "indtil da arbejder du i administrationen."
            ),
        )
        return redirect("portal:front")
    acting = acting_for(request)
    if acting is None:
        messages.warning(
            request,
            _(
                "Brugeren kan ikke handle for nogen virksomhed endnu. "
                "Kontakt kommunen, så giver vi jer adgang."
            ),
        )
        return redirect("portal:front")
    messages.success(request, _("I er logget på."))
    return redirect(next_url or reverse("portal:case_list"))


def _log(request: HttpRequest, kind: str, user: Any, *, reason: str = "", detail: str = "") -> None:
    login_event_record(
        kind=kind,
        method=LoginEvent.Method.PORTAL_PASSWORD,
        user=user,
        reason=reason,
        detail=detail,
        ip=client_ip(request),
        session_key=request.session.session_key,
        request_id=current_request_id(),
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out; a MitID Erhverv session ends at NemLog-in too (``mitid.mitid_logout``)."""
    return mitid.mitid_logout(request)


@require_POST
@business_user_required
def switch_business_view(request: HttpRequest, acting: Acting) -> HttpResponse:
    """Act for another of the user's businesses."""
    business = acting.find(request.POST.get("cvr", ""))
    if business is None:
        messages.error(request, _("I kan ikke handle for den virksomhed."))
    else:
        switch_business(request, acting, business)
        messages.success(request, _("I handler nu for %(name)s.") % {"name": business.name})
    return redirect(safe_next(request, request.POST.get("next", "")) or "portal:case_list")
