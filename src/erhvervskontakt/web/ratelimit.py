"""Login attempts on the pages: the request side of ``accounts.lockouts``.

The counting, the locks and their record live in ``accounts.lockouts`` (shared with the API's
token check); this module finds the address of a request, says in Danish what a locked person
can do, and wraps a login view (``throttled_login``) for the workbench and the
administration. The portal's login view calls the same pieces itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.lockouts import PER_ACCOUNT, PER_IP, WINDOW, LoginThrottle
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock

from .pages import render_page

__all__ = [
    "PER_ACCOUNT",
    "PER_IP",
    "WINDOW",
    "LoginThrottle",
    "client_ip",
    "login_throttle",
    "portal_lock_message",
    "retry_after",
    "staff_lock_message",
    "throttled_login",
]


def client_ip(request: HttpRequest) -> str:
    """The address the request came from (the proxy must pass the real one as REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def login_throttle(request: HttpRequest, username: str, scope: str) -> LoginThrottle:
    return LoginThrottle(ip=client_ip(request), username=username, scope=scope)


def retry_after(until: dt.datetime) -> str:
    """Seconds until ``until`` for a ``Retry-After`` header (at least 1)."""
    return str(max(1, math.ceil((until - clock.now()).total_seconds())))


def _clock_time(until: dt.datetime) -> str:
    return timezone.localtime(until).strftime("%H:%M")


def portal_lock_message(until: dt.datetime) -> str:
    """What a business that is locked out can do: wait until a time, or call or write."""
    place = municipality()
    contact = [
        text
        for text in (
            _("telefon %(phone)s") % {"phone": place.phone} if place.phone else "",
            _("e-mail %(email)s") % {"email": place.email} if place.email else "",
        )
        if text
    ]
    if contact:
        return _(
            "Der har været for mange forkerte forsøg på at logge på, så det er spærret et "
            "stykke tid. I kan prøve igen kl. %(time)s eller kontakte Erhvervskontakt på "
            "%(contact)s."
        ) % {"time": _clock_time(until), "contact": _(" eller ").join(contact)}
    return _(
        "Der har været for mange forkerte forsøg på at logge på, så det er spærret et stykke "
        "tid. I kan prøve igen kl. %(time)s eller kontakte Erhvervskontakt hos %(name)s."
    ) % {"time": _clock_time(until), "name": place.name}


def staff_lock_message(until: dt.datetime) -> str:
    """What a member of staff who is locked out can do: wait, or ask IT to lift the lock."""
    return _(
        "For mange forkerte forsøg, så login er spærret et stykke tid. Prøv igen kl. "
        "%(time)s – eller kontakt it-afdelingen eller en administrator, som kan ophæve "
        "spærringen (i administrationen under »Login-spærringer«)."
    ) % {"time": _clock_time(until)}


View = Callable[..., HttpResponse]


def throttled_login(scope: str, template: str) -> Callable[[View], View]:
    """A staff login view (the workbench's, the administration's) under the same limits as
    the portal's: a POST while the address or the account is locked is refused (429, with
    ``template`` saying what to do in Danish) without trying the password; a POST that does
    not end in a redirect (the form again: a wrong password) counts as a failure; a redirect
    (logged in) forgets the account's failures."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            throttle = login_throttle(request, str(request.POST.get("username", "")), scope)
            until = throttle.locked_until()
            if until is not None:
                throttle.refused(until)
                response = render_page(
                    request, template, {"message": staff_lock_message(until)}, status=429
                )
                response["Retry-After"] = retry_after(until)
                return response
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303):
                throttle.reset()
            else:
                throttle.record_failure()
            return response

        return wrapper

    return decorate
