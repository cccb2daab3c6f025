"""Log in with MitID Erhverv through NemLog-in: the SAML endpoints of our service provider.

``/saml2/login/`` sends the browser to NemLog-in with a signed AuthnRequest; NemLog-in posts
the response to ``/saml2/acs/``, which hands it to ``identity.saml`` (every OIOSAML 3 check)
and ``identity.services.business_login`` (our user and memberships); ``/saml2/logout/`` ends
the local session and NemLog-in's; ``/saml2/ls/`` takes NemLog-in's logout messages;
``/saml2/metadata/`` is our metadata for NemLog-in Administration. Every refusal is a Danish
page with the request id and a way back, written to the login log, and never a session.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from djangosaml2.cache import OutstandingQueriesCache

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.middleware import current_request_id
from erhvervskontakt.identity import config, saml
from erhvervskontakt.identity.models import LoginEvent
from erhvervskontakt.identity.services.business_login import Where, business_login
from erhvervskontakt.identity.services.login_log import login_event_record
from erhvervskontakt.web.access import LOGIN_CVRS_KEY
from erhvervskontakt.web.pages import render_page, safe_next
from erhvervskontakt.web.ratelimit import PER_IP, LoginThrottle, client_ip, retry_after

logger = logging.getLogger(__name__)

NAME_ID_KEY = "saml_name_id"
SESSION_INDEX_KEY = "saml_session_index"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _provider() -> config.SamlProvider:
    provider = config.current().saml
    if provider is None:
        raise Http404(_("Log-in med MitID Erhverv er ikke sat op her."))
    return provider


def _throttle(request: HttpRequest) -> LoginThrottle:
    """Refused responses counted per address (the one "account" is MitID Erhverv itself),
    with the address limit: an office behind one address is not locked out by a few."""
    return LoginThrottle(
        ip=client_ip(request), username="mitid-erhverv", scope="portal", per_account=PER_IP
    )


@require_GET
def mitid_login(request: HttpRequest) -> HttpResponse:
    """Start: a signed AuthnRequest to NemLog-in, remembered in this browser's SAML state."""
    provider = _provider()
    next_url = saml.check_relay_state(safe_next(request, request.GET.get("next", "")))
    try:
        request_id, location = saml.authn_request(provider, relay_state=next_url)
    except (ImproperlyConfigured, OSError) as error:
        logger.error("MitID Erhverv login cannot start: %s", error)
        return _refused_page(
            request,
            _("Log-in med MitID Erhverv virker ikke lige nu. Prøv igen om lidt."),
            status=503,
        )
    OutstandingQueriesCache(request.saml_session).set(request_id, next_url)  # type: ignore[attr-defined]
    return HttpResponseRedirect(location)


@csrf_exempt  # NemLog-in posts here from its own site; the response's signature is the proof
@require_POST
def mitid_acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: check the response, then log in — or refuse."""
    provider = _provider()
    throttle = _throttle(request)
    until = throttle.locked_until()
    encoded = request.POST.get("SAMLResponse", "")
    if until is not None:
        throttle.refused(until)
        response = _refused_page(
            request,
            _("For mange mislykkede log-in fra jeres netværk. Prøv igen om lidt."),
            status=429,
        )
        response["Retry-After"] = retry_after(until)
        return response
    cache = OutstandingQueriesCache(request.saml_session)  # type: ignore[attr-defined]
    cache.sync()
    outstanding = dict(cache.outstanding_queries())
    # The request this answers is used now, whatever happens next: never twice.
    answered = saml.response_request_id(encoded) if encoded else ""
    if answered in outstanding:
        cache.delete(answered)
    try:
        if not encoded:
            raise saml.SamlRefused(
                "missing", _("Der kom ikke noget svar fra NemLog-in. Start forfra.")
            )
        verified = saml.verify_login(provider, encoded, outstanding=outstanding)

        def start_session(user: User) -> str | None:
            login(request, user, backend=BACKEND)
            request.session[NAME_ID_KEY] = verified.name_id
            request.session[SESSION_INDEX_KEY] = verified.session_index
            request.session.save()
            return request.session.session_key

        with transaction.atomic():
            result = business_login(
                provider=provider,
                login=verified,
                where=Where(
                    ip=client_ip(request),
                    request_id=current_request_id(),
                    start_session=start_session,
                ),
                raw_response=encoded,
            )
            request.session[LOGIN_CVRS_KEY] = [b.cvr for b in result.businesses]
            request.session["portal_business_cvr"] = result.businesses[0].cvr
    except saml.SamlRefused as refusal:
        throttle.record_failure()
        login_event_record(
            kind=LoginEvent.Kind.REFUSED,
            method=LoginEvent.Method.MITID_ERHVERV,
            reason=refusal.reason,
            detail=refusal.detail,
            ip=client_ip(request),
            request_id=current_request_id(),
            raw_response=encoded if len(encoded) <= saml.MAX_RESPONSE_BYTES * 2 else "",
        )
        logger.info("MitID Erhverv login refused: %s (%s)", refusal.reason, refusal.detail)
        return _refused_page(request, refusal.message, status=403)
    throttle.reset()
    next_url = saml.check_relay_state(request.POST.get("RelayState", ""))
    names = ", ".join(b.name for b in result.businesses)
    messages.success(
        request, _("I er logget på med MitID Erhverv for %(names)s.") % {"names": names}
    )
    return redirect(next_url or reverse("portal:case_list"))


@require_POST
def mitid_logout(request: HttpRequest) -> HttpResponse:
    """End the local session at once, then NemLog-in's (signed LogoutRequest, Redirect)."""
    name_id = request.session.get(NAME_ID_KEY, "")
    session_index = request.session.get(SESSION_INDEX_KEY, "")
    user = request.user if request.user.is_authenticated else None
    session_key = request.session.session_key
    logout(request)
    if user is not None:
        login_event_record(
            kind=LoginEvent.Kind.LOGOUT,
            method=LoginEvent.Method.MITID_ERHVERV
            if name_id
            else LoginEvent.Method.PORTAL_PASSWORD,
            user=user,
            ip=client_ip(request),
            session_key=session_key,
            request_id=current_request_id(),
        )
    provider = config.current().saml
    if not name_id or provider is None:
        messages.success(request, _("I er logget af."))
        return redirect("portal:front")
    try:
        location = saml.logout_request(provider, name_id=name_id, session_index=session_index)
    except (ImproperlyConfigured, OSError) as error:
        logger.warning("NemLog-in logout could not be sent: %s", error)
        messages.success(request, _("I er logget af."))
        return redirect("portal:front")
    # A page that moves on by itself (no script; a form redirecting to another site would
    # break the Content-Security-Policy's form-action).
    return render_page(request, "portal/mitid_logout.html", {"location": location})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def mitid_single_logout(request: HttpRequest) -> HttpResponse:
    """NemLog-in's logout messages: its LogoutRequest (a logout started elsewhere: our local
    session ends and NemLog-in gets a signed LogoutResponse) or its LogoutResponse to ours."""
    provider = _provider()
    data = request.GET if request.method == "GET" else request.POST
    if data.get("SAMLRequest"):
        user = request.user if request.user.is_authenticated else None
        session_key = request.session.session_key
        try:
            answer = saml.handle_idp_logout_request(
                provider,
                saml_request=data["SAMLRequest"],
                relay_state=data.get("RelayState", ""),
                sig_alg=data.get("SigAlg", ""),
                signature=data.get("Signature", ""),
            )
        except saml.SamlRefused as refusal:
            logger.info("LogoutRequest refused: %s", refusal.detail)
            return _refused_page(
                request, _("Log-ud-beskeden fra NemLog-in kunne ikke godkendes."), status=400
            )
        if request.session.get(NAME_ID_KEY) in ("", None, answer.name_id):
            logout(request)
            if user is not None:
                login_event_record(
                    kind=LoginEvent.Kind.LOGOUT,
                    method=LoginEvent.Method.MITID_ERHVERV,
                    user=user,
                    detail="started by NemLog-in",
                    ip=client_ip(request),
                    session_key=session_key,
                    request_id=current_request_id(),
                )
        return HttpResponseRedirect(answer.redirect_url)
    if data.get("SAMLResponse"):
        saml.check_logout_response(
            provider,
            saml_response=data["SAMLResponse"],
            relay_state=data.get("RelayState", ""),
            sig_alg=data.get("SigAlg", ""),
            signature=data.get("Signature", ""),
        )
        if request.user.is_authenticated:
            logout(request)
        messages.success(request, _("I er logget af, også hos NemLog-in."))
        return redirect("portal:front")
    return _refused_page(request, _("Der kom ingen log-ud-besked fra NemLog-in."), status=400)


@require_GET
def mitid_metadata(request: HttpRequest) -> HttpResponse:
    """Our SP metadata, for upload to NemLog-in Administration."""
    provider = _provider()
    try:
        xml = saml.metadata_xml(provider)
    except (ImproperlyConfigured, OSError) as error:
        logger.error("SAML metadata cannot be made: %s", error)
        return HttpResponse(status=503, headers={"Retry-After": "60"})
    response = HttpResponse(xml, content_type="application/samlmetadata+xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="erhvervskontakt-sp-metadata.xml"'
    return response


def _refused_page(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render_page(
        request,
        "portal/mitid_refused.html",
        {"message": message, "request_id": current_request_id()},
        status=status,
    )
