"""The login log: every login, logout and refused login, kept 180 days."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common import clock

from ..models import LOGIN_LOG_RETENTION, LoginEvent, SeenAssertion

_DETAIL_MAX = LoginEvent._meta.get_field("detail").max_length or 500
# A raw SAML response larger than this is refused before it is parsed (the interface's limit);
# the log never stores more.
RAW_RESPONSE_MAX = 200_000


@dataclass(frozen=True)
class Where:
    """Where a login came from, for the login log; ``start_session`` logs the user in (the
    interface's session) and returns the new session's key, inside the login's transaction."""

    ip: str = ""
    request_id: str = ""
    start_session: Callable[[User], str | None] | None = None


def session_fingerprint(session_key: str | None) -> str:
    """What the log records of a session: a hash, so the log holds no usable credential."""
    if not session_key:
        return ""
    return hashlib.sha256(session_key.encode("ascii", "replace")).hexdigest()


def login_event_record(
    *,
    kind: str,
    method: str,
    user: User | None = None,
    reason: str = "",
    detail: str = "",
    identity_key: str = "",
    cvr: str = "",
    loa: str = "",
    ip: str = "",
    session_key: str | None = None,
    request_id: str = "",
    raw_response: str = "",
) -> LoginEvent:
    """Write one line of the login log (one INSERT; a login's own transaction holds it)."""
    if kind not in LoginEvent.Kind.values or method not in LoginEvent.Method.values:
        raise ValueError(f"Unknown login event: {kind!r}, {method!r}")
    return LoginEvent.objects.create(
        at=clock.now(),
        kind=kind,
        method=method,
        user=user if user is not None and user.pk is not None else None,
        reason=reason[:40],
        detail=detail[:_DETAIL_MAX],
        identity_key=identity_key[:200],
        cvr=cvr[:8] if cvr.isdigit() else "",
        loa=loa[:20],
        ip=ip[:45],
        session=session_fingerprint(session_key),
        request_id=request_id[:64],
        raw_response=raw_response[:RAW_RESPONSE_MAX],
    )


def login_log_prune(*, now: dt.datetime | None = None) -> int:
    """Remove login-log lines older than 180 days and assertion ids past their validity."""
    moment = now or clock.now()
    deleted, _kinds = LoginEvent.objects.filter(at__lt=moment - LOGIN_LOG_RETENTION).delete()
    SeenAssertion.objects.filter(not_on_or_after__lt=moment - dt.timedelta(days=1)).delete()
    return deleted
