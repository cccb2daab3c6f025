"""The work on a case over real HTTP (issue 18): messages, the delivery plan, tasks,
documents, the business list and fixed contact person; If-Match/ETag; keyset pages.

Each write is tested on its happy path, bad input, another business's case (404, nothing
changed) and a stale version (412, nothing changed).
"""

from __future__ import annotations

import hashlib

import pytest

from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.cases import keyset
from erhvervskontakt.cases.models import CaseStatus, Deliverable, Message, Task
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common.tests.files import pdf

from .support import PDF_BYTES, assert_error, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _building_case(owner, karen, business):
    """A complete industrial building permit, screened: one task for the building department."""
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv"],
        description="Ny hal",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        answers={"matrikel": "12a", "etageareal": 850},
    )
    return case_screen(case=case, actor=karen)


def _etag(response) -> int:
    return int(response.headers["ETag"].strip('"'))


# --- ETag and If-Match ----------------------------------------------------------------------


def test_a_case_read_sends_its_version_as_etag_and_a_write_with_it_succeeds(
    http, friday, karen, make_case
):
    case = make_case(CaseStatus.RECEIVED)
    read = http(karen).get(f"/cases/{case.reference}")
    assert _etag(read) == read.json()["version"] == case.version

    screened = http(karen).post(
        f"/cases/{case.reference}/screening", json={}, headers={"If-Match": read.headers["ETag"]}
    )

    assert screened.status_code == 200, screened.text
    assert _etag(screened) == screened.json()["version"] > case.version


def test_a_stale_if_match_is_412_with_the_current_etag_and_changes_nothing(
    http, friday, karen, make_case
):
    case = make_case(CaseStatus.IN_PROGRESS)
    seen = http(karen).get(f"/cases/{case.reference}").headers["ETag"]
    http(karen).post(f"/cases/{case.reference}/messages", json={"body": "Første ændring."})
    before = snapshot(case)

    response = http(karen).post(
        f"/cases/{case.reference}/decision",
        json={"summary": "Tilladelse givet."},
        headers={"If-Match": seen},
    )

    body = assert_error(response, 412, code="precondition_failed", field="If-Match")
    assert str(case.version + 1) in body["detail"]
    assert _etag(response) == case.version + 1
    assert snapshot(case) == before


@pytest.mark.parametrize("value", ['W/"{v}"', "{v}", "*"])
def test_if_match_takes_weak_bare_and_any(http, friday, karen, make_case, value):
    case = make_case(CaseStatus.IN_PROGRESS)

    response = http(karen).post(
        f"/cases/{case.reference}/messages",
        json={"body": "Hej."},
        headers={"If-Match": value.format(v=case.version)},
    )

    assert response.status_code == 201, response.text


def test_an_unreadable_if_match_is_422_and_changes_nothing(http, friday, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    response = http(karen).post(
        f"/cases/{case.reference}/close", json={}, headers={"If-Match": '"syv"'}
    )

    assert_error(response, 422, code="validation_failed", field="If-Match")
    assert snapshot(case) == before


# --- messages -------------------------------------------------------------------------------


def test_messages_the_business_never_sees_internal_notes(http, friday, owner, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    asked = http(owner).post(f"/cases/{case.reference}/messages", json={"body": "Hvornår?"})
    note = http(karen).post(
        f"/cases/{case.reference}/messages",
        json={"body": "Afventer vejafdelingen.", "internal": True},
    )
    answered = http(karen).post(f"/cases/{case.reference}/messages", json={"body": "Snart."})

    assert asked.status_code == note.status_code == answered.status_code == 201
    assert asked.json()["party"] == "business" and answered.json()["party"] == "municipality"
    staff = http(karen).get(f"/cases/{case.reference}/messages").json()
    business = http(owner).get(f"/cases/{case.reference}/messages").json()
    assert [m["body"] for m in staff["items"]] == ["Hvornår?", "Afventer vejafdelingen.", "Snart."]
    assert [m["body"] for m in business["items"]] == ["Hvornår?", "Snart."]
    assert "Afventer" not in str(http(owner).get(f"/cases/{case.reference}").json())


def test_a_business_may_not_write_an_internal_note(http, friday, owner, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    response = http(owner).post(
        f"/cases/{case.reference}/messages", json={"body": "Hemmeligt", "internal": True}
    )

    assert_error(response, 403, code="forbidden")
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({}, "body"),
    ],
)
def test_a_bad_message_is_422_and_changes_nothing(http, friday, owner, make_case, payload, field):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/messages", json=payload)

    assert_error(response, 422, field=field)
    assert snapshot(case) == before


def test_another_business_cannot_read_or_write_the_messages(http, friday, other_owner, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    assert_error(http(other_owner).get(f"/cases/{case.reference}/messages"), 404)
    response = http(other_owner).post(f"/cases/{case.reference}/messages", json={"body": "Hej"})

    assert_error(response, 404, code="not_found")
    assert snapshot(case) == before
    assert not Message.objects.filter(case=case).exists()


def test_messages_come_a_page_at_a_time_with_a_cursor(http, friday, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    for n in range(5):
        case_message_post(case=case, actor=karen, body=f"Besked {n}")

    first = http(karen).get(f"/cases/{case.reference}/messages", params={"limit": 2}).json()
    second = http(karen).get(first["next"].removeprefix("/api/v1")).json()
    third = http(karen).get(second["next"].removeprefix("/api/v1")).json()

    bodies = [m["body"] for page in (first, second, third) for m in page["items"]]
    assert bodies == [f"Besked {n}" for n in range(5)]
    assert third["next"] is None


def test_a_cursor_of_another_list_or_a_changed_one_is_422(http, friday, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    for n in range(3):
        case_message_post(case=case, actor=karen, body=f"Besked {n}")
    cursor = (
        http(karen)
        .get(f"/cases/{case.reference}/messages", params={"limit": 1})
        .json()["next"]
        .split("cursor=")[1]
    )

    assert_error(http(karen).get("/tasks", params={"cursor": cursor}), 422, field="cursor")
    assert_error(http(karen).get("/cases", params={"cursor": "bm9wZQ"}), 422, field="cursor")


# --- the delivery plan ----------------------------------------------------------------------


def test_staff_add_change_waive_and_deliver_lines_of_the_plan(http, friday, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    api = http(karen)

    added = api.post(
        f"/cases/{case.reference}/deliverables",
        json={"party": "business", "title": "Støjberegning", "due_date": "2026-12-10"},
    )
    assert added.status_code == 201, added.text
    line = added.json()
    assert line["title"] == "Støjberegning" and line["status"] == "pending"
    changed = api.patch(
        f"/cases/{case.reference}/deliverables/{line['id']}",
        json={"due_date": "2026-12-17", "reason": "Virksomheden bad om en uge mere."},
        headers={"If-Match": added.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["due_date"] == "2026-12-17"
    delivered = api.post(
        f"/cases/{case.reference}/deliverables/{line['id']}/delivered", json={"note": "Modtaget"}
    )
    assert delivered.json()["status"] == "delivered"
    other = api.post(
        f"/cases/{case.reference}/deliverables",
        json={"party": "municipality", "title": "Udtalelse", "due_date": "2026-12-20"},
    ).json()
    waived = api.post(
        f"/cases/{case.reference}/deliverables/{other['id']}/waive",
        json={"reason": "Ikke nødvendig."},
    )
    assert waived.json()["status"] == "waived"

    plan = api.get(f"/cases/{case.reference}/deliverables").json()
    assert {d["title"]: d["status"] for d in plan}.items() >= {
        "Støjberegning": "delivered",
        "Udtalelse": "waived",
    }.items()
    kinds = list(case.events.values_list("kind", flat=True))
    for kind in ("deliverable_added", "deliverable_changed", "deliverable_waived"):
        assert kind in kinds


def test_the_business_delivers_its_own_line_but_may_not_change_the_plan(
    http, friday, owner, karen, make_case
):
    case = make_case(CaseStatus.IN_PROGRESS)
    line = (
        http(karen)
        .post(
            f"/cases/{case.reference}/deliverables",
            json={"party": "business", "title": "Brandplan", "due_date": "2026-12-10"},
        )
        .json()
    )
    before = snapshot(case)

    refused = http(owner).post(
        f"/cases/{case.reference}/deliverables",
        json={"party": "business", "title": "Selvvalgt", "due_date": "2026-12-10"},
    )
    assert_error(refused, 403)
    assert snapshot(case) == before
    shown = http(owner).get(f"/cases/{case.reference}/deliverables").json()
    assert all(d["note"] is None for d in shown)

    done = http(owner).post(f"/cases/{case.reference}/deliverables/{line['id']}/delivered")

    assert done.status_code == 200, done.text
    assert Deliverable.objects.get(pk=line["id"]).status == Deliverable.Status.DELIVERED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"party": "nogen", "title": "X", "due_date": "2026-12-10"}, "party"),
        ({"party": "business", "title": "", "due_date": "2026-12-10"}, "title"),
        ({"party": "business", "title": "X", "due_date": "10-12-2026"}, "due_date"),
    ],
)
def test_a_bad_line_is_422_and_changes_nothing(http, friday, karen, make_case, payload, field):
    case = make_case(CaseStatus.IN_PROGRESS)
    before = snapshot(case)

    response = http(karen).post(f"/cases/{case.reference}/deliverables", json=payload)

    assert_error(response, 422, field=field)
    assert snapshot(case) == before


def test_another_business_cannot_deliver_a_line_and_a_stale_change_is_412(
    http, friday, other_owner, karen, make_case
):
    case = make_case(CaseStatus.IN_PROGRESS)
    line = case.deliverables.get(party="municipality")
    stale = f'"{case.version - 1}"'
    before = snapshot(case)

    hidden = http(other_owner).post(f"/cases/{case.reference}/deliverables/{line.pk}/delivered")
    late = http(karen).post(
        f"/cases/{case.reference}/deliverables/{line.pk}/waive",
        json={"reason": "Ikke nødvendig."},
        headers={"If-Match": stale},
    )
    unknown = http(karen).post(
        f"/cases/{case.reference}/deliverables/999999/waive", json={"reason": "Væk."}
    )

    assert_error(hidden, 404)
    assert_error(late, 412, code="precondition_failed")
    assert_error(unknown, 404)
    assert snapshot(case) == before


# --- tasks ----------------------------------------------------------------------------------


def test_a_department_claims_assigns_and_finishes_its_task(
    http, friday, karen, bodil, owner, business
):
    case = _building_case(owner, karen, business)
    task = Task.objects.get(case=case)

    inbox = http(bodil).get("/tasks", params={"department": task.department.code, "status": "open"})
    assert [t["id"] for t in inbox.json()["items"]] == [task.pk]
    assert inbox.json()["items"][0]["due"] is not None
    claimed = http(bodil).post(f"/tasks/{task.pk}/claim", headers={"If-Match": f'"{task.version}"'})
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["assignee"] == "bodil" and claimed.json()["status"] == "in_progress"
    given = http(karen).post(f"/tasks/{task.pk}/assign", json={"assignee": "karen"})
    assert given.json()["assignee"] == "karen"
    done = http(karen).post(
        f"/tasks/{task.pk}/done",
        json={"result": "Godkendt.", "deliver_answer": True},
        headers={"If-Match": given.headers["ETag"]},
    )

    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["result"] == "Godkendt."
    on_case = http(karen).get(f"/cases/{case.reference}/tasks").json()
    assert [(t["id"], t["status"]) for t in on_case] == [(task.pk, "done")]


def test_a_stale_task_version_is_412_and_the_task_is_unchanged(
    http, friday, karen, bodil, owner, business
):
    case = _building_case(owner, karen, business)
    task = Task.objects.get(case=case)
    http(bodil).post(f"/tasks/{task.pk}/claim")

    response = http(karen).post(
        f"/tasks/{task.pk}/done", json={"result": "Godkendt."}, headers={"If-Match": '"1"'}
    )

    assert_error(response, 412, code="precondition_failed")
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS


def test_a_business_sees_its_tasks_state_but_no_result_and_no_task_list(
    http, friday, owner, other_owner, karen, business, catalogue
):
    case = _building_case(owner, karen, business)
    task = Task.objects.get(case=case)
    http(karen).post(f"/tasks/{task.pk}/done", json={"result": "Internt resultat."})

    mine = http(owner).get(f"/cases/{case.reference}/tasks").json()

    assert [(t["status"], t["result"]) for t in mine] == [("done", None)]
    assert_error(http(owner).get("/tasks"), 403)
    assert_error(http(owner).post(f"/tasks/{task.pk}/claim"), 403)
    assert_error(http(other_owner).get(f"/cases/{case.reference}/tasks"), 404)
    assert_error(http(other_owner).post(f"/tasks/{task.pk}/claim"), 404)


def test_a_bad_assignee_or_result_is_422(http, friday, karen, make_case):
    case = make_case(CaseStatus.IN_PROGRESS)
    task = Task.objects.get(case=case)
    before = snapshot(case)

    assert_error(
        http(karen).post(f"/tasks/{task.pk}/assign", json={"assignee": "ingen"}),
        422,
        field="assignee",
    )
    assert_error(http(karen).post(f"/tasks/{task.pk}/done", json={"result": " "}), 422)
    assert snapshot(case) == before


# --- documents ------------------------------------------------------------------------------


def test_documents_are_listed_and_downloaded_as_attachments(
    http, friday, owner, other_owner, make_case
):
    case = make_case(CaseStatus.IN_PROGRESS)
    document = case_add_document(case=case, actor=owner, upload=pdf("tegning=1.pdf"))

    listed = http(owner).get(f"/cases/{case.reference}/documents").json()
    assert [(d["id"], d["content_type"], d["size"]) for d in listed] == [
        (document.pk, "application/pdf", len(PDF_BYTES))
    ]
    assert listed[0]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    got = http(owner).get(listed[0]["download"].removeprefix("/api/v1"))

    assert got.status_code == 200
    assert got.content == PDF_BYTES
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got.headers["Cache-Control"]
    assert_error(http(other_owner).get(f"/cases/{case.reference}/documents/{document.pk}"), 404)
    assert_error(http(owner).get(f"/cases/{case.reference}/documents/999999"), 404)


# --- businesses -----------------------------------------------------------------------------


def test_staff_list_businesses_a_business_only_its_own(
    http, friday, karen, owner, business, other_business
):
    staff = http(karen).get("/businesses").json()
    mine = http(owner).get("/businesses").json()
    named = http(karen).get("/businesses", params={"name": "anden"}).json()

    assert {b["cvr"] for b in staff["items"]} >= {business.cvr, other_business.cvr}
    assert [b["cvr"] for b in mine["items"]] == [business.cvr]
    assert [b["cvr"] for b in named["items"]] == [other_business.cvr]
    first = http(karen).get("/businesses", params={"limit": 1}).json()
    rest = http(karen).get(first["next"].removeprefix("/api/v1")).json()
    assert first["items"][0]["cvr"] < rest["items"][0]["cvr"]


def test_a_coordinator_changes_the_fixed_contact_person_with_a_reason(
    http, friday, karen, lars, owner, business, other_owner
):
    path = f"/businesses/{business.cvr}/contact-person"

    changed = http(karen).put(path, json={"coordinator": "lars", "reason": "Ferie."})

    assert changed.status_code == 200, changed.text
    assert changed.json()["coordinator"]["username"] == "lars"
    assert http(owner).get(path).json()["username"] == "lars"
    assert BusinessEvent.objects.filter(business=business, kind="contact_person_changed").exists()
    assert_error(http(owner).put(path, json={"coordinator": "karen"}), 403)
    assert_error(http(other_owner).get(path), 404)
    assert_error(http(karen).put(path, json={"coordinator": "ingen"}), 422, field="coordinator")
    assert http(karen).get(path).json()["username"] == "lars"


# --- the case list: keyset pages and a capped count -------------------------------------------


def test_case_pages_are_stable_while_cases_arrive(http, friday, karen, make_case):
    made = [make_case(CaseStatus.RECEIVED) for _ in range(5)]

    first = http(karen).get("/cases", params={"limit": 2}).json()
    make_case(CaseStatus.RECEIVED)  # newer: it belongs before the first page, not in the next
    second = http(karen).get(first["next"].removeprefix("/api/v1")).json()
    third = http(karen).get(second["next"].removeprefix("/api/v1")).json()

    shown = [c["reference"] for page in (first, second, third) for c in page["items"]]
    assert shown == [c.reference for c in reversed(made)]
    assert third["next"] is None
    assert_error(
        http(karen).get(
            "/cases", params={"cursor": first["next"].split("cursor=")[1], "offset": 1}
        ),
        422,
        field="offset",
    )


def test_the_case_count_is_exact_only_up_to_the_cap(http, friday, karen, make_case, monkeypatch):
    for _ in range(4):
        make_case(CaseStatus.RECEIVED)
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)

    capped = http(karen).get("/cases", params={"limit": 1}).json()
    exact = http(karen).get("/cases", params={"limit": 1, "status": "withdrawn"}).json()

    assert (capped["count"], capped["count_exact"]) == (3, False)
    assert (exact["count"], exact["count_exact"]) == (0, True)
