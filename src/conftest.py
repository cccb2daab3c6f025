"""Shared test set-up: the default calendar, a small catalogue, and the personas.

Personas (as in healthchecks' alice/bob/charlie): ``karen`` and ``lars`` are coordinators,
``bodil`` is a caseworker in Byggeri, ``admin`` is an administrator, ``owner`` acts for
business A (``business``), ``other_owner`` for business B (``other_business``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client

from erhvervskontakt.accounts.models import ApiScope, User
from erhvervskontakt.accounts.services import api_token_create
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.tests.factories import BusinessFactory, BusinessUserFactory
from erhvervskontakt.calendar.services import closing_days_seed_defaults
from erhvervskontakt.catalogue.models import Municipality, ServiceType
from erhvervskontakt.catalogue.tests.factories import build_catalogue


@pytest.fixture(autouse=True, scope="session")
def _read_log_flush_allowed() -> None:
    """Transactional tests empty the test database with ``flush`` between tests; the read
    log's guards let only the test suite do that (``audit/management/commands/flush.py``)."""
    from django.conf import settings

    settings.READ_LOG_FLUSH_ALLOWED = True


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test starts with an empty cache of its own (figures cached by one test's data
    must never answer another's), never the development server's var/cache."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": tmp_path_factory.mktemp("cache").name,
        }
    }
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _municipality_defaults(request: pytest.FixtureRequest) -> None:
    """Closing days and settings as the migrations leave them (also after a flush)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server", "http"}
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    closing_days_seed_defaults()
    Municipality.objects.get_or_create(pk=1, defaults={"name": "Testkommune"})


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded documents go to a throw-away directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """``client_for(user)``: a test client logged in as ``user`` (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def catalogue(db: None) -> dict[str, ServiceType]:
    return build_catalogue()


@pytest.fixture
def karen(db: None) -> User:
    return StaffFactory(
        username="karen", first_name="Karen", last_name="Kofoed", is_coordinator=True
    )


@pytest.fixture
def lars(db: None) -> User:
    return StaffFactory(username="lars", first_name="Lars", last_name="Lund", is_coordinator=True)


@pytest.fixture
def bodil(db: None, catalogue: dict[str, ServiceType]) -> User:
    return StaffFactory(
        username="bodil",
        first_name="Bodil",
        last_name="Bach",
        department=catalogue["byggetilladelse-erhverv"].department,
    )


@pytest.fixture
def admin_user(db: None) -> User:
    return StaffFactory(username="admin", is_superuser=True)


@pytest.fixture
def business(db: None) -> Business:
    return BusinessFactory(name="Fynsk Maskinfabrik ApS")


@pytest.fixture
def other_business(db: None) -> Business:
    return BusinessFactory(name="Anden Virksomhed A/S")


@pytest.fixture
def owner(business: Business) -> User:
    return BusinessUserFactory(business=business, username="ejer@fynsk.dk")


@pytest.fixture
def other_owner(other_business: Business) -> User:
    return BusinessUserFactory(business=other_business, username="ejer@anden.dk")


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    """``token_for(user, **options)``: a token of ``user`` holding every scope (the personas'
    tests are about the user's rights; ``api/tests/test_scopes.py`` is about scopes), with
    ``api_token_create``'s other options (``scopes=…``, ``rate_per_minute=…``) as given."""

    def make(user: User, **options: Any) -> str:
        options.setdefault("scopes", ApiScope.values)
        return api_token_create(user=user, **options)[1]

    return make


@pytest.fixture
def http(live_server, token_for) -> Iterator[Callable[[User | None], httpx.Client]]:  # type: ignore[no-untyped-def]
    """Real HTTP against a live server: ``http(user)`` is a client with that user's token."""
    clients: list[httpx.Client] = []

    def client(user: User | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token_for(user)}"} if user else {}
        made = httpx.Client(base_url=f"{live_server.url}/api/v1", headers=headers, timeout=30)
        clients.append(made)
        return made

    yield client
    for made in clients:
        made.close()


# --- browser tests ---------------------------------------------------------------------
# One Chromium for the whole run: Playwright's sync API allows one instance per thread, so
# the portal's and the workbench's browser suites share this session fixture.

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a downloaded browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the CI script does)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
