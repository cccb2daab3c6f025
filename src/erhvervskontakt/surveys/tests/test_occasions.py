"""The satisfaction figures are per occasion: those after an answer (the default, what the
promise dashboard and the public page show) never count the surveys after an inspection
visit, and those after a visit (``occasion="inspection"``) count only them.

On the December data of ``test_selectors`` (overall positive 3 of 4, invited 5, answered 4)
an inspection visit of Lars's is surveyed twice in December: one survey answered negatively
on every question (overall 1), one not answered.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import Case, Channel
from erhvervskontakt.surveys import selectors, services
from erhvervskontakt.surveys.models import Answer, Occasion
from erhvervskontakt.surveys.selectors import ResponseRate

from .conftest import cph
from .test_selectors import DECEMBER, december  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def answer_figures(user):  # type: ignore[no-untyped-def]
    """Every figure after an answer, and the cases behind the overall ones."""
    return (
        selectors.satisfaction_by_question(DECEMBER),
        selectors.satisfaction_breakdown(DECEMBER, "department"),
        selectors.satisfaction_breakdown(DECEMBER, "service_type"),
        selectors.satisfaction_breakdown(DECEMBER, "coordinator"),
        selectors.response_rate(DECEMBER),
        selectors.overall_positive(DECEMBER),
        {
            outcome: set(selectors.satisfaction_cases(DECEMBER, "overall", outcome, user=user))
            for outcome in selectors.SATISFACTION_OUTCOMES
        },
    )


def survey_a_visit(answered_case, lars, time_machine):  # type: ignore[no-untyped-def]
    """A case of the inspection channel with two surveys after the visit, one answered
    negatively (overall 1, contact 1, a comment)."""
    time_machine.move_to(cph(2026, 12, 10), tick=False)
    case = answered_case(codes=("udeservering",), coordinator=lars)
    Case.objects.filter(pk=case.pk).update(channel=Channel.INSPECTION)
    services.invitation_create(case=case, occasion=Occasion.INSPECTION)
    _invitation, token = services.invitation_create(case=case, occasion=Occasion.INSPECTION)
    time_machine.move_to(cph(2026, 12, 10, 11), tick=False)
    services.response_submit(
        token=token, answers={"overall": "1", "contact_helpful": "1", "comments": "Nej tak."}
    )
    return case


@pytest.fixture
def visit_surveyed(answered_case, coordinators, time_machine):  # type: ignore[no-untyped-def]
    return survey_a_visit(answered_case, coordinators[1], time_machine)


@pytest.mark.usefixtures("december")
def test_a_survey_after_an_inspection_visit_changes_no_figure_after_an_answer(
    hanne, answered_case, coordinators, time_machine
):
    before = answer_figures(hanne)

    visit = survey_a_visit(answered_case, coordinators[1], time_machine)

    assert answer_figures(hanne) == before
    assert before[4] == ResponseRate(5, 4, 0.8)
    assert before[5] == (3, 4)
    # The control: the same answers after an answer would count.
    Answer.objects.filter(case=visit).update(occasion=Occasion.ANSWER)
    assert selectors.overall_positive(DECEMBER) == (3, 5)


@pytest.mark.usefixtures("december")
def test_the_figures_after_an_inspection_visit_count_only_those(visit_surveyed):
    inspection = {"occasion": Occasion.INSPECTION}

    assert selectors.overall_positive(DECEMBER, **inspection) == (0, 1)
    assert selectors.response_rate(DECEMBER, **inspection) == ResponseRate(2, 1, 0.5)
    by_question = {
        q.key: (q.answered, q.positive)
        for q in selectors.satisfaction_by_question(DECEMBER, **inspection)
    }
    assert by_question["overall"] == (1, 0)
    assert by_question["contact_helpful"] == (1, 0)
    assert by_question["knew_deliverables"] == (0, 0)  # not asked after a visit
    assert [
        (row.code, row.n, row.positive)
        for row in selectors.satisfaction_breakdown(DECEMBER, "coordinator", **inspection)
    ] == [("lars", 1, 0)]


def test_an_answer_repeats_its_invitations_occasion(answered_case, time_machine):
    time_machine.move_to(cph(2026, 12, 1), tick=False)
    case = answered_case()
    Case.objects.filter(pk=case.pk).update(channel=Channel.INSPECTION)
    after_answer, answer_token = services.invitation_create(case=case)
    after_visit, visit_token = services.invitation_create(case=case, occasion=Occasion.INSPECTION)

    services.response_submit(token=answer_token, answers={"overall": "5"})
    services.response_submit(token=visit_token, answers={"overall": "2"})

    assert set(after_answer.answers.values_list("occasion", flat=True)) == {Occasion.ANSWER}
    assert set(after_visit.answers.values_list("occasion", flat=True)) == {Occasion.INSPECTION}
    assert after_visit.created_on == dt.date(2026, 12, 1)
