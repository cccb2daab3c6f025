"""Login attempts, counted in Django's cache so password guessing is slowed down.

At most ``PER_ACCOUNT`` failures per (IP address, username) and ``PER_IP`` per IP address in a
``WINDOW``; then every attempt is refused until the window (from the first failure) has
passed. A successful login forgets the failures for that username from that address.

The counts live in the default cache: with several app servers it must be a shared cache
(database or Redis), otherwise each server counts on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

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
    per_account: int = PER_ACCOUNT
    per_ip: int = PER_IP
    window: int = WINDOW

    @classmethod
    def for_request(cls, request: HttpRequest, username: str) -> LoginThrottle:
        return cls(ip=client_ip(request), username=username)

    @property
    def _account_key(self) -> str:
        pair = f"{self.ip}\n{self.username.strip().lower()}".encode()
        return "portal:login:account:" + hashlib.sha256(pair).hexdigest()

    @property
    def _ip_key(self) -> str:
        return "portal:login:ip:" + hashlib.sha256(self.ip.encode()).hexdigest()

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
