"""The staff's side: the comments list at /medarbejder/tilfredshed/ (staff only, scoped like
every case read, a constant number of queries, filterable by period) and the case's survey
partial the workbench case view includes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.surveys import selectors, services
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.testing.html import text

from .conftest import cph

pytestmark = pytest.mark.django_db

URL = "/medarbejder/tilfredshed/"


@pytest.fixture
def comment(answered_case, time_machine):  # type: ignore[no-untyped-def]
    """``comment(text, overall, at)``: an answered case whose survey got this comment."""

    def make(body: str, overall: str = "4", at: dt.datetime | None = None, **answers: str):
        time_machine.move_to(at or cph(2026, 12, 14, 10), tick=False)
        case = answered_case()
        _, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
        services.response_submit(
            token=token, answers={"overall": overall, "comments": body, **answers}
        )
        return case

    return make


def test_anonymous_visitors_are_sent_to_the_staff_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/medarbejder/log-ind/")


def test_business_users_are_refused(client_for, owner, comment):
    comment("Hemmelig kommentar")
    response = client_for(owner).get(URL)
    assert response.status_code == 403
    assert "Hemmelig kommentar" not in response.content.decode()


def test_staff_read_the_comments_with_the_overall_answer(client_for, karen, comment, time_machine):
    case = comment("Rigtig god hjælp med tegningerne.", overall="5", may_contact="ja")
    time_machine.move_to(cph(2026, 12, 20), tick=False)

    response = client_for(karen).get(URL)

    assert response.status_code == 200
    body = text(response.content.decode())
    assert "1 kommentar sendt 21. december 2025 – 20. december 2026" in body
    assert (
        f"{case.reference} Fynsk Maskinfabrik ApS Karen Kofoed 5 af 5 positiv Ja Rigtig god hjælp med tegningerne."
        in body
    )


def test_a_caseworker_sees_only_comments_on_cases_of_their_department(
    client_for, bodil, comment, time_machine
):
    comment("Om udeservering")  # Vej og Park, not Byggeri
    time_machine.move_to(cph(2026, 12, 20), tick=False)
    body = text(client_for(bodil).get(URL).content.decode())
    assert "Om udeservering" not in body
    assert "0 kommentarer" in body


def test_the_period_filters_the_list(client_for, karen, comment, time_machine):
    comment("I november", at=cph(2026, 11, 16))
    comment("I december", at=cph(2026, 12, 14))
    time_machine.move_to(cph(2026, 12, 20), tick=False)
    client = client_for(karen)

    body = text(client.get(URL + "?fra=2026-12-01&til=2026-12-31").content.decode())
    assert "I december" in body and "I november" not in body
    body = text(client.get(URL + "?fra=2026-11-01&til=2026-11-30").content.decode())
    assert "I november" in body and "I december" not in body


@pytest.mark.parametrize(
    "query",
    [
        "?fra=31-12-2026",
        "?fra=2026-12-31&til=2026-01-01",
        "?til=2026-02-30",
        "?side=abc",
        "?side=999",
    ],
)
def test_bad_filters_show_a_message_not_an_error(client_for, karen, comment, query):
    comment("Stadig vist")
    response = client_for(karen).get(URL + query)
    assert response.status_code == 200


def test_the_list_runs_a_constant_number_of_queries(client_for, karen, comment, time_machine):
    comment("Første")
    time_machine.move_to(cph(2026, 12, 20), tick=False)
    client = client_for(karen)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    one = count()
    for n in range(8):
        comment(f"Kommentar {n}", overall=str(n % 5 + 1), at=cph(2026, 12, 15, 9 + n))
    time_machine.move_to(cph(2026, 12, 20), tick=False)
    assert count() == one


def test_the_case_partial_shows_answers_and_the_follow_up(comment, hanne, time_machine):
    case = comment("For langsomt.", overall="1", may_contact="nej")
    html = render_to_string(
        "workbench/surveys/_case_responses.html",
        {"survey_responses": selectors.case_responses(case)},
    )
    body = text(html)
    assert "Efter svar på sagen · sendt 14. december 2026 · besvaret 14. december 2026" in body
    assert (
        "Hvor tilfredse er I samlet set med kommunens service i denne sag? 1 af 5 ikke positiv"
        in body
    )
    assert "For langsomt." in body
    assert "Må vi kontakte jer om jeres svar? Nej" in body
    assert "Utilfreds samlet set: opfølgningsopgave til Hanne Skov (Åben)." in body


def test_the_case_partial_without_a_survey(answered_case):
    html = render_to_string(
        "workbench/surveys/_case_responses.html",
        {"survey_responses": selectors.case_responses(answered_case())},
    )
    assert "Ingen tilfredshedsmåling sendt på sagen." in text(html)


def test_a_nul_in_a_filter_is_refused_as_on_every_page(client_for, karen, comment):
    response = client_for(karen).get(URL + "?fra=%00")
    assert response.status_code == 400
    assert "nul-tegn" in response.content.decode()
