"""GET /api/v1/cases and /cases/{reference}: the representation, visibility, filters, pages."""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen

from .conftest import FRIDAY
from .support import CASE_FIELDS, assert_error

pytestmark = pytest.mark.django_db(transaction=True)


def _received(karen, business, when: dt.datetime):
    """A case staff registered as received at ``when`` (for ordering and overdue tests)."""
    return inquiry_submit(
        actor=karen,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Spørgsmål om etablering",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        channel="phone",
        received_at=when,
    )


# --- the representation -------------------------------------------------------------------


def test_case_has_every_field_of_the_contract_in_its_documented_shape(
    http, friday, owner, karen, business, catalogue
):
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv", "udeservering"],
        description="Ny hal og borde",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        answers={"matrikel": "12a", "areal": 10},
    )
    case_screen(case=case, actor=karen)

    shown = http(owner).get(f"/cases/{case.reference}").json()

    assert set(shown) >= CASE_FIELDS
    assert shown["business"] == {"cvr": business.cvr, "name": "Fynsk Maskinfabrik ApS"}
    assert shown["service_types"] == ["byggetilladelse-erhverv", "udeservering"]
    assert shown["channel"] == "api"
    assert dt.datetime.fromisoformat(shown["received_at"]).tzinfo is not None
    assert shown["screening_due"] == "2026-12-04"
    assert dt.datetime.fromisoformat(shown["screened_at"]).tzinfo is not None
    assert shown["coordinator"] == {
        "username": "karen",
        "name": "Karen Kofoed",
        "email": "karen@kommune.test",
    }
    assert shown["estimated_answer_date"] == "2027-01-14"
    assert shown["service_target_date"] is None  # not fully informed yet
    assert shown["answered_at"] is None
    assert [(m["service_type"], m["key"], m["label"]) for m in shown["missing"]] == [
        ("byggetilladelse-erhverv", "etageareal", "Etageareal i m²"),
        ("byggetilladelse-erhverv", "tegninger", "Tegninger"),
    ]
    for deliverable in shown["deliverables"]:
        assert set(deliverable) == {"id", "party", "title", "due_date", "status", "overdue"}
        assert isinstance(deliverable["id"], int)
        assert deliverable["overdue"] is False
    assert [
        (t["department"], t["service_type"], t["status"], t["assignee"]) for t in shown["tasks"]
    ] == [
        ("byggeri", "byggetilladelse-erhverv", "open", None),
        ("vej", "udeservering", "open", None),
    ]
    for event in shown["timeline"]:
        assert set(event) == {"at", "kind", "actor", "text"}
        assert dt.datetime.fromisoformat(event["at"]).tzinfo is not None
    assert shown["timeline"][0] == {
        "at": shown["timeline"][0]["at"],
        "kind": "received",
        "actor": "Ejer",
        # the business reads the history written for it (issue 14, item 9), not staff's log
        "text": "Vi har modtaget jeres henvendelse om Byggetilladelse til industri og lager, "
        "Udeservering. Vi gennemgår den senest 4. december 2026 og fortæller jer, hvem der er "
        "jeres tovholder, og hvornår I får svar.",
    }


def test_only_pending_deliverables_past_their_due_date_are_overdue(
    http, time_machine, owner, make_case
):
    time_machine.move_to(FRIDAY)
    case = make_case(CaseStatus.AWAITING_BUSINESS, service_types=("byggetilladelse-erhverv",))

    # Monday 14 Dec: the business's items were due Friday 11 Dec; it delivers one now.
    time_machine.move_to(dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.UTC))
    shown = (
        http(owner)
        .post(f"/cases/{case.reference}/answers", json={"answers": {"matrikel": "12a"}})
        .json()
    )

    assert [
        (d["title"], d["due_date"], d["status"], d["overdue"]) for d in shown["deliverables"]
    ] == [
        ("Oplys: Matrikelnummer", "2026-12-11", "delivered", False),
        ("Oplys: Etageareal i m²", "2026-12-11", "pending", True),
        ("Send: Tegninger", "2026-12-11", "pending", True),
        ("Svar: Byggetilladelse til industri og lager", "2027-01-14", "pending", False),
    ]


def test_list_items_are_the_case_without_its_timeline(http, owner, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)

    page = http(owner).get("/cases?expand=plan").json()
    lean = http(owner).get("/cases").json()
    detail = http(owner).get(f"/cases/{case.reference}").json()

    assert page["count"] == 1
    (item,) = page["items"]
    assert set(item) == set(detail) - {"timeline", "description", "answers", "decision_summary"}
    assert item == {key: detail[key] for key in item}
    # Without expand=plan the same item, with what is missing, the plan and the tasks null.
    planned = {"missing", "deliverables", "tasks"}
    assert item["deliverables"] and item["tasks"]
    (lean_item,) = lean["items"]
    assert lean_item == {**item, **dict.fromkeys(planned)}


def test_expand_takes_only_plan(http, owner, make_case):
    make_case()

    response = http(owner).get("/cases?expand=timeline")

    assert_error(response, 422, field="expand")


def test_reference_is_found_whatever_its_case_and_surrounding_space(http, owner, make_case):
    case = make_case()

    response = http(owner).get(f"/cases/%20{case.reference.lower()}%20")

    assert response.status_code == 200
    assert response.json()["reference"] == case.reference


# --- who sees which cases --------------------------------------------------------------------


def test_coordinators_see_every_case_and_a_business_user_only_its_own(
    http, owner, other_owner, karen, other_business, make_case
):
    mine = {make_case().reference, make_case().reference}
    theirs = {make_case(actor=other_owner, cvr=other_business.cvr).reference}

    def listed(user):
        page = http(user).get("/cases").json()
        assert page["count"] == len(page["items"])
        return {item["reference"] for item in page["items"]}

    assert listed(karen) == mine | theirs
    assert listed(owner) == mine
    assert listed(other_owner) == theirs


def test_a_caseworker_sees_only_cases_with_a_task_for_their_department(http, bodil, make_case):
    # Given a building case (a Byggeri task after screening), an outdoor-serving case
    # (a Vej task) and an unscreened building case (no task yet)
    building = make_case(CaseStatus.AWAITING_BUSINESS, service_types=("byggetilladelse-erhverv",))
    make_case(CaseStatus.IN_PROGRESS)
    make_case(service_types=("byggetilladelse-erhverv",))

    # When Bodil (Byggeri) lists cases, then she sees only the case with her department's task
    page = http(bodil).get("/cases").json()

    assert [item["reference"] for item in page["items"]] == [building.reference]
    assert page["count"] == 1


def test_business_user_filtering_on_another_cvr_sees_nothing(
    http, owner, other_owner, other_business, make_case
):
    make_case(actor=other_owner, cvr=other_business.cvr)

    page = http(owner).get("/cases", params={"cvr": other_business.cvr}).json()

    assert page == {"items": [], "count": 0, "count_exact": True, "next": None}


# --- filters ----------------------------------------------------------------------------------


def test_status_filter(http, karen, make_case):
    received = make_case(CaseStatus.RECEIVED)
    in_progress = make_case(CaseStatus.IN_PROGRESS)
    make_case(CaseStatus.CLOSED)

    def refs(status):
        return [
            i["reference"]
            for i in http(karen).get("/cases", params={"status": status}).json()["items"]
        ]

    assert refs("received") == [received.reference]
    assert refs("in_progress") == [in_progress.reference]
    assert refs("withdrawn") == []


def test_unknown_status_filter_gets_422_listing_the_statuses(http, karen, catalogue):
    error = assert_error(
        http(karen).get("/cases", params={"status": "lukket"}), 422, field="status"
    )

    assert "awaiting_business" in error["errors"]["status"]


def test_cvr_filter_accepts_the_dk_prefix(
    http, karen, other_owner, business, other_business, make_case
):
    mine = make_case()
    make_case(actor=other_owner, cvr=other_business.cvr)

    page = http(karen).get("/cases", params={"cvr": f"DK {business.cvr}"}).json()

    assert [i["reference"] for i in page["items"]] == [mine.reference]
    assert page["count"] == 1


def test_invalid_cvr_filter_gets_422(http, karen, catalogue):
    assert_error(http(karen).get("/cases", params={"cvr": "1234"}), 422, field="cvr")


def test_coordinator_filter(http, karen, lars, business, make_case):
    case_karen = make_case(CaseStatus.IN_PROGRESS)  # karen becomes the fixed contact person
    business.contact_person = lars
    business.save()
    case_lars = make_case(CaseStatus.IN_PROGRESS)

    def refs(username):
        page = http(karen).get("/cases", params={"coordinator": username}).json()
        return [i["reference"] for i in page["items"]]

    assert refs("karen") == [case_karen.reference]
    assert refs("lars") == [case_lars.reference]
    assert refs("ingen") == []


def test_overdue_filter_splits_late_cases_from_the_rest(http, friday, karen, business, catalogue):
    late = _received(karen, business, FRIDAY - dt.timedelta(days=30))  # screening overdue
    on_time = _received(karen, business, FRIDAY - dt.timedelta(hours=1))

    def refs(overdue):
        page = http(karen).get("/cases", params={"overdue": overdue}).json()
        return [i["reference"] for i in page["items"]]

    assert refs("true") == [late.reference]
    assert refs("false") == [on_time.reference]
    assert http(karen).get("/cases").json()["count"] == 2


def test_filters_combine(http, karen, make_case):
    make_case(CaseStatus.RECEIVED)
    in_progress = make_case(CaseStatus.IN_PROGRESS)

    page = (
        http(karen)
        .get("/cases", params={"status": "in_progress", "coordinator": "karen", "overdue": "false"})
        .json()
    )

    assert [i["reference"] for i in page["items"]] == [in_progress.reference]


# --- pages ------------------------------------------------------------------------------------


def test_cases_are_paged_newest_first_with_the_total_count(
    http, friday, karen, business, catalogue
):
    made = [_received(karen, business, FRIDAY - dt.timedelta(days=d)) for d in (5, 1, 3, 2, 4)]
    newest_first = [c.reference for c in sorted(made, key=lambda c: c.received_at, reverse=True)]

    first = http(karen).get("/cases", params={"limit": 2}).json()
    second = http(karen).get("/cases", params={"limit": 2, "offset": 2}).json()
    past_the_end = http(karen).get("/cases", params={"limit": 2, "offset": 10}).json()

    assert [i["reference"] for i in first["items"]] == newest_first[:2]
    assert [i["reference"] for i in second["items"]] == newest_first[2:4]
    assert past_the_end["items"] == []
    assert first["count"] == second["count"] == past_the_end["count"] == 5


def test_default_page_holds_fifty_cases(http, karen, business, catalogue):
    for _ in range(51):
        _received(karen, business, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))

    page = http(karen).get("/cases").json()

    assert (len(page["items"]), page["count"]) == (50, 51)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "alle"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 2**63}, "offset"),  # beyond a 64-bit SQL OFFSET: was a 500
        ({"overdue": "måske"}, "overdue"),
    ],
)
def test_bad_paging_or_filter_values_get_422(http, karen, catalogue, params, field):
    assert_error(http(karen).get("/cases", params=params), 422, field=field)


def test_limit_of_two_hundred_is_allowed(http, karen, catalogue):
    assert http(karen).get("/cases", params={"limit": 200}).status_code == 200
