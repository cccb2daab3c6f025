"""The life of a case: legal and illegal state changes, decision, close, withdraw, change of
coordinator, documents; every change is an event and bumps ``version``; nothing is deleted.

Calendar used below: received Fri 27 Nov 2026, screened Mon 30 Nov; outdoor serving takes
10 working days, so the estimate is Mon 14 Dec 2026 (Dec 1–4, 7–11, 14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from erhvervskontakt.cases import services
from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, Document, Event, Task
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def case_in(submit, karen, owner, time_machine) -> Callable[[str], Case]:
    """``case_in(status)``: an outdoor-serving case brought to that state through the
    services (received Fri 27 Nov, screened Mon 30 Nov; the clock then stays on Mon 30 Nov
    13:00)."""

    def make(status: str) -> Case:
        time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
        complete = status not in (CaseStatus.AWAITING_BUSINESS,)
        case = submit(answers={"areal": 12} if complete else {})
        time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
        if status == CaseStatus.WITHDRAWN:
            case = services.case_withdraw(case=case, actor=owner)
        elif status != CaseStatus.RECEIVED:
            case = services.case_screen(case=case, actor=karen)
        if status in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
            case = services.case_record_decision(case=case, actor=karen, summary="Tilladelse.")
        if status == CaseStatus.CLOSED:
            case = services.case_close(case=case, actor=karen)
        assert case.status == status
        time_machine.move_to(cph(2026, 11, 30, 13), tick=False)
        return case

    return make


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


# --- illegal transitions -----------------------------------------------------------------

ALL = [s.value for s in CaseStatus]


def _screen(case, karen, owner):
    return services.case_screen(case=case, actor=karen)


def _decide(case, karen, owner):
    return services.case_record_decision(case=case, actor=karen, summary="Tilladelse.")


def _close(case, karen, owner):
    return services.case_close(case=case, actor=karen)


def _withdraw(case, karen, owner):
    return services.case_withdraw(case=case, actor=owner)


def _answer(case, karen, owner):
    return services.case_supply_answers(case=case, actor=owner, answers={"areal": 20})


def _document(case, karen, owner):
    return services.case_add_document(case=case, actor=owner, upload=upload("x.pdf", b"%PDF-1.4"))


def _new_coordinator(case, karen, owner):
    return services.case_change_coordinator(case=case, actor=karen, coordinator="lars")


ILLEGAL = [
    (_screen, [s for s in ALL if s != CaseStatus.RECEIVED]),
    (_decide, [s for s in ALL if s != CaseStatus.IN_PROGRESS]),
    (_close, [s for s in ALL if s != CaseStatus.ANSWERED]),
    (_withdraw, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_answer, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_document, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_new_coordinator, [CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
]


@pytest.mark.parametrize(
    ("action", "status"),
    [(action, status) for action, statuses in ILLEGAL for status in statuses],
    ids=[
        f"{action.__name__[1:]}-from-{status}"
        for action, statuses in ILLEGAL
        for status in statuses
    ],
)
def test_an_illegal_change_is_refused_and_changes_nothing(
    case_in, karen, lars, owner, state_of, action, status
):
    case = case_in(status)
    before = state_of(case)

    with pytest.raises(IllegalTransition):
        action(case, karen, owner)

    assert state_of(case) == before
    assert not Document.objects.exists()


def test_the_illegal_transition_says_what_is_wrong(case_in, karen):
    case = case_in(CaseStatus.IN_PROGRESS)

    with pytest.raises(IllegalTransition) as refused:
        services.case_close(case=case, actor=karen)

    assert refused.value.message == (
        "En sag med status »Under behandling« kan ikke få status »Afsluttet«."
    )


# --- decision ----------------------------------------------------------------------------


def test_a_decision_answers_the_case_and_delivers_the_municipalitys_part(
    case_in, karen, time_machine
):
    case = case_in(CaseStatus.IN_PROGRESS)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 10, 14), tick=False)
    answered = services.case_record_decision(
        case=case, actor=karen, summary="  Tilladelse til 6 borde til 31.10.2027. "
    )

    assert answered.status == CaseStatus.ANSWERED
    assert answered.answered_at == cph(2026, 12, 10, 14)
    assert answered.decision_summary == "Tilladelse til 6 borde til 31.10.2027."
    assert answered.version == case.version + 1
    assert list(answered.deliverables.values_list("party", "status", "delivered_at")) == [
        ("municipality", "delivered", cph(2026, 12, 10, 14))
    ]
    assert list(answered.tasks.values_list("status", "done_at")) == [
        ("done", cph(2026, 12, 10, 14))
    ]
    assert list(answered.events.values_list("kind", flat=True)[events_before:]) == [
        "status_changed",
        "answered",
    ]
    event = answered.events.get(kind="answered")
    assert event.text == (
        "Svar givet 10.12.2026 (inden den lovede dato 14.12.2026): "
        "Tilladelse til 6 borde til 31.10.2027."
    )
    assert event.data == {"on_time": True}
    assert event.actor == karen


def test_an_answer_on_the_promised_day_keeps_the_promise(case_in, karen, time_machine):
    case = case_in(CaseStatus.IN_PROGRESS)

    time_machine.move_to(cph(2026, 12, 14, 16), tick=False)
    answered = services.case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    assert answered.events.get(kind="answered").data == {"on_time": True}


def test_an_answer_after_the_promised_day_says_so(case_in, karen, time_machine):
    case = case_in(CaseStatus.IN_PROGRESS)

    time_machine.move_to(cph(2026, 12, 15, 9), tick=False)
    answered = services.case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    event = answered.events.get(kind="answered")
    assert event.text == "Svar givet 15.12.2026 (efter den lovede dato 14.12.2026): Tilladelse."
    assert event.data == {"on_time": False}


def test_waiting_for_the_business_does_not_break_the_promise(case_in, karen, owner, time_machine):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)
    # Paused Dec 1, 2, 3 = 3 working days: the estimate moves from Mon 14 to Thu 17 Dec.
    case = services.case_supply_answers(case=case, actor=owner, answers={"areal": 12})
    assert case.estimated_answer_date == dt.date(2026, 12, 17)

    time_machine.move_to(cph(2026, 12, 16, 12), tick=False)
    answered = services.case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    event = answered.events.get(kind="answered")
    assert event.data == {"on_time": True}
    assert "inden den lovede dato 17.12.2026" in event.text


@pytest.mark.parametrize("summary", ["", "   "])
def test_a_decision_needs_a_summary(case_in, karen, state_of, summary):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_record_decision(case=case, actor=karen, summary=summary)

    assert list(refused.value.errors) == ["summary"]
    assert state_of(case) == before


def test_a_business_user_cannot_record_a_decision(case_in, owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(Forbidden):
        services.case_record_decision(case=case, actor=owner, summary="Ja tak.")

    assert state_of(case) == before


# --- close -------------------------------------------------------------------------------


def test_an_answered_case_can_be_closed(case_in, karen, time_machine):
    case = case_in(CaseStatus.ANSWERED)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 18, 15), tick=False)
    closed = services.case_close(case=case, actor=karen, note="Borde opstillet.")

    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at == cph(2026, 12, 18, 15)
    assert closed.version == case.version + 1
    [event] = closed.events.all()[events_before:]
    assert event.kind == "status_changed"
    assert event.text == "Status: Besvaret → Afsluttet. Borde opstillet."
    assert event.data == {"old": "answered", "new": "closed"}


def test_a_business_user_cannot_close_a_case(case_in, owner, state_of):
    case = case_in(CaseStatus.ANSWERED)
    before = state_of(case)

    with pytest.raises(Forbidden):
        services.case_close(case=case, actor=owner)

    assert state_of(case) == before


# --- withdraw ----------------------------------------------------------------------------


def test_the_business_can_withdraw_its_own_case_and_open_promises_are_waived(
    submit, karen, owner, time_machine
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = services.case_screen(case=case, actor=karen)
    time_machine.move_to(cph(2026, 12, 2, 9), tick=False)
    case = services.case_supply_answers(case=case, actor=owner, answers={"etageareal": 900})

    time_machine.move_to(cph(2026, 12, 4, 16), tick=False)
    withdrawn = services.case_withdraw(case=case, actor=owner, reason="Vi bygger et andet sted.")

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert withdrawn.withdrawn_at == cph(2026, 12, 4, 16)
    assert withdrawn.paused_since is None
    plan = {(d.party, d.requirement_key): (d.status, d.note) for d in withdrawn.deliverables.all()}
    assert plan == {
        ("municipality", ""): ("waived", "Sagen er trukket tilbage."),
        ("business", "etageareal"): ("delivered", ""),  # what was delivered stays delivered
        ("business", "tegninger"): ("waived", "Sagen er trukket tilbage."),
    }
    assert list(withdrawn.tasks.values_list("status", "done_at")) == [
        ("cancelled", cph(2026, 12, 4, 16))
    ]
    event = withdrawn.events.order_by("id").last()
    assert event.kind == "status_changed"
    assert event.actor == owner
    assert event.data == {"old": "awaiting_business", "new": "withdrawn"}
    assert "Vi bygger et andet sted." in event.text


def test_staff_can_withdraw_a_case_for_the_business(case_in, karen):
    case = case_in(CaseStatus.IN_PROGRESS)

    withdrawn = services.case_withdraw(case=case, actor=karen)

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert list(withdrawn.deliverables.values_list("status", flat=True)) == ["waived"]
    assert list(withdrawn.tasks.values_list("status", flat=True)) == ["cancelled"]
    assert withdrawn.events.order_by("id").last().actor == karen


def test_a_case_can_be_withdrawn_before_screening(case_in, owner):
    case = case_in(CaseStatus.RECEIVED)

    withdrawn = services.case_withdraw(case=case, actor=owner)

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert withdrawn.events.order_by("id").last().data == {"old": "received", "new": "withdrawn"}


def test_another_business_cannot_withdraw_a_case_it_cannot_see(case_in, other_owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(NotFound):
        services.case_withdraw(case=case, actor=other_owner)

    assert state_of(case) == before


def test_a_business_user_whose_access_ended_cannot_withdraw(case_in, owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    owner.memberships.update(active=False)
    before = state_of(case)

    with pytest.raises(NotFound):
        services.case_withdraw(case=case, actor=owner)

    assert state_of(case) == before


# --- change of coordinator ---------------------------------------------------------------


def test_staff_can_change_the_coordinator_and_the_fixed_contact_stays(
    case_in, karen, lars, business
):
    case = case_in(CaseStatus.IN_PROGRESS)
    assert case.coordinator == karen
    business.refresh_from_db()
    assert business.contact_person == karen

    changed = services.case_change_coordinator(
        case=case, actor=karen, coordinator="lars", reason="Karen holder ferie."
    )

    assert changed.coordinator == lars
    assert changed.version == case.version + 1
    event = changed.events.order_by("id").last()
    assert event.kind == "coordinator_changed"
    assert event.actor == karen
    assert (
        event.text == "Tovholder: Lars Lund (før: Karen Kofoed). Begrundelse: Karen holder ferie."
    )
    assert event.data == {"old": "karen", "new": "lars"}
    business.refresh_from_db()
    assert business.contact_person == karen


def test_an_answered_case_can_get_a_new_coordinator(case_in, karen, lars):
    case = case_in(CaseStatus.ANSWERED)

    changed = services.case_change_coordinator(case=case, actor=karen, coordinator=lars)

    assert changed.coordinator == lars


def test_changing_to_the_same_coordinator_changes_nothing(case_in, karen, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    services.case_change_coordinator(case=case, actor=karen, coordinator="karen")

    assert state_of(case) == before


@pytest.mark.parametrize("username", ["bodil", "findes-ikke"])
def test_the_new_coordinator_must_be_an_active_coordinator(
    case_in, karen, bodil, state_of, username
):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_change_coordinator(case=case, actor=karen, coordinator=username)

    assert list(refused.value.errors) == ["coordinator"]
    assert state_of(case) == before


def test_a_business_user_cannot_change_the_coordinator(case_in, owner, lars, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(Forbidden):
        services.case_change_coordinator(case=case, actor=owner, coordinator="lars")

    assert state_of(case) == before


# --- answers after intake ----------------------------------------------------------------


def test_a_changed_answer_is_logged_with_the_old_value(case_in, owner):
    case = case_in(CaseStatus.IN_PROGRESS)

    changed = services.case_supply_answers(case=case, actor=owner, answers={"areal": 20})

    assert changed.answers.get(key="areal").value == 20
    event = changed.events.order_by("id").last()
    assert event.kind == "answer_changed"
    assert event.data == {"key": "areal", "old": 12, "new": 20}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "answers"),
        ({"areal": "stor"}, "answers.areal"),
        ({"matrikel": "1a"}, "answers.matrikel"),
    ],
)
def test_bad_answers_after_intake_are_refused(case_in, owner, state_of, answers, field):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_supply_answers(case=case, actor=owner, answers=answers)

    assert list(refused.value.errors) == [field]
    assert state_of(case) == before


def test_another_business_cannot_answer_on_a_case(case_in, other_owner, state_of):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    before = state_of(case)

    with pytest.raises(NotFound):
        services.case_supply_answers(case=case, actor=other_owner, answers={"areal": 12})

    assert state_of(case) == before


# --- documents ---------------------------------------------------------------------------


@pytest.fixture
def building_case(submit, karen, time_machine) -> Case:
    """A building case awaiting its drawings (tegninger), screened Mon 30 Nov 2026."""
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a", "etageareal": 900, "areal": 10},
    )
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    return services.case_screen(case=case, actor=karen)


def test_the_type_of_a_document_is_judged_by_its_content_not_its_name(
    building_case, owner, png_bytes
):
    document = services.case_add_document(
        case=building_case,
        actor=owner,
        upload=upload("tegninger.pdf", png_bytes, content_type="application/pdf"),
        requirement_key="tegninger",
    )

    assert document.content_type == "image/png"
    assert document.original_name == "tegninger.pdf"
    assert document.uploaded_by == owner
    event = building_case.events.get(kind="document_added")
    assert event.text == (
        f"Dokument modtaget til »Tegninger«: tegninger.pdf (PNG, {len(png_bytes)} byte)."
    )
    assert event.data == {"document": document.pk, "requirement": "tegninger"}


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64, "exe"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64, "zip"),
        ("Matrikel 12a, tegninger følger.\n".encode() * 4, "plain text"),
    ],
)
def test_a_file_that_is_not_an_accepted_type_is_refused_whatever_its_name(
    building_case, owner, state_of, settings, content, what
):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_add_document(
            case=building_case,
            actor=owner,
            upload=upload("tegninger.pdf", content),
            requirement_key="tegninger",
        )

    assert list(refused.value.errors) == ["file"], what
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_an_empty_file_is_refused(building_case, owner, state_of, settings):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_add_document(case=building_case, actor=owner, upload=upload("x.pdf", b""))

    assert refused.value.errors == {"file": "Filen er tom."}
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_over_the_size_limit_is_refused(building_case, owner, state_of, settings, pdf_bytes):
    settings.DOCUMENT_MAX_BYTES = len(pdf_bytes) - 1
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_add_document(
            case=building_case, actor=owner, upload=upload("tegninger.pdf", pdf_bytes)
        )

    assert list(refused.value.errors) == ["file"]
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_of_exactly_the_size_limit_is_accepted(building_case, owner, settings, pdf_bytes):
    settings.DOCUMENT_MAX_BYTES = len(pdf_bytes)

    document = services.case_add_document(
        case=building_case, actor=owner, upload=upload("tegninger.pdf", pdf_bytes)
    )

    assert document.size == len(pdf_bytes)


@pytest.mark.parametrize(
    "key",
    [
        "findes-ikke",
        "matrikel",  # a field requirement: answered with text, not a document
        "ansoegningsskema",  # a document requirement, but of a service type not on this case
    ],
)
def test_a_document_must_meet_a_document_requirement_of_the_case(
    building_case, owner, state_of, settings, pdf_bytes, key
):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        services.case_add_document(
            case=building_case, actor=owner, upload=upload("a.pdf", pdf_bytes), requirement_key=key
        )

    assert list(refused.value.errors) == ["requirement"]
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_document_for_an_optional_requirement_or_none_meets_nothing_missing(
    building_case, owner, pdf_bytes
):
    services.case_add_document(
        case=building_case,
        actor=owner,
        upload=upload("skitse.pdf", pdf_bytes),
        requirement_key="skitse",
    )
    services.case_add_document(
        case=building_case, actor=owner, upload=upload("bilag.pdf", pdf_bytes)
    )

    building_case.refresh_from_db()
    assert building_case.status == CaseStatus.AWAITING_BUSINESS
    assert list(building_case.documents.values_list("requirement_key", flat=True)) == ["skitse", ""]
    assert building_case.deliverables.get(requirement_key="tegninger").status == "pending"


def test_a_document_name_cannot_climb_out_of_the_case_folder(building_case, owner, pdf_bytes):
    document = services.case_add_document(
        case=building_case, actor=owner, upload=upload("../../etc/passwd.pdf", pdf_bytes)
    )

    assert "/" not in document.original_name
    assert document.file.name.startswith(f"cases/2026/{building_case.reference}/")
    assert ".." not in document.file.name.split("/")


def test_another_business_cannot_add_a_document(building_case, other_owner, state_of, pdf_bytes):
    before = state_of(building_case)

    with pytest.raises(NotFound):
        services.case_add_document(
            case=building_case, actor=other_owner, upload=upload("x.pdf", pdf_bytes)
        )

    assert state_of(building_case) == before


# --- the record: events, version, nothing deleted ----------------------------------------


def test_every_change_is_an_event_and_a_new_version_and_nothing_is_lost(
    submit, karen, lars, owner, time_machine, pdf_bytes
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(service_types=["byggetilladelse-erhverv"], answers={})
    steps = [
        (cph(2026, 11, 30, 9), lambda c: services.case_screen(case=c, actor=karen)),
        (
            cph(2026, 12, 1, 9),
            lambda c: services.case_supply_answers(
                case=c, actor=owner, answers={"matrikel": "12a", "etageareal": 900}
            ),
        ),
        (
            cph(2026, 12, 2, 9),
            lambda c: services.case_add_document(
                case=c, actor=owner, upload=upload("t.pdf", pdf_bytes), requirement_key="tegninger"
            ),
        ),
        (
            cph(2026, 12, 3, 9),
            lambda c: services.case_change_coordinator(case=c, actor=karen, coordinator="lars"),
        ),
        (
            cph(2026, 12, 4, 9),
            lambda c: services.case_record_decision(case=c, actor=lars, summary="Tilladelse."),
        ),
        (cph(2026, 12, 7, 9), lambda c: services.case_close(case=c, actor=lars)),
    ]
    versions = [case.version]
    seen: list[int] = list(Event.objects.filter(case=case).values_list("id", flat=True))

    for moment, step in steps:
        time_machine.move_to(moment, tick=False)
        step(case)
        case.refresh_from_db()
        versions.append(case.version)
        now_ids = list(Event.objects.filter(case=case).values_list("id", flat=True))
        assert now_ids[: len(seen)] == seen  # earlier events are all still there
        assert len(now_ids) > len(seen)  # and this change added at least one
        assert set(
            Event.objects.filter(id__in=set(now_ids) - set(seen)).values_list("at", flat=True)
        ) == {moment}
        seen = now_ids

    assert versions == [1, 2, 3, 4, 5, 6, 7]
    assert case.status == CaseStatus.CLOSED
    assert Deliverable.objects.filter(case=case).count() == 4  # 1 municipality + 3 business
    assert Task.objects.filter(case=case).count() == 1


def test_a_case_with_a_timeline_cannot_be_deleted(case_in):
    case = case_in(CaseStatus.CLOSED)

    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=case.pk).delete()

    assert Case.objects.filter(pk=case.pk).exists()
    assert Event.objects.filter(case=case).count() > 0


def test_the_size_error_names_the_limit_in_words_a_person_reads(
    building_case, owner, settings, pdf_bytes
):
    settings.DOCUMENT_MAX_BYTES = 300 * 1024
    big = pdf_bytes + b"\n%" + b"x" * (400 * 1024)

    with pytest.raises(ValidationFailed) as refused:
        services.case_add_document(case=building_case, actor=owner, upload=upload("t.pdf", big))

    assert refused.value.errors["file"] == (
        f"Filen er for stor ({len(big) // 1024} KB); den må højst fylde 300 KB."
    )


def test_the_same_answers_again_change_nothing(building_case, owner, state_of):
    before = state_of(building_case)

    again = services.case_supply_answers(
        case=building_case, actor=owner, answers={"matrikel": "12a", "areal": 10}
    )

    assert state_of(building_case) == before
    assert again.version == before["version"]
