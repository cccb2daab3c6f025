"""Inspection visits over real HTTP (issue 18): a visit opened, times offered, the business's
choice, the visit carried out with findings and enforcement, the report sent, downloaded
and published; the list as keyset pages.

Each write is tested on its happy path, bad input, another business's visit (404, nothing
changed) and a stale version (412, nothing changed). Personas and visits in each state come
from the inspection tests' fixtures: ``soeren`` is the inspector (Miljø), ``owner`` acts
for ``business`` (the unit's), ``other_owner`` for ``other_business``.
"""

# The inspection suite's fixtures are imported below and taken as parameters by name.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.cases.models import CaseStatus, Deliverable, Message
from erhvervskontakt.inspections.models import Enforcement, Finding, Inspection, Visit, VisitSlot
from erhvervskontakt.inspections.services.reporting import visit_report_send
from erhvervskontakt.inspections.tests.conftest import (  # noqa: F401  (fixtures)
    THREE,
    booked,
    counts,
    cph,
    create,
    miljoetilsyn,
    offered,
    ready,
    soeren,
    state,
    unit,
    visited,
)

from .support import assert_error

pytestmark = pytest.mark.django_db(transaction=True)


def _etag(response: Any) -> int:
    return int(response.headers["ETag"].strip('"'))


def _slots(*pairs: tuple[dt.datetime, dt.datetime]) -> dict[str, Any]:
    return {"slots": [{"starts_at": a.isoformat(), "ends_at": b.isoformat()} for a, b in pairs]}


# --- opening a visit ------------------------------------------------------------------------


def test_staff_open_a_visit_of_a_unit_and_it_is_a_case_of_the_business(
    http, friday, soeren, unit, miljoetilsyn, business
):
    response = http(soeren).post(
        "/visits",
        json={
            "p_number": unit.p_number,
            "kind": "basic",
            "focus": "Olie og kemikalier.",
            "contact_name": "Eva Ejer",
            "contact_email": "eva@fynsk.dk",
        },
    )

    assert response.status_code == 201, response.text
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert body["status"] == "planned" and body["kind"] == "basic"
    assert body["case"] == visit.case.reference
    assert body["business"] == {"cvr": business.cvr, "name": business.name}
    assert body["unit"]["p_number"] == unit.p_number
    assert body["inspector"]["name"] == soeren.display_name
    assert _etag(response) == body["version"] == visit.version
    assert visit.case.business_id == business.pk


def test_opening_a_visit_with_bad_input_is_422_and_opens_nothing(
    http, friday, soeren, unit, miljoetilsyn, counts
):
    before = counts()

    unknown = http(soeren).post(
        "/visits", json={"p_number": "9999999999", "kind": "basic", "focus": "Olie."}
    )
    bad_kind = http(soeren).post(
        "/visits", json={"p_number": unit.p_number, "kind": "sometimes", "focus": "Olie."}
    )
    blank = http(soeren).post(
        "/visits", json={"p_number": unit.p_number, "kind": "basic", "focus": "   "}
    )

    assert_error(unknown, 422, code="validation_failed", field="p_number")
    assert_error(bad_kind, 422, field="kind")
    assert_error(blank, 422, field="focus")
    assert counts() == before


def test_a_business_user_may_not_open_a_visit(http, friday, owner, unit, miljoetilsyn, counts):
    before = counts()

    response = http(owner).post(
        "/visits", json={"p_number": unit.p_number, "kind": "basic", "focus": "Olie."}
    )

    assert_error(response, 403, code="forbidden")
    assert counts() == before


# --- offering times and choosing one --------------------------------------------------------


def test_staff_offer_times_and_the_business_chooses_one(http, friday, soeren, owner, create):
    visit = create()
    seen = http(soeren).get(f"/visits/{visit.pk}")
    assert _etag(seen) == visit.version

    sent = http(soeren).post(
        f"/visits/{visit.pk}/slots", json=_slots(*THREE), headers={"If-Match": seen.headers["ETag"]}
    )

    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "offered"
    assert len(sent.json()["slots"]) == 3
    assert Message.objects.filter(case=visit.case).exists()  # the business is told
    as_business = http(owner).get(f"/visits/{visit.pk}")
    assert as_business.status_code == 200
    times = sorted(as_business.json()["slots"], key=lambda s: s["starts_at"])
    assert [s["status"] for s in times] == ["offered"] * 3

    chosen = http(owner).post(
        f"/visits/{visit.pk}/choice",
        json={"slot": times[0]["id"]},
        headers={"If-Match": as_business.headers["ETag"]},
    )

    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert body["status"] == "booked"
    assert dt.datetime.fromisoformat(body["visit_at"]) == THREE[1][0]  # 7 December, the first
    # The business sees the time it chose, not the withdrawn ones; staff see all three.
    assert [s["status"] for s in body["slots"]] == ["chosen"]
    staff_view = http(soeren).get(f"/visits/{visit.pk}").json()
    assert sorted(s["status"] for s in staff_view["slots"]) == ["chosen", "withdrawn", "withdrawn"]
    # Choosing it again (a double click) changes nothing.
    again = http(owner).post(f"/visits/{visit.pk}/choice", json={"slot": times[0]["id"]})
    assert again.status_code == 200 and again.json()["version"] == body["version"]


def test_offering_times_in_the_past_or_overlapping_is_422_and_changes_nothing(
    http, friday, soeren, create, counts
):
    visit = create()
    before, rows = state(visit), counts()

    past = http(soeren).post(
        f"/visits/{visit.pk}/slots", json=_slots((cph(2026, 11, 2, 9), cph(2026, 11, 2, 11)))
    )
    naive = http(soeren).post(
        f"/visits/{visit.pk}/slots",
        json={"slots": [{"starts_at": "2026-12-08T09:00:00", "ends_at": "2026-12-08T11:00:00"}]},
    )
    none = http(soeren).post(f"/visits/{visit.pk}/slots", json={"slots": []})

    assert_error(past, 422, code="validation_failed")
    assert_error(naive, 422)
    assert_error(none, 422, field="slots")
    assert state(visit) == before and counts() == rows


def test_choosing_a_time_that_was_not_offered_is_422_and_changes_nothing(
    http, friday, owner, offered, counts
):
    before, rows = state(offered), counts()

    response = http(owner).post(f"/visits/{offered.pk}/choice", json={"slot": 999_999})

    assert_error(response, 422, field="slot")
    assert state(offered) == before and counts() == rows


def test_another_business_never_sees_or_changes_the_visit(
    http, friday, other_owner, offered, counts
):
    before, rows = state(offered), counts()
    slot = offered.slots.first()
    assert slot is not None
    client = http(other_owner)

    answers = [
        client.get(f"/visits/{offered.pk}"),
        client.get(f"/visits/{offered.pk}/report"),
        client.post(f"/visits/{offered.pk}/choice", json={"slot": slot.pk}),
        client.post(f"/visits/{offered.pk}/slots", json=_slots(*THREE)),
        client.post(f"/visits/{offered.pk}/cancel", json={"reason": "Lukket."}),
    ]

    for response in answers:
        assert_error(response, 404, code="not_found")
    assert client.get("/visits").json()["items"] == []
    assert state(offered) == before and counts() == rows


def test_a_stale_if_match_on_a_visit_is_412_with_the_current_etag_and_changes_nothing(
    http, friday, soeren, owner, offered, counts
):
    seen = http(owner).get(f"/visits/{offered.pk}")
    http(soeren).put(f"/visits/{offered.pk}/focus", json={"focus": "Også affaldet."})
    before, rows = state(offered), counts()
    slot = offered.slots.first()
    assert slot is not None

    stale = [
        http(owner).post(
            f"/visits/{offered.pk}/choice",
            json={"slot": slot.pk},
            headers={"If-Match": seen.headers["ETag"]},
        ),
        http(soeren).post(
            f"/visits/{offered.pk}/cancel",
            json={"reason": "Lukket."},
            headers={"If-Match": seen.headers["ETag"]},
        ),
    ]

    for response in stale:
        assert_error(response, 412, code="precondition_failed", field="If-Match")
        assert _etag(response) == before["version"]
    assert state(offered) == before and counts() == rows


def test_a_business_may_not_take_the_inspectors_steps(http, friday, owner, offered, counts):
    before, rows = state(offered), counts()
    client = http(owner)

    answers = [
        client.post(f"/visits/{offered.pk}/slots", json=_slots(*THREE)),
        client.put(f"/visits/{offered.pk}/focus", json={"focus": "Ingenting."}),
        client.post(f"/visits/{offered.pk}/time", json={"at": THREE[0][0].isoformat()}),
        client.post(f"/visits/{offered.pk}/cancel", json={"reason": "Vi vil ikke."}),
        client.post(f"/visits/{offered.pk}/visited", json={"visited_on": "2026-11-27"}),
    ]

    for response in answers:
        assert_error(response, 403, code="forbidden")
    assert state(offered) == before and counts() == rows


def test_the_inspector_fixes_the_time_and_changes_the_focus(http, friday, soeren, offered):
    moment = cph(2026, 12, 14, 9, 30)

    fixed = http(soeren).post(
        f"/visits/{offered.pk}/time", json={"at": moment.isoformat(), "reason": "Aftalt i telefon."}
    )
    focus = http(soeren).put(f"/visits/{offered.pk}/focus", json={"focus": "Også affaldet."})

    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["status"] == "booked"
    assert dt.datetime.fromisoformat(fixed.json()["visit_at"]) == moment
    assert focus.status_code == 200 and focus.json()["focus"] == "Også affaldet."
    assert _etag(focus) == fixed.json()["version"] + 1


def test_cancelling_a_visit_needs_a_reason_and_withdraws_its_case(
    http, friday, soeren, offered, counts
):
    before, rows = state(offered), counts()
    missing = http(soeren).post(f"/visits/{offered.pk}/cancel", json={"reason": " "})
    assert_error(missing, 422, field="reason")
    assert state(offered) == before and counts() == rows

    response = http(soeren).post(f"/visits/{offered.pk}/cancel", json={"reason": "Lukket."})

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert state(offered)["case"][0] == CaseStatus.WITHDRAWN


# --- the visit carried out ------------------------------------------------------------------


def test_recording_the_visit_starts_the_report_clocks(http, friday, soeren, booked, time_machine):
    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)

    response = http(soeren).post(
        f"/visits/{booked.pk}/visited", json={"visited_on": "2026-12-07", "physical": True}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "visited"
    assert (body["visited_on"], body["report_due"], body["publish_due"]) == (
        "2026-12-07",
        "2027-02-07",
        "2027-04-07",
    )
    assert Inspection.objects.filter(unit=booked.unit, on=dt.date(2026, 12, 7)).exists()


def test_recording_a_visit_in_the_future_or_before_it_is_booked_is_refused(
    http, friday, soeren, booked, create, counts
):
    planned = create()
    before, rows = state(booked), counts()

    future = http(soeren).post(f"/visits/{booked.pk}/visited", json={"visited_on": "2027-01-04"})
    basic_unbooked = http(soeren).post(
        f"/visits/{planned.pk}/visited", json={"visited_on": "2026-11-27"}
    )

    assert_error(future, 422, field="visited_on")
    assert_error(basic_unbooked, 409, code="illegal_transition")
    assert state(booked) == before and counts() == rows


def test_findings_and_enforcement_after_the_visit(http, friday, soeren, owner, visited):
    seen = http(soeren).get(f"/visits/{visited.pk}")

    agreed = http(soeren).post(
        f"/visits/{visited.pk}/findings",
        json={"kind": "agreement", "text": "Spildbakke under tønderne.", "due_date": "2027-01-15"},
        headers={"If-Match": seen.headers["ETag"]},
    )
    warned = http(soeren).post(
        f"/visits/{visited.pk}/enforcements",
        json={"kind": "warning", "text": "Sortér farligt affald.", "legal_basis": "§ 68"},
        headers={"If-Match": agreed.headers["ETag"]},
    )

    assert agreed.status_code == 201, agreed.text
    assert warned.status_code == 201, warned.text
    finding = agreed.json()["findings"][0]
    assert (finding["kind"], finding["due_date"]) == ("agreement", "2027-01-15")
    line = Deliverable.objects.get(pk=finding["deliverable"])
    assert (line.case_id, line.party) == (visited.case_id, Deliverable.Party.BUSINESS)
    enforcement = warned.json()["enforcements"][0]
    assert (enforcement["kind"], enforcement["legal_basis"], enforcement["issued_on"]) == (
        "warning",
        "§ 68",
        "2026-12-07",
    )
    # The business reads the findings and the enforcement on its visit.
    mine = http(owner).get(f"/visits/{visited.pk}").json()
    assert [f["id"] for f in mine["findings"]] == [finding["id"]]
    assert [e["id"] for e in mine["enforcements"]] == [enforcement["id"]]


def test_bad_findings_and_enforcement_are_422_and_change_nothing(
    http, friday, soeren, visited, counts
):
    before, rows = state(visited), counts()

    no_deadline = http(soeren).post(
        f"/visits/{visited.pk}/findings", json={"kind": "agreement", "text": "Spildbakke."}
    )
    past_deadline = http(soeren).post(
        f"/visits/{visited.pk}/findings",
        json={"kind": "agreement", "text": "Spildbakke.", "due_date": "2026-01-01"},
    )
    before_visit = http(soeren).post(
        f"/visits/{visited.pk}/enforcements",
        json={
            "kind": "order",
            "text": "Tæt belægning.",
            "legal_basis": "§ 42",
            "issued_on": "2026-12-01",
        },
    )
    no_basis = http(soeren).post(
        f"/visits/{visited.pk}/enforcements",
        json={"kind": "order", "text": "Tæt belægning.", "legal_basis": ""},
    )

    assert_error(no_deadline, 422, field="due_date")
    assert_error(past_deadline, 422, field="due_date")
    assert_error(before_visit, 422, field="issued_on")
    assert_error(no_basis, 422, field="legal_basis")
    assert state(visited) == before and counts() == rows
    assert not Finding.objects.exists() and not Enforcement.objects.exists()


def test_findings_before_the_visit_are_refused(http, friday, soeren, booked, counts):
    before = counts()

    response = http(soeren).post(
        f"/visits/{booked.pk}/findings", json={"kind": "observation", "text": "Rent og pænt."}
    )

    assert_error(response, 409, code="illegal_transition")
    assert counts() == before


# --- the report -----------------------------------------------------------------------------


def test_the_report_drafted_sent_downloaded_and_published(http, friday, soeren, owner, visited):
    draft = http(soeren).put(
        f"/visits/{visited.pk}/report",
        json={
            "self_monitoring": "Egenkontrollen er ført.",
            "follows_up": True,
            "conclusion": "Reglerne overholdes.",
        },
    )
    assert draft.status_code == 200, draft.text
    assert draft.json()["report"]["conclusion"] == "Reglerne overholdes."
    # The business does not read the draft, nor download a report that is not sent.
    assert http(owner).get(f"/visits/{visited.pk}").json()["report"] is None
    assert_error(http(owner).get(f"/visits/{visited.pk}/report"), 404, code="not_found")

    sent = http(soeren).post(
        f"/visits/{visited.pk}/report/send", headers={"If-Match": draft.headers["ETag"]}
    )

    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "reported"
    assert sent.json()["report_download"] == f"/api/v1/visits/{visited.pk}/report"
    mine = http(owner).get(f"/visits/{visited.pk}").json()
    assert mine["report"]["conclusion"] == "Reglerne overholdes."
    pdf = http(owner).get(f"/visits/{visited.pk}/report")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"

    published = http(soeren).post(f"/visits/{visited.pk}/publish")

    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    assert published.json()["published_on"] == "2026-12-07"


def test_a_report_without_its_conclusions_is_not_sent(http, friday, soeren, visited, counts):
    before, rows = state(visited), counts()

    response = http(soeren).post(f"/visits/{visited.pk}/report/send")

    body = assert_error(response, 422, code="validation_failed")
    assert {"self_monitoring", "conclusion"} <= set(body["errors"])
    assert state(visited) == before and counts() == rows


def test_publishing_before_the_report_is_sent_is_refused(http, friday, soeren, ready, counts):
    before, rows = state(ready), counts()

    stale = http(soeren).post(f"/visits/{ready.pk}/publish", headers={"If-Match": '"1"'})
    early = http(soeren).post(f"/visits/{ready.pk}/publish")

    assert_error(stale, 412, code="precondition_failed")
    assert_error(early, 409, code="illegal_transition")
    assert state(ready) == before and counts() == rows


def test_staff_reading_a_visit_and_its_report_is_logged(http, friday, soeren, ready):
    visit_report_send(visit=ready, actor=soeren)
    before = PersonalDataRead.objects.count()

    assert http(soeren).get(f"/visits/{ready.pk}").status_code == 200
    assert http(soeren).get(f"/visits/{ready.pk}/report").status_code == 200

    rows = list(PersonalDataRead.objects.order_by("id")[before:])
    assert [(r.use, r.purpose, r.case_id) for r in rows] == [
        ("api_read", "inspection", ready.case_id),
        ("document", "inspection", ready.case_id),
    ]


# --- the list -------------------------------------------------------------------------------


def test_the_visit_list_is_keyset_pages_by_state(http, friday, soeren, owner, create, offered):
    second = create(kind="unplanned")
    third = create(kind="unplanned")
    client = http(soeren)

    first_page = client.get("/visits", params={"limit": 2})
    assert first_page.status_code == 200, first_page.text
    assert [v["id"] for v in first_page.json()["items"]] == [offered.pk, second.pk]
    create(kind="unplanned")  # a visit added meanwhile comes after, not in between
    rest = client.get(first_page.json()["next"].removeprefix("/api/v1"))

    assert [v["id"] for v in rest.json()["items"]][:1] == [third.pk]
    assert len(rest.json()["items"]) == 2 and rest.json()["next"] is None
    only_offered = client.get("/visits", params={"state": "open"}).json()["items"]
    assert len(only_offered) == 4
    assert client.get("/visits", params={"state": "report_due"}).json()["items"] == []
    mine = http(owner).get("/visits").json()["items"]
    assert {v["id"] for v in mine} == set(
        Visit.objects.filter(case__business__cvr=offered.case.business.cvr).values_list(
            "pk", flat=True
        )
    )
    assert all(v["plan_item"] is None for v in mine)
    assert_error(client.get("/visits", params={"cursor": "bm90LWEtY3Vyc29y"}), 422, field="cursor")
    assert_error(client.get("/visits", params={"state": "soon"}), 422, field="state")


@pytest.mark.parametrize("persona", ["soeren", "owner"])
def test_the_visit_list_runs_the_same_queries_for_one_visit_as_for_many(
    request, client, token_for, friday, create, persona
):
    user = request.getfixturevalue(persona)

    def measure() -> tuple[int, int]:
        token = token_for(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), len(response.json()["items"])

    from erhvervskontakt.inspections.services.visits import visit_offer_slots

    inspector = request.getfixturevalue("soeren")
    visit_offer_slots(visit=create(), actor=inspector, slots=list(THREE))
    one, shown = measure()
    assert shown == 1
    for _ in range(9):
        visit_offer_slots(visit=create(kind="unplanned"), actor=inspector, slots=list(THREE))
    many, shown = measure()

    assert shown == 10
    assert VisitSlot.objects.count() == 30
    assert many == one
