"""Login attempts, counted in Django's cache so password guessing is slowed down, on every
login: the portal's, the workbench's and the administration's (``scope`` keeps their counts
apart; ``throttled_login`` wraps a login view that answers a success with a redirect).

At most ``PER_ACCOUNT`` failures per (IP address, username) and ``PER_IP`` per IP address in a
``WINDOW``; then every attempt is refused until the window (from the first failure) has
passed. A successful login forgets the failures for that username from that address.

The counts live in the default cache: with several app servers it must be a shared cache
(database or Redis), otherwise each server counts on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .pages import render_page

PER_ACCOUNT = 5
PER_IP = 20
WINDOW = 15 * 60  # seconds


def client_ip(request: HttpRequest) -> str:
    """The address the request came from (the proxy must pass the real one as REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True)
class LoginThrottle:
    ip: str
    username: str
    scope: str = "portal"
    per_account: int = PER_ACCOUNT
    per_ip: int = PER_IP
    window: int = WINDOW

    @classmethod
    def for_request(
        cls, request: HttpRequest, username: str, scope: str = "portal"
    ) -> LoginThrottle:
        return cls(ip=client_ip(request), username=username, scope=scope)

    @property
    def _account_key(self) -> str:
        pair = f"{self.ip}\n{self.username.strip().lower()}".encode()
        return f"{self.scope}:login:account:" + hashlib.sha256(pair).hexdigest()

    @property
    def _ip_key(self) -> str:
        return f"{self.scope}:login:ip:" + hashlib.sha256(self.ip.encode()).hexdigest()

    def is_blocked(self) -> bool:
        counts = cache.get_many([self._account_key, self._ip_key])
        return (
            counts.get(self._account_key, 0) >= self.per_account
            or counts.get(self._ip_key, 0) >= self.per_ip
        )

    def record_failure(self) -> None:
        for key in (self._account_key, self._ip_key):
            # add() starts the window only at the first failure; incr() keeps its expiry.
            cache.add(key, 0, timeout=self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=self.window)

    def reset(self) -> None:
        cache.delete(self._account_key)


View = Callable[..., HttpResponse]


def throttled_login(scope: str, template: str) -> Callable[[View], View]:
    """A staff login view (the workbench's, the administration's) under the same limits as
    the portal's: a POST while the address or the account is blocked is refused (429, with
    ``template`` saying so in Danish) without trying the password; a POST that does not end
    in a redirect (the form again: a wrong password) counts as a failure; a redirect (logged
    in) forgets the account's failures."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            throttle = LoginThrottle.for_request(
                request, str(request.POST.get("username", "")), scope=scope
            )
            if throttle.is_blocked():
                minutes = throttle.window // 60
                response = render_page(
                    request,
                    template,
                    {
                        "message": _(
                            "For mange forkerte forsøg. Vent %(minutes)s minutter, og prøv "
                            "igen – eller kontakt jeres it-afdeling, hvis I har glemt "
                            "adgangskoden."
                        )
                        % {"minutes": minutes}
                    },
                    status=429,
                )
                response["Retry-After"] = str(throttle.window)
                return response
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303):
                throttle.reset()
            else:
                throttle.record_failure()
            return response

        return wrapper

    return decorate
