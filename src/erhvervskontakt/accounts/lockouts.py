"""Failed logins counted in the shared cache, locks after too many, and their record.

Every login counts here under its own ``scope`` (``portal``, ``workbench``, ``admin``,
``api``): at most ``PER_ACCOUNT`` failures per (IP address, username) and ``PER_IP`` per IP
address in a ``WINDOW`` that starts at the first failure. The failure that reaches a limit
starts a lock of ``WINDOW`` seconds; while it lasts every attempt is refused untried (and not
counted). A successful login forgets that account's failures from that address, never the
address's.

Per (address, account) rather than per account alone: a stranger who knows a username must
not be able to lock its owner out from somewhere else; guessing from many addresses is
bounded by the per-address limit of each.

The counts and locks live in Django's default cache, so with several web machines it must be
a shared cache (``CACHE_URL=redis://…``); ``cache.add`` is atomic there, which is what keeps a
lock to one row of :class:`LoginLockout` even when two machines see the limit reached at the
same moment. Every failure and every lock is logged on ``erhvervskontakt.security`` (the
username as typed: it is the security log, personal data kept as such; never a password or a
whole token).

Interface code (``web.ratelimit``, ``api.auth``) passes the address in; this module knows no
request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.core.cache import BaseCache, caches
from django.db import transaction

from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict

from .models import LoginLockout, User

logger = logging.getLogger("erhvervskontakt.security")

PER_ACCOUNT = 5
PER_IP = 20
WINDOW = 15 * 60  # seconds

ACCOUNT = LoginLockout.Kind.ACCOUNT
ADDRESS = LoginLockout.Kind.ADDRESS


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class LoginThrottle:
    """The counts of one login attempt: ``username`` from ``ip`` on the ``scope`` login.

    ``store`` is the cache to count in (the default cache unless given: tests pass two
    clients of one Redis to show that two machines agree)."""

    ip: str
    username: str
    scope: str = LoginLockout.Scope.PORTAL
    per_account: int = PER_ACCOUNT
    per_ip: int = PER_IP
    window: int = WINDOW
    store: BaseCache | None = field(default=None, compare=False, repr=False)

    @property
    def cache(self) -> BaseCache:
        return self.store if self.store is not None else caches["default"]

    @property
    def normalized_username(self) -> str:
        return self.username.strip().lower()

    def _key(self, what: str, kind: str) -> str:
        if kind == ACCOUNT:
            subject = _digest(f"{self.ip}\n{self.normalized_username}")
        else:
            subject = _digest(self.ip)
        name = "account" if kind == ACCOUNT else "ip"
        return f"{self.scope}:login:{what}{name}:{subject}"

    def _count_key(self, kind: str) -> str:
        return self._key("", kind)

    def _lock_key(self, kind: str) -> str:
        return self._key("lock:", kind)

    def _limit(self, kind: str) -> int:
        return self.per_account if kind == ACCOUNT else self.per_ip

    # --- reading -----------------------------------------------------------------------

    def locked_until(self) -> dt.datetime | None:
        """When the lock on this account from this address (or on the whole address) ends;
        None when no lock holds. A count at its limit whose lock is not written yet (another
        machine is between the two steps) also counts as locked."""
        kinds = (ACCOUNT, ADDRESS)
        keys = [self._lock_key(k) for k in kinds] + [self._count_key(k) for k in kinds]
        found = self.cache.get_many(keys)
        untils = [
            dt.datetime.fromtimestamp(found[self._lock_key(k)], tz=dt.UTC)
            for k in kinds
            if self._lock_key(k) in found
        ]
        if not untils and any(found.get(self._count_key(k), 0) >= self._limit(k) for k in kinds):
            untils.append(clock.now() + dt.timedelta(seconds=self.window))
        return max(untils) if untils else None

    def is_blocked(self) -> bool:
        return self.locked_until() is not None

    # --- writing -----------------------------------------------------------------------

    def record_failure(self) -> list[LoginLockout]:
        """Count a failed attempt; start (and record, and log) the locks whose limit it
        reaches. Returns the locks it started (usually none)."""
        logger.info("login failed: scope=%s username=%r ip=%s", self.scope, self.username, self.ip)
        started = []
        for kind in (ACCOUNT, ADDRESS):
            count = self._bump(self._count_key(kind))
            if count >= self._limit(kind):
                lock = self._start_lock(kind, count)
                if lock is not None:
                    started.append(lock)
        return started

    def refused(self, until: dt.datetime) -> None:
        """Log an attempt refused untried because a lock holds."""
        logger.info(
            "login refused while locked: scope=%s username=%r ip=%s until=%s",
            self.scope,
            self.username,
            self.ip,
            until.isoformat(timespec="seconds"),
        )

    def reset(self) -> None:
        """A successful login: forget this account's failures from this address (the
        address's own count and lock stay). The views never try a password while a lock
        holds, so this meets a lock only when called directly."""
        self.cache.delete_many([self._count_key(ACCOUNT), self._lock_key(ACCOUNT)])

    def clear(self, kind: str) -> None:
        """End the lock of ``kind`` and forget its count (an administrator's clearing)."""
        self.cache.delete_many([self._lock_key(kind), self._count_key(kind)])

    def _bump(self, key: str) -> int:
        # add() starts the window only at the first failure; incr() keeps its expiry.
        self.cache.add(key, 0, timeout=self.window)
        try:
            return int(self.cache.incr(key))
        except ValueError:  # expired between add() and incr()
            self.cache.set(key, 1, timeout=self.window)
            return 1

    def _start_lock(self, kind: str, failures: int) -> LoginLockout | None:
        moment = clock.now()
        until = moment + dt.timedelta(seconds=self.window)
        # Atomic on a shared cache: of two machines reaching the limit together, one wins.
        if not self.cache.add(self._lock_key(kind), until.timestamp(), timeout=self.window):
            return None
        lockout = login_lockout_record(
            scope=self.scope,
            kind=kind,
            username=self.username if kind == ACCOUNT else "",
            ip=self.ip,
            failures=failures,
            locked_at=moment,
            locked_until=until,
        )
        logger.warning(
            "login locked: scope=%s kind=%s username=%r ip=%s failures=%d until=%s lockout=%s",
            self.scope,
            kind,
            self.username,
            self.ip,
            failures,
            until.isoformat(timespec="seconds"),
            lockout.pk,
        )
        return lockout


# --- services --------------------------------------------------------------------------


@transaction.atomic
def login_lockout_record(
    *,
    scope: str,
    kind: str,
    username: str,
    ip: str,
    failures: int,
    locked_at: dt.datetime,
    locked_until: dt.datetime,
) -> LoginLockout:
    """Write the one row of a lock that has just started."""
    return LoginLockout.objects.create(
        scope=scope,
        kind=kind,
        username=username[: LoginLockout._meta.get_field("username").max_length],
        ip=ip[:45],
        failures=failures,
        locked_at=locked_at,
        locked_until=locked_until,
    )


def login_lockout_is_active(lockout: LoginLockout) -> bool:
    """The lock still holds: not cleared and its time not yet over."""
    return lockout.cleared_at is None and lockout.locked_until > clock.now()


@transaction.atomic
def login_lockout_clear(*, lockout: LoginLockout, actor: User) -> LoginLockout:
    """Lift a lock that still holds (ophæv spærring): its count and lock leave the cache, so
    the right password works again at once; the row records who lifted it and when.

    The row is locked first so two administrators clearing at once record one clearing. The
    cache is cleared inside the transaction on purpose: deleting is harmless to repeat, so a
    rollback after it leaves at worst a lock that is gone but not marked."""
    locked = LoginLockout.objects.select_for_update().get(pk=lockout.pk)
    if not login_lockout_is_active(locked):
        raise Conflict("Spærringen er allerede ophævet eller udløbet.")
    LoginThrottle(ip=locked.ip, username=locked.username, scope=locked.scope).clear(locked.kind)
    locked.cleared_at = clock.now()
    locked.cleared_by = actor
    locked.save(update_fields=["cleared_at", "cleared_by"])
    logger.warning(
        "login lock cleared: scope=%s kind=%s username=%r ip=%s lockout=%s by=%s",
        locked.scope,
        locked.kind,
        locked.username,
        locked.ip,
        locked.pk,
        actor.username,
    )
    return locked
