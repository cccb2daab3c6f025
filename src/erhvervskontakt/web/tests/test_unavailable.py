"""The 503 page when the database is out of reach (``web.unavailable``), in-process.

The database errors here are real ones from Django's database layer: a connection to an
SQLite file in a directory that does not exist ("unable to open database file", what an
unreachable database looks like) and a query on a table that does not exist (a bug, which
stays a 500). The whole story against a restarted PostgreSQL is test_database_faults.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, OperationalError
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from erhvervskontakt.common.database import database_unavailable, wait_for_database

pytestmark = pytest.mark.django_db


def _connection(name: str):  # type: ignore[no-untyped-def]
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}})[
        "default"
    ]


def unreachable() -> None:
    """What a view meets when the database cannot be reached."""
    _connection("/nonexistent-directory/erhvervskontakt.sqlite3").ensure_connection()


def mistaken_query() -> None:
    with _connection(":memory:").cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


def unreachable_view(request: HttpRequest) -> HttpResponse:
    unreachable()
    return HttpResponse("not reached")


def mistaken_view(request: HttpRequest) -> HttpResponse:
    mistaken_query()
    return HttpResponse("not reached")


class UnreachableMiddleware:
    """A middleware below ours that meets the unreachable database (as the session
    middleware does when it saves the session on the way out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        unreachable()
        return response


urlpatterns = [
    path("test-db-weg/", unreachable_view),
    path("test-db-fejl/", mistaken_view),
    path("", include("erhvervskontakt.urls")),
]

URLS = override_settings(ROOT_URLCONF="erhvervskontakt.web.tests.test_unavailable")


def _error(work: Callable[[], None]) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught:
        work()
    return caught.value


def test_an_unreachable_database_is_told_apart_from_a_mistaken_query():
    assert database_unavailable(_error(unreachable))
    assert not database_unavailable(_error(mistaken_query))
    assert not database_unavailable(RuntimeError("no database error at all"))


@URLS
def test_a_page_that_cannot_reach_the_database_says_try_again_with_the_request_id(
    client: Client,
):
    response = client.get("/test-db-weg/", HTTP_X_REQUEST_ID="trace-db-0001")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "<h1>Prøv igen om lidt</h1>" in page
    assert "trace-db-0001" in page
    assert response["X-Request-ID"] == "trace-db-0001"


@URLS
def test_the_page_is_in_english_for_an_english_visitor(client: Client):
    response = client.get("/test-db-weg/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert "<h1>Please try again in a moment</h1>" in response.content.decode()


@URLS
def test_a_mistaken_query_stays_a_server_error(client: Client):
    client.raise_request_exception = False

    response = client.get("/test-db-fejl/")

    assert response.status_code == 500
    assert "Retry-After" not in response


@URLS
def test_a_middleware_that_cannot_reach_the_database_gets_the_same_page(client: Client, settings):  # type: ignore[no-untyped-def]
    settings.MIDDLEWARE = [
        "erhvervskontakt.common.middleware.RequestIdMiddleware",
        "erhvervskontakt.web.unavailable.DatabaseUnavailableMiddleware",
        "erhvervskontakt.web.tests.test_unavailable.UnreachableMiddleware",
    ]
    client.raise_request_exception = False

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "Prøv igen om lidt" in response.content.decode()


@pytest.mark.django_db(transaction=True)  # outside a transaction: it may retry
def test_waiting_for_the_database_gives_up_with_the_error_after_its_patience():
    tries: list[int] = []

    def work() -> None:
        tries.append(1)
        unreachable()

    with pytest.raises(OperationalError):
        wait_for_database(work, give_up_after=0.3, what="testing", pause=0.05)
    assert len(tries) >= 2


@pytest.mark.django_db(transaction=True)
def test_waiting_for_the_database_does_not_retry_a_mistaken_query():
    tries: list[int] = []

    def work() -> None:
        tries.append(1)
        mistaken_query()

    with pytest.raises(OperationalError):
        wait_for_database(work, give_up_after=5, what="testing")
    assert tries == [1]
