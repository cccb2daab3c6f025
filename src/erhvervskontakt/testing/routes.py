"""Every address the project answers: the URL patterns of the root resolver (through every
``include``) and the API's operations from its OpenAPI document.

Used by the authorization matrix (``web/tests/test_authorization_matrix.py``), which fails
when a route exists that has no row in its table, or a row names a route that is gone.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from erhvervskontakt.accounts.models import User

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its key (the namespaced name, else the full regex), the full regex,
    and the names of its arguments."""

    key: str
    regex: str
    name: str | None
    arguments: tuple[str, ...]


def _pattern_regex(pattern: Any) -> str:
    regex = pattern.pattern.regex.pattern
    return str(regex).lstrip("^").rstrip("$").replace("\\Z", "")


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[tuple[str, str | None, str]]:
    for entry in patterns:
        regex = prefix + _pattern_regex(entry)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, regex, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else None
            yield regex, name, entry.lookup_str


def url_routes() -> list[Route]:
    """Every URL pattern under the root URLconf, in resolution order. A pattern's key is its
    namespaced name (``workbench:case``); a pattern without a name is keyed by its full
    regex (``^admin/login/``). The API's patterns (``api-v1:``) are listed too; the matrix
    covers them through the OpenAPI operations instead."""
    routes: list[Route] = []
    seen: set[str] = set()
    for regex, name, _view in _walk(get_resolver().url_patterns, "", ""):
        key = name or f"^{regex}"
        if key in seen:  # a second pattern with the same name: key it by its regex too
            key = f"{key} ^{regex}"
        seen.add(key)
        arguments = tuple(_groups(regex))
        routes.append(Route(key=key, regex=regex, name=name, arguments=arguments))
    return routes


def _groups(regex: str) -> Iterator[str]:
    yield from re.compile(regex).groupindex


def api_operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """``(METHOD, path)`` for every operation in an OpenAPI document, e.g.
    ``("GET", "/api/v1/cases/{reference}")``."""
    return sorted(
        (method.upper(), path)
        for path, item in schema.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    )


# --- what a cell answered -------------------------------------------------------------------

OK = "ok"
REDIRECT = "redirect"
ALLOWED = "allowed"
LOGIN_PORTAL = "login:portal"
LOGIN_STAFF = "login:staff"
LOGIN_ADMIN = "login:admin"
UNAUTHORIZED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
REFUSED = "refused"
PASSED = "passed"  # past the access check: 2xx, a redirect, or refused for its content

LOGIN_PAGES = {
    LOGIN_STAFF: "/medarbejder/log-ind/",
    LOGIN_ADMIN: "/admin/login/",
    LOGIN_PORTAL: "/log-ind/",
}


def observed(response: HttpResponse) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if 300 <= status < 400:
        path = response.get("Location", "").split("?", 1)[0]
        for outcome, login in LOGIN_PAGES.items():  # the staff login first: it ends alike
            if path.endswith(login):
                return outcome
        return REDIRECT
    if status in (400, 409, 413, 422):
        return REFUSED
    return str(status)


def matches(expected: str, got: str) -> bool:
    if expected == ALLOWED:
        return got in (OK, REDIRECT)
    if expected == PASSED:
        return got in (OK, REDIRECT, REFUSED)
    return expected == got


@dataclass
class Tally:
    cells: int = 0
    failures: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    closed_gaps: list[str] = field(default_factory=list)
    reads: int = 0  # staff reads that wrote their one read-log row


def client_for(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def fresh(client: Client, send: Callable[[Client], HttpResponse]) -> Callable[[], HttpResponse]:
    """``send`` with the persona's client, its cookies put back afterwards: a logout or a
    change of business is rolled back with the cell's savepoint (the session is a row)."""

    def run() -> HttpResponse:
        saved = copy.deepcopy(client.cookies)
        try:
            return send(client)
        finally:
            client.cookies = saved

    return run


def run_cell(
    tally: Tally,
    where: str,
    expected: str,
    send: Callable[[], HttpResponse],
    gap: str | None = None,
) -> None:
    """Run one cell in a savepoint that is rolled back; count it and note what is wrong.
    ``gap``: the cell is a known hole (it is expected to answer otherwise)."""
    tally.cells += 1
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    got = observed(response)
    if response.status_code >= 500:
        tally.failures.append(f"{where}: server error {response.status_code}")
    elif matches(expected, got):
        if gap:
            tally.closed_gaps.append(f"{where}: closed, remove it from KNOWN_GAPS ({gap})")
    elif gap:
        tally.gaps.append(f"{where}: expected {expected}, got {got} — {gap}")
    else:
        tally.failures.append(
            f"{where}: expected {expected}, got {got} ({response.status_code} "
            f"{response.get('Location', '')})"
        )
