"""The bare baselines ``scripts/bench_production.py`` serves beside the project (issue 18).

A WSGI application of plain Django — no middleware, no authentication, no read log, no
schemas — over the same database (``DATABASE_URL``, the same connection age as the
project's settings), served by the same gunicorn with the same workers and threads:

- ``/bare``: a JSON view that reads nothing — what a request costs in this server at all;
- ``/raw/cases?status=…&limit=…``: the case list as one hand-written SQL query (the same
  filter, order and page as ``GET /api/v1/cases``; business and coordinator joined);
- ``/raw/cases/<reference>``: one case and its timeline, two hand-written queries;
- ``/raw/events?after=…&limit=…``: a page of the event feed by id, one query.

Not part of the application; only the benchmark imports it (``gunicorn bench_baseline_app``).
"""

from __future__ import annotations

import json
import os
from typing import Any

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-baseline-not-secret",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
    DATABASES={
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    },
)

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def _json(body: Any) -> HttpResponse:
    return HttpResponse(json.dumps(body, default=str), content_type="application/json")


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


LIST_SQL = """
SELECT c.reference, c.status, c.channel, c.received_at, c.screening_due, c.screened_at,
       c.estimated_answer_date, c.answered_at, c.version, b.cvr, b.name, u.username
  FROM cases_case c
  JOIN businesses_business b ON b.id = c.business_id
  LEFT JOIN accounts_user u ON u.id = c.coordinator_id
 WHERE c.status = %s
 ORDER BY c.received_at DESC, c.id DESC
 LIMIT %s
"""

CASE_SQL = """
SELECT c.id, c.reference, c.status, c.channel, c.received_at, c.screening_due,
       c.screened_at, c.estimated_answer_date, c.answered_at, c.version, b.cvr, b.name
  FROM cases_case c JOIN businesses_business b ON b.id = c.business_id
 WHERE c.reference = %s
"""

EVENTS_SQL = "SELECT at, kind, text FROM cases_event WHERE case_id = %s ORDER BY at, id"

FEED_SQL = """
SELECT e.id, e.at, e.kind, c.reference
  FROM cases_event e JOIN cases_case c ON c.id = e.case_id
 WHERE e.id > %s
 ORDER BY e.id
 LIMIT %s
"""

LIST_KEYS = [
    "reference",
    "status",
    "channel",
    "received_at",
    "screening_due",
    "screened_at",
    "estimated_answer_date",
    "answered_at",
    "version",
    "cvr",
    "name",
    "coordinator",
]


def raw_cases(request: HttpRequest) -> HttpResponse:
    limit = min(int(request.GET.get("limit", "50")), 200)
    with connection.cursor() as cursor:
        cursor.execute(LIST_SQL, [request.GET.get("status", "in_progress"), limit])
        rows = cursor.fetchall()
    return _json({"items": [dict(zip(LIST_KEYS, row, strict=True)) for row in rows]})


def raw_case(request: HttpRequest, reference: str) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(CASE_SQL, [reference])
        row = cursor.fetchone()
        if row is None:
            return _json({"detail": "not found"})
        cursor.execute(EVENTS_SQL, [row[0]])
        events = [{"at": at, "kind": kind, "text": text} for at, kind, text in cursor.fetchall()]
    return _json({**dict(zip(["id", *LIST_KEYS[:-1]], row, strict=True)), "timeline": events})


def raw_events(request: HttpRequest) -> HttpResponse:
    limit = min(int(request.GET.get("limit", "50")), 200)
    with connection.cursor() as cursor:
        cursor.execute(FEED_SQL, [int(request.GET.get("after", "0")), limit])
        rows = cursor.fetchall()
    return _json({"items": [dict(zip(["id", "at", "kind", "case"], r, strict=True)) for r in rows]})


urlpatterns = [
    path("bare", bare),
    path("raw/cases", raw_cases),
    path("raw/cases/<str:reference>", raw_case),
    path("raw/events", raw_events),
]

application = WSGIHandler()
