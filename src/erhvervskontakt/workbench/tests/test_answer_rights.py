"""Who may record the answer (docs/decisions/0006-who-records-the-answer.md)."""

from __future__ import annotations

import pytest

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case, CaseStatus, Task
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.tasks import task_complete
from erhvervskontakt.common.errors import Forbidden

from .conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def vera(catalogue):
    """A caseworker in Vej og Park (outdoor serving)."""
    return StaffFactory(username="vera", department=catalogue["udeservering"].department)


def test_a_caseworker_answers_a_case_that_is_their_department_s_alone(make_case, vera):
    case = make_case(service_types=["udeservering"], screen=True)

    answered = case_record_decision(case=case, actor=vera, summary="Tilladelse givet.")

    assert answered.status == CaseStatus.ANSWERED


def test_a_caseworker_cannot_answer_while_another_department_works_on_the_case(
    make_case, vera, karen
):
    case = make_case(service_types=["udeservering", "raadgivning"], screen=True)
    before = snapshot(case)

    with pytest.raises(Forbidden, match="Erhvervskontakt har stadig åbne opgaver"):
        case_record_decision(case=case, actor=vera, summary="Tilladelse givet.")
    assert snapshot(Case.objects.get(pk=case.pk)) == before

    advice = case.tasks.get(department__code="erhverv")
    task_complete(task=advice, actor=karen, result="Rådgivning givet på mødet.")
    answered = case_record_decision(case=case, actor=vera, summary="Tilladelse givet.")
    assert answered.status == CaseStatus.ANSWERED


def test_the_coordinator_answers_whatever_is_open(make_case, karen):
    case = make_case(service_types=["udeservering", "raadgivning"], screen=True)

    answered = case_record_decision(case=case, actor=karen, summary="Svar på det hele.")

    assert answered.status == CaseStatus.ANSWERED
    assert not Task.objects.filter(case=case, status=Task.Status.OPEN).exists()


def test_a_caseworker_of_an_unrelated_department_is_refused(make_case, bodil):
    case = make_case(service_types=["udeservering"], screen=True)

    with pytest.raises(Forbidden):
        case_record_decision(case=case, actor=bodil, summary="Ikke min sag.")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_the_workbench_shows_the_refusal_and_changes_nothing(client_for, make_case, vera):
    case = make_case(service_types=["udeservering", "raadgivning"], screen=True)
    before = snapshot(case)

    response = client_for(vera).post(
        f"/medarbejder/sager/{case.reference}/svar/",
        {"summary": "Tilladelse givet.", "version": case.version},
    )

    assert response.status_code == 403
    assert "tovholderen giver svaret" in response.content.decode()
    assert snapshot(Case.objects.get(pk=case.pk)) == before
