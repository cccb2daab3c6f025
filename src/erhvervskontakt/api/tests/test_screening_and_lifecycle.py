"""Screening, material from the business, decision, close and withdraw over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import CaseStatus, Deliverable, Document, Task

from .conftest import inquiry
from .support import FAKE_PDF_BYTES, PDF_BYTES, PNG_BYTES, assert_error, counts, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _local(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock in Copenhagen in winter (UTC+1)."""
    return dt.datetime(year, month, day, hour - 1, 0, tzinfo=dt.UTC)


def _pdf(name: str = "tegninger.pdf") -> dict:
    return {"file": (name, PDF_BYTES, "application/pdf")}


# --- the whole path of one inquiry -----------------------------------------------------------


def test_inquiry_goes_from_intake_through_screening_and_material_to_answer_and_close(
    http, time_machine, owner, karen, business, catalogue
):
    business_api, staff_api = http(owner), http(karen)
    time_machine.move_to(_local(2026, 11, 27))  # Friday

    # Intake: the building permit lacks the floor area and the drawings.
    body = inquiry(
        business.cvr, service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"}
    )
    reference = business_api.post("/inquiries", json=body).json()["reference"]

    # Screening the same day: incomplete, so the case waits for the business.
    screened = staff_api.post(f"/cases/{reference}/screening", json={}).json()
    assert screened["status"] == "awaiting_business"
    assert screened["coordinator"] == {
        "username": "karen",
        "name": "Karen Kofoed",
        "email": "karen@kommune.test",
    }
    # 30 working days after Friday 27 Nov, over Christmas and New Year.
    assert screened["estimated_answer_date"] == "2027-01-14"
    assert [
        (d["party"], d["title"], d["due_date"], d["status"]) for d in screened["deliverables"]
    ] == [
        ("business", "Oplys: Etageareal i m²", "2026-12-11", "pending"),
        ("business", "Send: Tegninger", "2026-12-11", "pending"),
        ("municipality", "Svar: Byggetilladelse til industri og lager", "2027-01-14", "pending"),
    ]
    assert screened["tasks"] == [
        {
            "id": Task.objects.get(case__reference=screened["reference"]).pk,
            "department": "byggeri",
            "service_type": "byggetilladelse-erhverv",
            "service_types": ["byggetilladelse-erhverv"],
            "status": "open",
            "assignee": None,
        }
    ]

    # Wednesday 2 Dec: the business answers the field, then uploads the drawings.
    time_machine.move_to(_local(2026, 12, 2))
    answered = business_api.post(
        f"/cases/{reference}/answers", json={"answers": {"etageareal": 1200}}
    ).json()
    assert answered["status"] == "awaiting_business"
    assert [m["key"] for m in answered["missing"]] == ["tegninger"]

    response = business_api.post(
        f"/cases/{reference}/documents", files=_pdf(), data={"requirement": "tegninger"}
    )
    assert response.status_code == 201, response.text
    resumed = response.json()
    assert resumed["status"] == "in_progress"
    assert resumed["missing"] == []
    # Paused three working days (30 Nov, 1 and 2 Dec): the estimate moves three days.
    assert resumed["estimated_answer_date"] == "2027-01-19"
    # Fully informed on 2 Dec; the national target is 50 calendar days.
    assert resumed["service_target_date"] == "2027-01-21"
    assert {d["title"]: d["status"] for d in resumed["deliverables"]} == {
        "Oplys: Etageareal i m²": "delivered",
        "Send: Tegninger": "delivered",
        "Svar: Byggetilladelse til industri og lager": "pending",
    }

    # The answer, then closing the case.
    time_machine.move_to(_local(2027, 1, 12))
    decided = staff_api.post(
        f"/cases/{reference}/decision", json={"summary": "Byggetilladelse givet."}
    ).json()
    assert decided["status"] == "answered"
    assert decided["decision_summary"] == "Byggetilladelse givet."
    assert dt.datetime.fromisoformat(decided["answered_at"]).date() == dt.date(2027, 1, 12)
    assert [d["status"] for d in decided["deliverables"]] == ["delivered"] * 3
    assert [t["status"] for t in decided["tasks"]] == ["done"]

    closed = staff_api.post(f"/cases/{reference}/close", json={"note": "Arkiveret."}).json()
    assert closed["status"] == "closed"
    assert [e["kind"] for e in closed["timeline"]] == [
        "received",
        "screened",
        "coordinator_appointed",
        "contact_person_changed",
        "estimate_set",
        "delivery_plan",
        "task_created",
        "status_changed",
        "answer_added",
        "deliverable_delivered",
        "document_added",
        "deliverable_delivered",
        "fully_informed",
        "status_changed",
        "estimate_moved",
        "status_changed",
        "answered",
        "status_changed",
    ]


# --- screening ------------------------------------------------------------------------------


def test_screening_a_complete_inquiry_puts_it_in_progress(http, friday, karen, owner, body):
    reference = http(owner).post("/inquiries", json=body).json()["reference"]

    response = http(karen).post(f"/cases/{reference}/screening", json={"note": "Ok."})

    assert response.status_code == 200, response.text
    screened = response.json()
    assert screened["status"] == "in_progress"
    assert screened["missing"] == []
    assert dt.datetime.fromisoformat(screened["screened_at"]).date() == dt.date(2026, 11, 27)
    # Outdoor serving: 10 working days after Friday 27 Nov.
    assert screened["estimated_answer_date"] == "2026-12-11"
    assert [(d["party"], d["due_date"]) for d in screened["deliverables"]] == [
        ("municipality", "2026-12-11")
    ]
    screening = next(e for e in screened["timeline"] if e["kind"] == "screened")
    assert (
        screening["text"] == "Screenet 27.11.2026. Alle oplysninger er modtaget. Intern note: Ok."
    )
    assert screening["actor"] == "Karen Kofoed"


def test_staff_may_choose_the_coordinator_at_screening(http, karen, lars, make_case):
    case = make_case(CaseStatus.RECEIVED)

    screened = (
        http(karen).post(f"/cases/{case.reference}/screening", json={"coordinator": "lars"}).json()
    )

    assert screened["coordinator"]["username"] == "lars"


def test_screening_keeps_the_business_fixed_contact_person(http, karen, lars, business, make_case):
    business.contact_person = lars
    business.save()
    case = make_case(CaseStatus.RECEIVED)

    screened = http(karen).post(f"/cases/{case.reference}/screening", json={}).json()

    assert screened["coordinator"]["username"] == "lars"
    assert http(karen).get(f"/businesses/{business.cvr}").json()["coordinator"]["username"] == (
        "lars"
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"coordinator": "ingen-sadan"}, "coordinator"),
        ({"coordinator": "bodil"}, "coordinator"),  # a caseworker, not a coordinator
        ({"coordinator": 5}, "coordinator"),
        ({"note": "x" * 2001}, "note"),
        ({"verdict": "ok"}, "verdict"),
    ],
)
def test_bad_screening_request_gets_422_and_changes_nothing(
    http, karen, bodil, make_case, payload, field
):
    case = make_case(CaseStatus.RECEIVED)
    before = snapshot(case)

    response = http(karen).post(f"/cases/{case.reference}/screening", json=payload)

    assert_error(response, 422, code="validation_failed", field=field)
    assert snapshot(case) == before


def test_screening_twice_is_refused_with_409(http, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    response = http(karen).post(f"/cases/{case.reference}/screening", json={})

    error = assert_error(response, 409, code="illegal_transition")
    assert "allerede screenet" in error["detail"]
    assert snapshot(case) == before


def test_business_user_may_not_screen_its_own_case(http, owner, make_case):
    case = make_case(CaseStatus.RECEIVED)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/screening", json={})

    assert_error(response, 403, code="forbidden")
    assert snapshot(case) == before


def test_business_user_gets_404_screening_another_business_case(http, other_owner, make_case):
    case = make_case(CaseStatus.RECEIVED)
    before = snapshot(case)

    response = http(other_owner).post(f"/cases/{case.reference}/screening", json={})

    assert_error(response, 404, code="not_found")
    assert snapshot(case) == before


# --- answers ------------------------------------------------------------------------------


def test_business_user_supplies_its_missing_answer_and_the_case_resumes(http, owner, make_case):
    case = make_case(CaseStatus.AWAITING_BUSINESS)

    response = http(owner).post(f"/cases/{case.reference}/answers", json={"answers": {"areal": 18}})

    assert response.status_code == 200, response.text
    resumed = response.json()
    assert resumed["status"] == "in_progress"
    assert resumed["missing"] == []
    assert resumed["answers"] == {"areal": 18}
    assert {d["party"]: d["status"] for d in resumed["deliverables"]} == {
        "business": "delivered",
        "municipality": "pending",
    }
    # The business reads its own history, as from GET (never the staff's log).
    assert resumed["timeline"] == http(owner).get(f"/cases/{case.reference}").json()["timeline"]
    assert all(e["text"] for e in resumed["timeline"])
    assert ("answer_added", "Ejer") in [(e["kind"], e["actor"]) for e in resumed["timeline"]]


def test_changing_an_answer_is_recorded_in_the_timeline(http, owner, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)

    changed = (
        http(owner).post(f"/cases/{case.reference}/answers", json={"answers": {"areal": 30}}).json()
    )

    assert changed["answers"] == {"areal": 30}
    assert changed["timeline"][-1]["kind"] == "answer_changed"
    assert changed["timeline"][-1]["text"] == "Vi har modtaget jeres ændrede svar: Areal i m²."
    staff_view = http(karen).get(f"/cases/{case.reference}").json()
    assert staff_view["timeline"][-1]["text"] == "Svar på »Areal i m²« ændret fra 12 til 30."


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"answers": {"areal": "atten"}}, "answers.areal"),
        ({"answers": {"areal": None}}, "answers.areal"),
        ({"answers": {"skitse": "se vedhæftet"}}, "answers.skitse"),  # a document
        ({"answers": {"ukendt": 1}}, "answers.ukendt"),
        ({"answers": {}}, "answers"),
        ({"answers": [["areal", 18]]}, "answers"),
        ({}, "answers"),
    ],
)
def test_bad_answers_get_422_and_change_nothing(http, owner, make_case, payload, field):
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/answers", json=payload)

    assert_error(response, 422, code="validation_failed", field=field)
    assert snapshot(case) == before


# --- documents ----------------------------------------------------------------------------


def test_business_user_uploads_a_pdf_for_a_requirement(http, owner, make_case, settings):
    case = make_case(CaseStatus.IN_PROGRESS, service_types=("udeservering",))

    response = http(owner).post(
        f"/cases/{case.reference}/documents",
        files=_pdf("skitse.pdf"),
        data={"requirement": "skitse"},
    )

    assert response.status_code == 201, response.text
    assert response.json()["timeline"][-1]["kind"] == "document_added"
    document = Document.objects.get(case=case)
    assert (document.requirement_key, document.content_type, document.size) == (
        "skitse",
        "application/pdf",
        len(PDF_BYTES),
    )
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))


def test_png_is_recognised_by_its_content(http, owner, make_case):
    case = make_case(CaseStatus.AWAITING_BUSINESS)

    response = http(owner).post(
        f"/cases/{case.reference}/documents",
        files={"file": ("foto", PNG_BYTES, "application/octet-stream")},
    )

    assert response.status_code == 201, response.text
    document = Document.objects.get(case=case)
    assert (document.content_type, document.requirement_key) == ("image/png", "")
    # A document without a requirement does not meet a missing field.
    assert response.json()["status"] == "awaiting_business"


def test_text_file_named_pdf_is_refused_by_its_content(http, owner, make_case):
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = snapshot(case)

    response = http(owner).post(
        f"/cases/{case.reference}/documents",
        files={"file": ("tegning.pdf", FAKE_PDF_BYTES, "application/pdf")},
    )

    error = assert_error(response, 422, code="validation_failed", field="file")
    assert "PDF" in error["errors"]["file"]
    assert snapshot(case) == before


def test_file_over_the_size_limit_is_refused_with_a_clear_message(http, owner, make_case, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/documents", files=_pdf())

    error = assert_error(response, 422, code="validation_failed", field="file")
    assert "for stor" in error["errors"]["file"]
    assert snapshot(case) == before


def test_request_far_over_the_size_limit_is_refused_with_413_before_it_is_read(
    http, owner, make_case, settings
):
    settings.DOCUMENT_MAX_BYTES = 100
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = snapshot(case)
    big = PDF_BYTES + b"0" * (1_048_576 + 1_000)

    response = http(owner).post(
        f"/cases/{case.reference}/documents", files={"file": ("stor.pdf", big, "application/pdf")}
    )

    error = assert_error(response, 413, code="too_large", field="file")
    assert "for stor" in error["detail"]
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("files", "data", "field"),
    [
        ({"file": ("tom.pdf", b"", "application/pdf")}, {}, "file"),
        (_pdf(), {"requirement": "areal"}, "requirement"),  # a field, not a document
        (_pdf(), {"requirement": "ukendt"}, "requirement"),
        ({"bilag": ("a.pdf", PDF_BYTES, "application/pdf")}, {}, "file"),  # no `file` part
    ],
)
def test_bad_upload_gets_422_naming_the_part_and_stores_nothing(
    http, owner, make_case, files, data, field
):
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/documents", files=files, data=data)

    assert_error(response, 422, code="validation_failed", field=field)
    assert snapshot(case) == before


# --- decision, close, withdraw -----------------------------------------------------------


def test_decision_answers_the_case_and_delivers_the_municipality_promises(http, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)

    response = http(karen).post(
        f"/cases/{case.reference}/decision", json={"summary": "  Tilladelse givet.  "}
    )

    assert response.status_code == 200, response.text
    answered = response.json()
    assert answered["status"] == "answered"
    assert answered["decision_summary"] == "Tilladelse givet."
    assert answered["answered_at"] is not None
    assert {d["party"]: d["status"] for d in answered["deliverables"]} == {
        "municipality": "delivered"
    }
    assert Task.objects.get(case=case).status == Task.Status.DONE


def test_business_user_withdraws_its_own_case_and_open_promises_are_waived(
    http, owner, karen, make_case
):
    case = make_case(CaseStatus.AWAITING_BUSINESS)

    response = http(owner).post(f"/cases/{case.reference}/withdraw", json={"reason": "Droppet."})

    assert response.status_code == 200, response.text
    withdrawn = response.json()
    assert withdrawn["status"] == "withdrawn"
    assert {d["status"] for d in withdrawn["deliverables"]} == {"waived"}
    assert [t["status"] for t in withdrawn["tasks"]] == ["cancelled"]
    # The answer to a business is its own history, not the staff's log (which was shown
    # here before issue 18: the write answers now read the case as the caller may see it).
    assert withdrawn["timeline"][-1]["text"] == "Henvendelsen er trukket tilbage."
    assert "Droppet." not in str(withdrawn["timeline"])
    staff_log = http(karen).get(f"/cases/{case.reference}").json()["timeline"][-1]["text"]
    assert staff_log == "Status: Afventer virksomheden → Trukket tilbage. Trukket tilbage. Droppet."


def test_withdraw_and_close_accept_an_empty_body(http, owner, karen, make_case):
    open_case = make_case(CaseStatus.RECEIVED)
    answered_case = make_case(CaseStatus.ANSWERED)

    withdrawn = http(owner).post(f"/cases/{open_case.reference}/withdraw")
    closed = http(karen).post(f"/cases/{answered_case.reference}/close")

    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")


def test_decision_without_a_summary_gets_422(http, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    responses = [
        http(karen).post(f"/cases/{case.reference}/decision", json={}),
        http(karen).post(f"/cases/{case.reference}/decision", json={"summary": "   "}),
    ]

    for response in responses:
        assert_error(response, 422, code="validation_failed", field="summary")
    assert snapshot(case) == before


ILLEGAL = [
    # (state, who, endpoint, body, words the detail contains)
    ("awaiting_business", "karen", "decision", {"summary": "Ja"}, "venter på materiale"),
    ("received", "karen", "decision", {"summary": "Ja"}, "»Modtaget«"),
    ("answered", "karen", "decision", {"summary": "Ja"}, "»Besvaret«"),
    ("in_progress", "karen", "close", {}, "»Under behandling« kan ikke få status »Afsluttet«"),
    ("received", "karen", "close", {}, "»Modtaget« kan ikke få status »Afsluttet«"),
    ("closed", "karen", "close", {}, "»Afsluttet« kan ikke få status »Afsluttet«"),
    ("answered", "owner", "withdraw", {}, "»Besvaret« kan ikke få status »Trukket tilbage«"),
    ("closed", "owner", "withdraw", {}, "»Afsluttet«"),
    ("withdrawn", "owner", "withdraw", {}, "»Trukket tilbage«"),
    ("withdrawn", "karen", "screening", {}, "allerede screenet"),
    ("withdrawn", "owner", "answers", {"answers": {"areal": 5}}, "trukket tilbage"),
    ("closed", "owner", "answers", {"answers": {"areal": 5}}, "afsluttet"),
]


@pytest.mark.parametrize(
    ("state", "who", "endpoint", "payload", "words"),
    ILLEGAL,
    ids=[f"{state}-{endpoint}" for state, _, endpoint, _, _ in ILLEGAL],
)
def test_illegal_state_change_gets_409_with_a_clear_detail_and_changes_nothing(
    request, http, make_case, state, who, endpoint, payload, words
):
    case = make_case(state)
    actor = request.getfixturevalue(who)
    before = snapshot(case)

    response = http(actor).post(f"/cases/{case.reference}/{endpoint}", json=payload)

    error = assert_error(response, 409, code="illegal_transition")
    assert words in error["detail"]
    assert snapshot(case) == before


def test_document_on_a_closed_case_gets_409_and_is_not_stored(http, owner, make_case):
    case = make_case(CaseStatus.CLOSED)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/documents", files=_pdf())

    assert_error(response, 409, code="illegal_transition")
    assert snapshot(case) == before
    assert Document.objects.count() == 0


def test_refusals_leave_every_table_as_it_was(http, owner, karen, make_case):
    """One sweep over the write endpoints with requests that must all be refused."""
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    before = counts()
    attempts = [
        http(owner).post(f"/cases/{case.reference}/decision", json={"summary": "x"}),
        http(owner).post(f"/cases/{case.reference}/close", json={}),
        http(karen).post(f"/cases/{case.reference}/decision", json={"summary": "x"}),
        http(karen).post(f"/cases/{case.reference}/screening", json={}),
    ]

    assert [r.status_code for r in attempts] == [403, 403, 409, 409]
    assert counts() == before
    assert Deliverable.objects.filter(case=case, status="pending").count() == 2
