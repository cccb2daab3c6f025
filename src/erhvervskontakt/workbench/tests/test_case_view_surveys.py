"""The staff case view shows the business's survey answers and comments."""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.surveys import services as survey_services
from erhvervskontakt.surveys.services import questions_seed_defaults

pytestmark = pytest.mark.django_db


def test_the_case_view_shows_the_survey_answers_and_the_comment(client_for, make_case, karen):
    questions_seed_defaults()
    case = make_case(screen=True)
    case = case_record_decision(case=case, actor=karen, summary="Tilladt.")
    _invitation, token = survey_services.invitation_create(case=case)
    survey_services.response_submit(
        token=token, answers={"overall": "5", "comments": "Hurtigt & venligt <b>svar</b>"}
    )

    page = client_for(karen).get(f"/medarbejder/sager/{case.reference}/").content.decode()

    assert "Tilfredshedsmåling" in page
    assert "5 af 5" in page
    assert "Hurtigt &amp; venligt &lt;b&gt;svar&lt;/b&gt;" in page  # escaped, never markup


def test_a_case_without_a_survey_has_no_survey_box(client_for, make_case, karen):
    case = make_case(screen=True)

    page = client_for(karen).get(f"/medarbejder/sager/{case.reference}/").content.decode()

    assert "tilfredshed-heading" not in page
