"""Environmental inspection on the dashboard: reports sent within 2 months and published
within 4 of the visits carried out in the period, what is overdue now (linked to the
inspectors' list), and "x % af virksomhederne var positive over deres miljøtilsyn (n = …)"
from the surveys sent after a visit only.

Today is Wednesday 2 December 2026; the default period is 3 Dec 2025 – 2 Dec 2026.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.selectors import InspectionFigures, inspection_figures
from erhvervskontakt.inspections.tests.visits import make_visit
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.surveys import services as survey_services

from .conftest import TODAY, d

pytestmark = pytest.mark.django_db

URL = "/medarbejder/maal/"
TWELVE_MONTHS = MeasureFilter.last_12_months(TODAY)
V = Visit.Status


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def visit(catalogue, business, owner, karen, today):  # type: ignore[no-untyped-def]
    def make(status: str, visited_on: dt.date | None = None, **fields) -> Visit:  # type: ignore[no-untyped-def]
        return make_visit(
            business=business,
            owner=owner,
            inspector=karen,
            status=status,
            visited_on=visited_on,
            **fields,
        )

    return make


@pytest.fixture
def visits(visit):  # type: ignore[no-untyped-def]
    """Seven visits, each with its clocks worked out by hand (today 2 Dec 2026):

    a  visited 3 Aug: report due 3 Oct, sent 15 Sep (on time); published 1 Oct (on time)
    b  visited 10 Aug: report due 10 Oct, sent 20 Oct (late); publish due 10 Dec (pending)
    c  visited 1 Sep: report due 1 Nov, not sent (late, overdue now); publish due 1 Jan
    d  visited 20 Nov: report due 20 Jan, not sent (pending)
    e  visited 1 Jun: report sent 15 Jul (on time); publish due 1 Oct, not published (late,
       overdue now)
    g  visited 1 May 2025 (before the period): report due 1 Jul 2025, not sent (overdue now)
    f  cancelled before the visit: counts nowhere
    """
    return {
        "a": visit(V.PUBLISHED, d(8, 3), report_sent_on=d(9, 15), published_on=d(10, 1)),
        "b": visit(V.REPORTED, d(8, 10), report_sent_on=d(10, 20)),
        "c": visit(V.VISITED, d(9, 1)),
        "d": visit(V.VISITED, d(11, 20)),
        "e": visit(V.REPORTED, d(6, 1), report_sent_on=d(7, 15)),
        "g": visit(V.VISITED, d(5, 1, 2025)),
        "f": visit(V.CANCELLED),
    }


def answer_inspection_survey(visit: Visit, overall: str) -> None:
    _invitation, token = survey_services.invitation_create(case=visit.case, occasion="inspection")
    survey_services.response_submit(token=token, answers={"overall": overall})


@pytest.fixture
def surveyed(visits, make_case):  # type: ignore[no-untyped-def]
    """Two businesses answered after their visit (5: positive, 2: not); one case answered
    with an inquiry's survey (5) is not about an inspection and must not count."""
    survey_services.questions_seed_defaults()
    answer_inspection_survey(visits["a"], "5")
    answer_inspection_survey(visits["b"], "2")
    inquiry = make_case(service_types=["raadgivning"], screened_on=d(11, 2), answered_on=d(11, 3))
    _invitation, token = survey_services.invitation_create(case=inquiry)
    survey_services.response_submit(token=token, answers={"overall": "5"})
    return visits


def test_the_report_clocks_are_counted_by_hand_in_one_query(  # type: ignore[no-untyped-def]
    visits, django_assert_num_queries
):
    with django_assert_num_queries(1):
        figures = inspection_figures(TWELVE_MONTHS, today=TODAY)

    assert figures == InspectionFigures(
        visited=5,  # a b c d e
        report_on_time=2,  # a e
        report_late=2,  # b (sent late) c (not sent, past due)
        report_pending=1,  # d
        publish_on_time=1,  # a
        publish_late=1,  # e
        publish_pending=3,  # b c d
        reports_overdue_now=2,  # c g (g is before the period: "now" is all visits)
        publications_overdue_now=1,  # e
    )
    assert (figures.report_decided, figures.publish_decided) == (4, 2)


def test_the_period_is_the_date_of_the_visit(visits):  # type: ignore[no-untyped-def]
    august = MeasureFilter(start=d(8, 1), end=d(8, 31))

    figures = inspection_figures(august, today=TODAY)

    assert (figures.visited, figures.report_on_time, figures.report_late) == (2, 1, 1)  # a b
    assert (figures.publish_on_time, figures.publish_pending) == (1, 1)


def test_the_filter_applies_to_the_visits_case(visits):  # type: ignore[no-untyped-def]
    # The test visits are cases of Erhvervskontakt's advice service type, not of Byggeri.
    building = MeasureFilter.last_12_months(TODAY, department="byggeri")
    ours = MeasureFilter.last_12_months(TODAY, department="erhverv")

    assert inspection_figures(building, today=TODAY).visited == 0
    assert inspection_figures(building, today=TODAY).reports_overdue_now == 0
    assert inspection_figures(ours, today=TODAY).visited == 5


def test_the_dashboard_has_an_inspection_section_with_its_n_and_links(surveyed, karen):  # type: ignore[no-untyped-def]
    response = client_for(karen).get(URL)

    assert response.status_code == 200
    page = text(response)
    html = response.content.decode()
    assert "Miljøtilsyn: rapporter til tiden" in page
    assert "Rapport sendt inden for 2 måneder (af afgjorte) 50 % (2 af 4)" in page
    assert "Offentliggjort inden for 4 måneder (af afgjorte) 50 % (1 af 2)" in page
    assert "Tilsyn udført i perioden 5" in page
    assert '<a href="/medarbejder/tilsyn/besoeg/?vis=report_due">2</a>' in html
    assert '<a href="/medarbejder/tilsyn/besoeg/?vis=unpublished">1</a>' in html
    # the inspection surveys only: 1 of 2 (the inquiry's 5 is not about an inspection)
    assert "50 % af virksomhederne var positive over deres miljøtilsyn (n = 2)." in page
    assert "Positive over deres miljøtilsyn 50 % (1 af 2)" in page


def test_without_visits_the_section_says_n_is_zero(karen, catalogue, today):  # type: ignore[no-untyped-def]
    page = text(client_for(karen).get(URL))

    assert "Rapport sendt inden for 2 måneder (af afgjorte) – (n = 0)" in page
    assert "Ingen virksomheder har endnu svaret på tilfredshedsmålingen efter miljøtilsyn." in page


def test_the_inspection_table_downloads_as_csv(surveyed, karen):  # type: ignore[no-untyped-def]
    response = client_for(karen).get("/medarbejder/maal/csv/inspections/")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tilsynsbesøg udført i perioden", "Antal"]
    values = dict(rows[1:])
    assert values["Tilsyn udført i perioden"] == "5"
    assert values["Rapport sendt inden for 2 måneder (af afgjorte)"] == "50"
    assert values["Rapporter over fristen nu"] == "2"
    assert values["Positive over deres miljøtilsyn"] == "50"


def test_the_dashboard_runs_the_same_queries_for_few_visits_as_for_many(  # type: ignore[no-untyped-def]
    visit, karen, today
):
    client = client_for(karen)
    visit(V.VISITED, d(9, 1))
    client.get(URL)  # warm the session and the catalogue
    cache.clear()  # the satisfaction figures are cached: count them each time
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for day in range(1, 11):
        visit(V.REPORTED, d(6, day), report_sent_on=d(7, day))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200

    assert len(many) == len(few)
    visit_queries = [q for q in many.captured_queries if "inspections_visit" in q["sql"]]
    assert len(visit_queries) == 1


def test_an_inspection_survey_answered_now_shows_at_once(visits, karen):  # type: ignore[no-untyped-def]
    survey_services.questions_seed_defaults()
    answer_inspection_survey(visits["a"], "5")
    client = client_for(karen)
    assert "100 % af virksomhederne var positive over deres miljøtilsyn (n = 1)." in text(
        client.get(URL)
    )

    answer_inspection_survey(visits["b"], "1")

    assert "50 % af virksomhederne var positive over deres miljøtilsyn (n = 2)." in text(
        client.get(URL)
    )


def test_the_public_page_states_the_inspection_satisfaction_when_there_is_some(  # type: ignore[no-untyped-def]
    surveyed, client
):
    cache.clear()

    page = text(client.get("/sagsbehandlingstider/"))

    assert "50 % af virksomhederne var positive over deres miljøtilsyn (n = 2 besvarelser)." in (
        page
    )


def test_the_public_page_says_nothing_of_inspections_without_answers(  # type: ignore[no-untyped-def]
    visits, client
):
    cache.clear()

    page = text(client.get("/sagsbehandlingstider/"))

    assert "miljøtilsyn" not in page


def test_the_inspection_section_speaks_english(surveyed, karen):  # type: ignore[no-untyped-def]
    client = client_for(karen)
    client.cookies["django_language"] = "en"

    page = text(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))

    assert "Environmental inspection: reports on time" in page
    assert "Report sent within 2 months (of those decided) 50 % (2 of 4)" in page
    assert (
        "50 % of the businesses were positive about their environmental inspection (n = 2)." in page
    )
