import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen

pytestmark = pytest.mark.django_db


def test_an_inquiry_goes_from_intake_to_answer(catalogue, karen, owner, business):
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Borde foran caféen",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        answers={"areal": 12},
    )
    assert case.reference.startswith("EK-")
    case = case_screen(case=case, actor=karen)
    assert case.status == CaseStatus.IN_PROGRESS
    case = case_record_decision(case=case, actor=karen, summary="Tilladelse givet")
    assert case.status == CaseStatus.ANSWERED
