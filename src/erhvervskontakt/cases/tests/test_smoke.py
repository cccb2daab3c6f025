import pytest

from erhvervskontakt.cases import services
from erhvervskontakt.cases.models import CaseStatus

pytestmark = pytest.mark.django_db


def test_an_inquiry_goes_from_intake_to_answer(catalogue, karen, owner, business):
    case = services.inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Borde foran caféen",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        answers={"areal": 12},
    )
    assert case.reference.startswith("EK-")
    case = services.case_screen(case=case, actor=karen)
    assert case.status == CaseStatus.IN_PROGRESS
    case = services.case_record_decision(case=case, actor=karen, summary="Tilladelse givet")
    assert case.status == CaseStatus.ANSWERED
