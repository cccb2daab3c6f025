"""The figures API over real HTTP (``/api/v1/stats/…``): the promise dashboard's figures, how
well the promises held, and the public page's — the same numbers as the dashboard's tables
(their CSV) and the public page, tested against each other.

Today is Wednesday 2 December 2026.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client

from erhvervskontakt.measures.accuracy import promise_accuracy
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.tests import conftest as measured
from erhvervskontakt.measures.tests.conftest import TODAY, d

from .support import assert_error

pytestmark = pytest.mark.django_db(transaction=True)

# The measures suite's hand-made case rows and its clock (Wednesday 2 December 2026).
make_case = measured.make_case
today = measured.today

PERIOD = {"start": "2026-09-01", "end": "2026-12-02"}
DASHBOARD_PERIOD = {"fra": PERIOD["start"], "til": PERIOD["end"]}


def answered(make_case, promised, on, deviation, days, basis="history", **extra):
    return make_case(
        screened_on=d(9, 20),
        promised_answer_date=promised,
        estimate_at_screening=promised,
        estimate_basis={"basis": basis},
        answered_on=on,
        estimate_deviation_working_days=deviation,
        answer_working_days=days,
        screening_working_days=1,
        **extra,
    )


@pytest.fixture
def history(make_case, today):
    cache.clear()
    answered(make_case, d(10, 12), d(10, 9), -1, 8)
    answered(make_case, d(10, 20), d(10, 26), 4, 20, basis="fixed")
    answered(make_case, d(11, 10), d(11, 5), -3, 7)
    answered(make_case, d(11, 16), d(11, 18), 2, 12, service_types=["byggetilladelse-erhverv"])
    make_case(screened_on=d(9, 20), promised_answer_date=d(11, 20))  # open, past its date
    make_case(screened_on=d(11, 25), promised_answer_date=d(12, 10))  # not matured


def dashboard_csv(user, table: str, **query: str) -> list[list[str]]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/medarbejder/maal/csv/{table}/", {**DASHBOARD_PERIOD, **query})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_accuracy_is_the_selectors_and_the_dashboards(http, history, karen):
    response = http(karen).get("/stats/accuracy", params=PERIOD)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["filter"] == {**PERIOD, "department": "", "service_type": "", "coordinator": ""}
    overall = body["overall"]
    assert (overall["matured"], overall["kept"], overall["missed"]) == (5, 2, 3)
    expected = promise_accuracy(MeasureFilter(start=d(9, 1), end=TODAY)).overall
    assert overall["interval_low"] == pytest.approx(expected.low)
    assert overall["median_slack_working_days"] == expected.slack.median == 2
    assert body["confidence"] == 0.9
    # Per service type, as the dashboard's table (name; matured; kept share; missed; …).
    rows = dashboard_csv(karen, "accuracy")[1:]
    from_dashboard = {row[0]: (int(row[1]), int(row[3])) for row in rows}
    from_api = {
        row["name"]: (row["accuracy"]["matured"], row["accuracy"]["missed"])
        for row in body["by_service_type"]
    }
    assert from_api == from_dashboard
    assert from_api == {"Udeservering": (4, 2), "Byggetilladelse til industri og lager": (1, 1)}
    # Per month, as the dashboard's month table (Sep–Dec; matured per month).
    months = dashboard_csv(karen, "accuracy_months")[1:]
    assert [int(row[1]) for row in months] == [m["accuracy"]["matured"] for m in body["by_month"]]
    assert [m["month"] for m in body["by_month"]] == [
        "2026-09-01",
        "2026-10-01",
        "2026-11-01",
        "2026-12-01",
    ]
    bases = {b["basis"]: b["accuracy"]["matured"] for b in body["by_basis"]}
    assert bases == {"history": 3, "fixed": 1, "": 1}  # the open case was promised unlearned


def test_the_promise_figures_are_the_dashboards(http, history, karen):
    body = http(karen).get("/stats/promises", params=PERIOD).json()

    answers = dashboard_csv(karen, "answers")
    # The answers table's rows: with a promised date, on time, late, open late, pending, share
    assert int(answers[1][1]) == body["answers"]["total"]
    assert int(answers[2][1]) == body["answers"]["on_time"]
    assert int(answers[4][1]) == body["answers"]["open_late"]
    assert body["answers"]["kept"]["percent"] == int(answers[6][1])
    screening = dashboard_csv(karen, "screening")
    assert int(screening[1][1]) == body["screening"]["due"]
    assert body["backlog"]["open"] == 2
    assert body["satisfaction"] == {"part": 0, "n": 0, "percent": None}
    assert {row["service_type"] for row in body["service_targets"]} <= {
        "byggetilladelse-erhverv",
        "miljoegodkendelse",
    }


def test_the_public_figures_are_the_public_pages(http, history, client):
    response = http().get("/stats/processing-times")  # no token: public, as the page

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["start"], body["end"]) == ("2025-12-03", "2026-12-02")
    html = client.get("/sagsbehandlingstider/").content.decode()
    overall = body["accuracy"]["overall"]
    low, high = round(100 * overall["interval_low"]), round(100 * overall["interval_high"])
    assert (
        f"Af de {overall['matured']} svardatoer, vi lovede, og som er nået, holdt vi "
        f"{overall['hit_rate_percent']} % (95 %-interval {low}–{high} %)"
    ) in html
    for row in body["accuracy"]["by_service_type"]:
        accuracy = row["accuracy"]
        assert (
            f"{accuracy['kept']} af {accuracy['matured']} ({accuracy['hit_rate_percent']} %" in html
        )
    screening = body["screening"]
    assert (
        f"{screening['percent']} % af henvendelserne blev screenet til tiden (n = {screening['n']})"
        in html
    )
    for row in body["processing_times"]:
        assert row["name"] in html


def test_a_filter_narrows_the_figures(http, history, karen):
    body = (
        http(karen)
        .get("/stats/accuracy", params={**PERIOD, "service_type": "byggetilladelse-erhverv"})
        .json()
    )

    assert body["overall"]["matured"] == 1
    assert [r["service_type"] for r in body["by_service_type"]] == ["byggetilladelse-erhverv"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-12-01", "end": "2026-11-01"}, "end"),
        ({"start": "2015-01-01", "end": "2026-11-01"}, "start"),
        ({"service_type": "ingen-saadan"}, "service_type"),
        ({"department": "ingen"}, "department"),
        ({"coordinator": "nobody"}, "coordinator"),
    ],
)
def test_a_filter_that_cannot_be_used_is_refused_by_field(http, karen, catalogue, params, field):
    for path in ("/stats/accuracy", "/stats/promises"):
        assert_error(http(karen).get(path, params=params), 422, field=field)


def test_a_date_that_is_not_one_is_refused(http, karen, catalogue):
    assert_error(http(karen).get("/stats/accuracy", params={"start": "31-12-2026"}), 422)


def test_businesses_and_strangers_get_no_staff_figures(http, owner, catalogue):
    for path in ("/stats/accuracy", "/stats/promises"):
        assert_error(http(owner).get(path), 403)
        assert_error(http().get(path), 401)


def test_the_figures_are_in_the_openapi_document(http, catalogue):
    document = http().get("/openapi.json").json()

    for path in (
        "/api/v1/stats/promises",
        "/api/v1/stats/accuracy",
        "/api/v1/stats/processing-times",
    ):
        assert path in document["paths"]
    for path in ("/api/v1/stats/promises", "/api/v1/stats/accuracy"):
        assert "at most five years" in document["paths"][path]["get"]["description"]
    accuracy = document["components"]["schemas"]["AccuracyOut"]["properties"]
    assert {"interval_low", "interval_high", "median_slack_working_days"} <= set(accuracy)
    assert json.dumps(document)  # serialisable as is
