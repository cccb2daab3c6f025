"""While a case awaits the business its answer clock is paused; when the material arrives the
estimate moves by exactly the working days that were paused.

Calendar used below: screening on Mon 30 Nov 2026. Working days after it: Dec 1–4 (1–4),
7–11 (5–9), 14–18 (10–14), 21–23 (15–17), 28–30 (18–20), Jan 4–8 (21–25), 11–15 (26–30),
18–22 (31–35). Closed over Christmas and New Year: Thu 24 Dec (closing day), Fri 25
(Juledag), Sat 26 (Anden juledag), Thu 31 Dec (closing day), Fri 1 Jan (Nytårsdag).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.cases.models import CaseStatus, Deliverable, Event
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


SCREENED = cph(2026, 11, 30, 9)  # Mon 30 Nov 2026, 09:00


@pytest.fixture
def awaiting(submit, karen, time_machine):
    """``awaiting(screen_at, **inquiry)``: received three days before (the Friday), screened at
    ``screen_at`` with something missing, so it awaits the business."""

    def make(screen_at: dt.datetime = SCREENED, **fields):
        time_machine.move_to(screen_at - dt.timedelta(days=3), tick=False)
        case = submit(**fields)
        time_machine.move_to(screen_at, tick=False)
        case = case_screen(case=case, actor=karen)
        assert case.status == CaseStatus.AWAITING_BUSINESS
        return case

    return make


def kinds_since(case, before: int) -> list[str]:
    return list(
        Event.objects.filter(case=case).order_by("id").values_list("kind", flat=True)[before:]
    )


def test_supplying_the_missing_answer_resumes_and_moves_the_estimate(awaiting, owner, time_machine):
    case = awaiting(service_types=["udeservering"], answers={})
    # Mon 30 Nov + 10 working days = Mon 14 Dec (estimate and the business's deadline).
    assert case.estimated_answer_date == dt.date(2026, 12, 14)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)  # Thu: 3 working days later
    resumed = case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    assert resumed.status == CaseStatus.IN_PROGRESS
    # Paused Tue 1, Wed 2, Thu 3 Dec = 3 working days; Mon 14 Dec + 3 = Thu 17 Dec.
    assert resumed.estimated_answer_date == dt.date(2026, 12, 17)
    assert resumed.estimate_at_screening == dt.date(2026, 12, 14)
    assert resumed.paused_since is None
    assert resumed.paused_working_days == 3
    assert resumed.version == case.version + 1
    assert kinds_since(case, events_before) == [
        "answer_added",
        "deliverable_delivered",
        "fully_informed",
        "status_changed",
        "estimate_moved",
    ]
    moved = resumed.events.get(kind="estimate_moved")
    assert moved.text == (
        "Forventet svar flyttet fra 14.12.2026 til 17.12.2026: sagen ventede 3 arbejdsdage "
        "på materiale fra virksomheden (fra 30.11.2026 til 03.12.2026)."
    )
    assert moved.actor == owner
    assert moved.data == {"old": "2026-12-14", "new": "2026-12-17", "paused_working_days": 3}


def test_the_delivery_plan_follows_the_material(awaiting, owner, time_machine):
    case = awaiting(service_types=["udeservering"], answers={})

    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)
    case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    business_line = case.deliverables.get(party=Deliverable.Party.BUSINESS)
    assert business_line.status == Deliverable.Status.DELIVERED
    assert business_line.delivered_at == cph(2026, 12, 3, 11)
    assert business_line.due_date == dt.date(2026, 12, 14)  # the business's deadline stays
    municipality_line = case.deliverables.get(party=Deliverable.Party.MUNICIPALITY)
    assert municipality_line.status == Deliverable.Status.PENDING
    assert municipality_line.due_date == dt.date(2026, 12, 17)  # moved with the estimate


def test_fully_informed_is_the_day_the_last_item_arrived(awaiting, owner, time_machine, pdf_bytes):
    case = awaiting(
        service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a", "etageareal": 900}
    )
    # Mon 30 Nov + 30 working days = Fri 15 Jan 2027.
    assert case.estimated_answer_date == dt.date(2027, 1, 15)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)  # Mon: 5 working days later
    document = case_add_document(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("tegninger.pdf", pdf_bytes, content_type="application/pdf"),
        requirement_key="tegninger",
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.fully_informed_on == dt.date(2026, 12, 7)
    # 7 Dec + 50 calendar days: 24 more in December, 26 in January → Tue 26 Jan 2027.
    assert case.service_target_date == dt.date(2027, 1, 26)
    # Paused Dec 1, 2, 3, 4, 7 = 5 working days; Fri 15 Jan + 5 = Fri 22 Jan 2027.
    assert case.estimated_answer_date == dt.date(2027, 1, 22)
    assert case.estimate_at_screening == dt.date(2027, 1, 15)
    assert kinds_since(case, events_before) == [
        "document_added",
        "deliverable_delivered",
        "fully_informed",
        "status_changed",
        "estimate_moved",
    ]
    assert document.content_type == "application/pdf"
    assert document.size == len(pdf_bytes)
    assert document.sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    with document.file.open("rb") as stored:
        assert stored.read() == pdf_bytes


def test_supplying_part_of_the_missing_material_keeps_the_case_paused(
    awaiting, owner, time_machine, png_bytes
):
    case = awaiting(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)
    partly = case_supply_answers(case=case, actor=owner, answers={"etageareal": 900})

    assert partly.status == CaseStatus.AWAITING_BUSINESS
    assert partly.paused_since == dt.date(2026, 11, 30)
    assert partly.estimated_answer_date == dt.date(2027, 1, 15)
    assert partly.fully_informed_on is None
    assert [m.key for m in case_missing(partly)] == ["tegninger"]
    assert dict(
        partly.deliverables.filter(party="business").values_list("requirement_key", "status")
    ) == {
        "etageareal": "delivered",
        "tegninger": "pending",
    }
    assert kinds_since(case, events_before) == ["answer_added", "deliverable_delivered"]

    # The rest arrives Mon 7 Dec: the whole pause from Mon 30 Nov counts (5 working days).
    time_machine.move_to(cph(2026, 12, 7, 9), tick=False)
    case_add_document(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("tegning.png", png_bytes, content_type="image/png"),
        requirement_key="tegninger",
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.paused_working_days == 5
    assert case.estimated_answer_date == dt.date(2027, 1, 22)
    assert case.fully_informed_on == dt.date(2026, 12, 7)


def test_a_pause_over_christmas_counts_only_working_days(awaiting, owner, time_machine):
    case = awaiting(cph(2026, 12, 21, 9), service_types=["udeservering"], answers={})
    # Mon 21 Dec + 10: Tue 22, Wed 23, Mon 28, Tue 29, Wed 30, Mon 4, Tue 5, Wed 6, Thu 7,
    # Fri 8 Jan 2027.
    assert case.estimated_answer_date == dt.date(2027, 1, 8)

    time_machine.move_to(cph(2027, 1, 4, 8, 30), tick=False)
    resumed = case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    # Paused: Tue 22, Wed 23, Mon 28, Tue 29, Wed 30 Dec, Mon 4 Jan = 6 working days
    # (24–27 Dec and 31 Dec – 3 Jan are closed). Fri 8 Jan + 6: 11, 12, 13, 14, 15, Mon 18.
    assert resumed.paused_working_days == 6
    assert resumed.estimated_answer_date == dt.date(2027, 1, 18)
    assert "ventede 6 arbejdsdage" in resumed.events.get(kind="estimate_moved").text
    assert resumed.deliverables.get(party="municipality").due_date == dt.date(2027, 1, 18)


def test_material_arriving_on_a_saturday_counts_the_working_days_before_it(
    awaiting, owner, time_machine
):
    case = awaiting(service_types=["udeservering"], answers={})

    time_machine.move_to(cph(2026, 12, 5, 12), tick=False)  # Saturday
    resumed = case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    # Paused Tue 1 – Fri 4 Dec = 4 working days; Mon 14 Dec + 4 = Fri 18 Dec.
    assert resumed.estimated_answer_date == dt.date(2026, 12, 18)
    # Fully informed on the Saturday it arrived (a calendar date, not a working day).
    assert resumed.fully_informed_on == dt.date(2026, 12, 5)


def test_material_arriving_on_the_screening_day_does_not_move_the_estimate(
    awaiting, owner, time_machine
):
    case = awaiting(service_types=["udeservering"], answers={})

    time_machine.move_to(cph(2026, 11, 30, 15), tick=False)  # same day, afternoon
    resumed = case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    assert resumed.status == CaseStatus.IN_PROGRESS
    assert resumed.paused_working_days == 0
    assert resumed.estimated_answer_date == dt.date(2026, 12, 14)
    assert not resumed.events.filter(kind="estimate_moved").exists()


def test_material_arriving_after_the_business_deadline_is_marked_late(
    awaiting, owner, time_machine
):
    case = awaiting(service_types=["udeservering"], answers={})

    time_machine.move_to(cph(2026, 12, 15, 10), tick=False)  # deadline was Mon 14 Dec
    resumed = case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    delivered = resumed.events.get(kind="deliverable_delivered")
    assert delivered.text == "Leveret af virksomheden: Oplys: Areal i m² (efter fristen)."
    # Paused Dec 1–4, 7–11, 14, 15 = 11 working days; Mon 14 Dec + 11: 15, 16, 17, 18, 21,
    # 22, 23, 28, 29, 30 Dec, Mon 4 Jan 2027.
    assert resumed.estimated_answer_date == dt.date(2027, 1, 4)


def test_staff_can_supply_material_on_the_business_s_behalf(awaiting, lars, time_machine):
    case = awaiting(service_types=["udeservering"], answers={})

    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)
    resumed = case_supply_answers(case=case, actor=lars, answers={"areal": 14})

    assert resumed.status == CaseStatus.IN_PROGRESS
    assert resumed.answers.get(key="areal").provided_by == lars
    assert resumed.events.get(kind="estimate_moved").actor == lars
