"""The world the authorization matrix (``test_authorization_matrix.py``) builds its
addresses from: two businesses and their users, a caseworker of department X (Byggeri, the
task of business A's case) and of department Y (Miljø, the inspection visit's task), a
coordinator, a head of unit, an administrator, and the cases, document, task, visit, survey
link and draft the rows point at. Built through the services where they exist."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.accounts.models import ApiScope, User
from erhvervskontakt.accounts.services import api_token_create
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business, ProductionUnit
from erhvervskontakt.cases.models import Case, Deliverable, Document, Task
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.drafts import draft_create
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_open_by_municipality
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Department, ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf_bytes
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.services import invitation_create
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type

CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}


@dataclass
class World:
    """What the rows' addresses are built from. Department X (Byggeri) has the task of
    business A's case; department Y (Miljø) the task of the inspection visit's case."""

    users: dict[str, User | None]
    business_a: Business
    business_b: Business
    case_a: Case  # business A, screened, a task for department X, a document, a deliverable
    case_b: Case  # business B, screened and answered (its survey link below)
    received: Case  # business A, not yet screened (the screening pages)
    answered: Case  # business A, department X's, answered (closing)
    document: Document
    deliverable: Deliverable
    task: Task
    visit: Visit  # business A, Miljø's, visited, reported and published
    unit: ProductionUnit
    survey_token: str
    draft_id: int
    tokens: dict[str, str] = field(default_factory=dict)


def _report_visit(business: Business, karen: User, catalogue: dict[str, ServiceType]) -> Visit:
    """A published inspection visit of ``business`` (rows as the reporting services leave
    them; the visit services have their own tests)."""
    service_type = ensure_inspection_service_type()
    case = case_open_by_municipality(
        business=business,
        actor=karen,
        service_type=service_type,
        description="Miljøtilsyn",
        contact_name="Eva Ejer",
        contact_email="eva@example.dk",
        caseworker=karen,
    )
    unit = ProductionUnit.objects.create(
        business=business, p_number="3000000001", name="Smedjen", address="Havnegade 1"
    )
    content = pdf_bytes()
    report = Document.objects.create(
        case=case,
        file=ContentFile(content, name=f"Tilsynsrapport-{case.reference}.pdf"),
        original_name=f"Tilsynsrapport-{case.reference}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=karen,
        uploaded_at=clock.now(),
    )
    visited = clock.today() - dt.timedelta(days=60)
    return Visit.objects.create(
        case=case,
        unit=unit,
        kind="basic",
        physical=True,
        inspector=karen,
        focus="Olie og kemikalier.",
        status=Visit.Status.PUBLISHED,
        visited_on=visited,
        report_sent_on=visited + dt.timedelta(days=20),
        report_document=report,
        published_on=visited + dt.timedelta(days=40),
        created_by=karen,
        created_at=clock.now(),
    )


@pytest.fixture(name="world")
def world_fixture(
    catalogue: dict[str, ServiceType],
    karen: User,
    bodil: User,
    admin_user: User,
    owner: User,
    other_owner: User,
    business: Business,
    other_business: Business,
) -> World:
    department_x = catalogue["byggetilladelse-erhverv"].department
    department_y = Department.objects.get(code="miljoe")
    assert bodil.department_id == department_x.pk
    caseworker_y = StaffFactory(username="mette", department=department_y)
    head = StaffFactory(username="hanne", is_head_of_unit=True, department=department_y)

    case_a = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv"],
        description="Ny hal på Industrivej.",
        contact=dict(CONTACT),
        answers={"matrikel": "12a", "etageareal": 400},
    )
    case_a = case_screen(case=case_a, actor=karen)
    upload = SimpleUploadedFile("tegning.pdf", pdf_bytes(), content_type="application/pdf")
    document = case_add_document(case=case_a, actor=owner, upload=upload)
    task = Task.objects.get(case=case_a)
    assert task.department_id == department_x.pk
    deliverable = Deliverable.objects.filter(case=case_a).order_by("id").first()
    assert deliverable is not None

    case_b = inquiry_submit(
        actor=other_owner,
        cvr=other_business.cvr,
        service_types=["udeservering"],
        description="Seks borde foran caféen.",
        contact=dict(CONTACT),
        answers={"areal": 12},
    )
    case_b = case_screen(case=case_b, actor=karen)
    case_b = case_record_decision(case=case_b, actor=karen, summary="Tilladelse givet.")
    _invitation, survey_token = invitation_create(case=case_b, occasion=Occasion.ANSWER)

    received = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv"],
        description="Tilbygning.",
        contact=dict(CONTACT),
        answers={"matrikel": "12a", "etageareal": 100},
    )
    answered = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv"],
        description="Carport.",
        contact=dict(CONTACT),
        answers={"matrikel": "12a", "etageareal": 30},
    )
    answered = case_screen(case=answered, actor=karen)
    drawings = SimpleUploadedFile("tegning.pdf", pdf_bytes(), content_type="application/pdf")
    case_add_document(case=answered, actor=owner, upload=drawings, requirement_key="tegninger")
    answered = Case.objects.get(pk=answered.pk)
    answered = case_record_decision(case=answered, actor=karen, summary="Tilladelse givet.")
    visit = _report_visit(business, karen, catalogue)
    Task.objects.filter(case=visit.case).update(department=department_y, assignee=None)
    draft = draft_create(actor=owner, business=business)

    users: dict[str, User | None] = {
        "anonymous": None,
        "business_a": owner,
        "business_b": other_owner,
        "caseworker_x": bodil,
        "caseworker_y": caseworker_y,
        "coordinator": karen,
        "head_of_unit": head,
        "administrator": admin_user,
    }
    # Every scope: the matrix is about each persona's rights (scopes: api/tests/test_scopes.py).
    tokens = {
        name: api_token_create(user=user, scopes=ApiScope.values)[1]
        for name, user in users.items()
        if user
    }
    return World(
        users=users,
        business_a=business,
        business_b=other_business,
        case_a=Case.objects.get(pk=case_a.pk),
        case_b=Case.objects.get(pk=case_b.pk),
        received=received,
        answered=Case.objects.get(pk=answered.pk),
        document=document,
        deliverable=deliverable,
        task=task,
        visit=visit,
        unit=visit.unit,
        survey_token=survey_token,
        draft_id=draft.pk,
        tokens=tokens,
    )
