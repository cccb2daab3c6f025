"""The promise dashboard's pages: figures, charts, the cases behind them, CSV, refusals."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen

pytestmark = pytest.mark.django_db

URL = "/medarbejder/maal/"
CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def answered_cases(catalogue, owner, business, karen):
    """``make(n, service_types)``: n cases received Mon 2 Nov 2026, screened the same day by
    Karen and answered on Tue 3 Nov (on time)."""

    def make(n: int = 1, service_types: tuple[str, ...] = ("udeservering",)) -> list[Case]:
        made = []
        for _ in range(n):
            with time_machine.travel("2026-11-02 09:00 +01:00", tick=False):
                case = inquiry_submit(
                    actor=owner,
                    cvr=business.cvr,
                    service_types=list(service_types),
                    description="Seks borde foran caféen.",
                    contact=dict(CONTACT),
                    answers={"areal": 12} if "udeservering" in service_types else {},
                )
                case = case_screen(case=case, actor=karen)
            with time_machine.travel("2026-11-03 10:00 +01:00", tick=False):
                case = case_record_decision(case=case, actor=karen, summary="Tilladt.")
            made.append(case)
        return made

    return make


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 12:00 +01:00", tick=False):
        yield


def test_the_dashboard_shows_the_promises_kept_with_their_n(answered_cases, karen):
    answered_cases(2)

    response = client_for(karen).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Screenet inden for fristen" in page
    assert "100 % (2 af 2)" in page  # screened on time and answered on time
    assert 'role="img"' in page and "<title id=" in page  # real charts with a text alternative
    assert "/medarbejder/maal/sager/?tal=screening.decided" in page


def test_no_data_is_a_dash_with_n_zero_never_zero_percent(karen, catalogue):
    page = client_for(karen).get(URL).content.decode()

    assert "– (n = 0)" in page
    assert "0 % (" not in page


def test_the_dashboard_runs_the_same_queries_for_two_cases_as_for_twelve(answered_cases, karen):
    client = client_for(karen)
    answered_cases(2)
    client.get(URL)  # warm the session and the catalogue
    cache.clear()  # the 12-month trends are cached while nothing happens: count them run
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    answered_cases(10, ("udeservering", "raadgivning"))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200

    assert len(many) == len(few)


def test_a_figure_leads_to_exactly_the_cases_behind_it(answered_cases, karen, business):
    cases = answered_cases(2)
    client = client_for(karen)

    response = client.get(
        "/medarbejder/maal/sager/", {"tal": "answers.on_time", "fra": "2026-11-01"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    for case in cases:
        assert case.reference in page

    exported = client.get(
        "/medarbejder/maal/sager/",
        {"tal": "answers.on_time", "fra": "2026-11-01", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "sagsnummer"
    assert sorted(r[0] for r in rows[1:]) == sorted(c.reference for c in cases)
    assert {r[1] for r in rows[1:]} == {business.cvr}


def test_the_list_behind_a_figure_shows_a_caseworker_only_their_cases(answered_cases, bodil):
    answered_cases(1)  # outdoor serving: Vej og Park's, not Bodil's (Byggeri)

    page = client_for(bodil).get("/medarbejder/maal/sager/", {"tal": "answers.on_time"})

    assert page.status_code == 200
    assert "0 sager" in page.content.decode()


@pytest.mark.parametrize(
    "table",
    [
        "screening",
        "answers",
        "deviation",
        "accuracy",
        "accuracy_months",
        "accuracy_basis",
        "service_targets",
        "satisfaction",
        "satisfaction_department",
        "satisfaction_service_type",
        "satisfaction_coordinator",
        "backlog",
        "overdue_deliverables",
        "workload",
    ],
)
def test_every_table_downloads_as_csv(answered_cases, karen, table):
    answered_cases(1)

    response = client_for(karen).get(f"/medarbejder/maal/csv/{table}/", {"fra": "2026-01-01"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert len(list(csv.reader(io.StringIO(text[1:]), delimiter=";"))) >= 1


def test_the_screening_table_in_csv_has_the_counts(answered_cases, karen):
    answered_cases(3)

    response = client_for(karen).get("/medarbejder/maal/csv/screening/")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["Med frist i perioden", "3"]
    assert rows[2] == ["Screenet til tiden", "3"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"fra": "i går"}, "fra", "Angiv en dato"),
        ({"fra": "2026-11-10", "til": "2026-11-01"}, "til", "Perioden skal slutte"),
        ({"fra": "2010-01-01"}, "fra", "højst fem år"),
        ({"afdeling": "findes-ikke"}, "afdeling", "Vælg en værdi fra listen"),
        ({"tovholder": "<script>"}, "tovholder", "Vælg en værdi fra listen"),
    ],
)
def test_a_bad_filter_says_what_is_wrong_and_shows_the_default(
    karen, catalogue, query, field, message
):
    response = client_for(karen).get(URL, query)

    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert f'href="#filter-{field}"' in page
    assert "<script>" not in page


def test_unknown_figures_and_tables_are_404_not_500(karen, catalogue):
    client = client_for(karen)

    assert client.get("/medarbejder/maal/sager/", {"tal": "nonsense.x"}).status_code == 404
    assert client.get("/medarbejder/maal/sager/").status_code == 404
    assert client.get("/medarbejder/maal/csv/nonsense/").status_code == 404


def test_only_staff_see_the_dashboard(client, owner, catalogue):
    assert client.get(URL).status_code == 302  # to the staff login
    assert client_for(owner).get(URL).status_code == 403
    assert client_for(owner).get("/medarbejder/maal/csv/screening/").status_code == 403


def test_a_coordinator_can_see_their_own_figures(answered_cases, karen, lars):
    answered_cases(2)

    mine = client_for(karen).get(URL, {"tovholder": "karen"}).content.decode()
    others = client_for(karen).get(URL, {"tovholder": "lars"}).content.decode()

    assert "100 % (2 af 2)" in mine
    assert "100 % (2 af 2)" not in others


def test_the_dashboard_speaks_english(answered_cases, karen):
    answered_cases(1)
    client = client_for(karen)
    client.cookies["django_language"] = "en"

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Screened within the deadline" in page


def test_a_caseworker_sees_the_dashboard_too(bodil, catalogue):
    assert (
        client_for(StaffFactory(username="caseworker2", department=bodil.department))
        .get(URL)
        .status_code
        == 200
    )


def test_satisfaction_figures_lead_to_the_cases_whose_answers_they_count(answered_cases, karen):
    from erhvervskontakt.surveys import services as survey_services
    from erhvervskontakt.surveys.services import questions_seed_defaults

    questions_seed_defaults()
    happy, unhappy = answered_cases(2)
    for case, score in ((happy, "5"), (unhappy, "2")):
        _invitation, token = survey_services.invitation_create(case=case)
        survey_services.response_submit(token=token, answers={"overall": score})
    client = client_for(karen)

    page = client.get(URL).content.decode()
    assert "satisfaction.overall.positive" in page
    positive = client.get("/medarbejder/maal/sager/", {"tal": "satisfaction.overall.positive"})
    answered = client.get("/medarbejder/maal/sager/", {"tal": "satisfaction.overall.answered"})

    assert happy.reference in positive.content.decode()
    assert unhappy.reference not in positive.content.decode()
    assert unhappy.reference in answered.content.decode()
    bad = client.get("/medarbejder/maal/sager/", {"tal": "satisfaction.nope.positive"})
    assert bad.status_code == 404


def test_cached_satisfaction_figures_change_as_soon_as_a_survey_is_answered(answered_cases, karen):
    from erhvervskontakt.surveys import services as survey_services
    from erhvervskontakt.surveys.services import questions_seed_defaults

    questions_seed_defaults()
    first, second = answered_cases(2)
    _invitation, token = survey_services.invitation_create(case=first)
    survey_services.response_submit(token=token, answers={"overall": "5"})
    client = client_for(karen)
    assert "100 % (1 af 1)" in client.get(URL).content.decode()  # now cached

    _invitation, token = survey_services.invitation_create(case=second)
    survey_services.response_submit(token=token, answers={"overall": "1"})

    assert "50 % (1 af 2)" in client.get(URL).content.decode()
