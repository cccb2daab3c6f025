"""Screening with an edited delivery plan, at service level (``case_screen_checked(plan=…)``).

The coordinator confirms the proposed plan line by line: a changed title or date, a line left
out with a reason, extra lines on either side. It is applied in the screening's transaction
through the deliverable services, so the timeline reads as if the plan were edited later;
a refusal changes nothing (``snapshot``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, Event
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import PlanLine, case_screen_checked
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict, Forbidden, ValidationFailed

from .conftest import snapshot

pytestmark = pytest.mark.django_db

BUILDING = "byggetilladelse-erhverv"


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def plan_of(case: Case) -> dict[str, tuple[str, str, dt.date, str]]:
    """The case's delivery plan by title: (party, status, due date, note)."""
    return {
        d.title: (d.party, d.status, d.due_date, d.note)
        for d in Deliverable.objects.filter(case=case)
    }


def events(case: Case, kind: str) -> list[str]:
    return list(Event.objects.filter(case=case, kind=kind).values_list("text", flat=True))


def test_the_confirmed_plan_changes_adds_and_logs_each_line_with_its_reason(karen, building_case):
    case = building_case()  # Byggeri, missing the drawings

    screened = case_screen_checked(
        case=case,
        actor=karen,
        expected_version=case.version,
        plan=[
            PlanLine(
                service_type=BUILDING,
                title="Svar: byggetilladelse til lagerhal",
                reason="Mere præcis tekst",
            ),
            PlanLine(requirement_key="tegninger", due_date=days(20), reason="Arkitekt på ferie"),
            PlanLine(party="business", title="Send brandplan", due_date=days(15)),
            PlanLine(
                party="municipality",
                title="Forhåndsmøde",
                due_date=days(7),
                reason="Aftalt i telefonen",
            ),
        ],
    )

    plan = plan_of(screened)
    estimate = screened.estimated_answer_date
    assert plan == {
        "Svar: byggetilladelse til lagerhal": ("municipality", "pending", estimate, ""),
        "Send: Tegninger": ("business", "pending", days(20), ""),
        "Send brandplan": ("business", "pending", days(15), "Tilføjet ved screeningen."),
        "Forhåndsmøde": ("municipality", "pending", days(7), "Aftalt i telefonen"),
    }
    changed = events(screened, "deliverable_changed")
    assert len(changed) == 2
    renamed = "»Svar: Byggetilladelse til industri og lager« → »Svar: byggetilladelse til lagerhal«"
    assert renamed in changed[0]
    assert "Begrundelse: Mere præcis tekst" in changed[0]
    assert "Begrundelse: Arkitekt på ferie" in changed[1]
    added = events(screened, "deliverable_added")
    assert added == [
        f"Ny leverance (virksomheden): Send brandplan, senest {days(15):%d.%m.%Y}. "
        "Begrundelse: Tilføjet ved screeningen.",
        f"Ny leverance (kommunen): Forhåndsmøde, senest {days(7):%d.%m.%Y}. "
        "Begrundelse: Aftalt i telefonen",
    ]
    assert screened.status == CaseStatus.AWAITING_BUSINESS


def test_untouched_lines_are_no_change(karen, building_case):
    case = building_case()

    screened = case_screen_checked(
        case=case,
        actor=karen,
        plan=[PlanLine(service_type=BUILDING), PlanLine(requirement_key="tegninger")],
    )

    assert events(screened, "deliverable_changed") == []
    assert set(plan_of(screened)) == {
        "Svar: Byggetilladelse til industri og lager",
        "Send: Tegninger",
    }


def test_leaving_out_the_only_missing_line_waives_it_and_the_case_goes_ahead(karen, building_case):
    case = building_case()

    screened = case_screen_checked(
        case=case,
        actor=karen,
        plan=[
            PlanLine(
                requirement_key="tegninger", leave_out=True, reason="Tegningerne ligger i arkivet"
            )
        ],
    )

    _party, status, _due, note = plan_of(screened)["Send: Tegninger"]
    assert (status, note) == (Deliverable.Status.WAIVED, "Tegningerne ligger i arkivet")
    assert events(screened, "deliverable_waived") == [
        "Leverance frafaldet: Send: Tegninger. Begrundelse: Tegningerne ligger i arkivet"
    ]
    assert screened.status == CaseStatus.IN_PROGRESS
    assert screened.paused_since is None
    assert screened.fully_informed_on == clock.today()
    # waived last: the status change follows the other plan events
    kinds = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.index("deliverable_waived") < kinds.index("fully_informed")


def test_answer_lines_follow_an_edited_estimate_unless_their_own_date_was_set(karen, make_case):
    case = make_case(service_types=["udeservering", "raadgivning"], answers={"areal": 12})
    estimate = days(60)

    screened = case_screen_checked(
        case=case,
        actor=karen,
        estimate=estimate,
        estimate_reason="Høring hos politiet",
        plan=[
            PlanLine(service_type="udeservering"),
            PlanLine(service_type="raadgivning", due_date=days(12), reason="Hurtigt svar lovet"),
        ],
    )

    assert screened.estimated_answer_date == estimate == screened.estimate_at_screening
    plan = plan_of(screened)
    assert plan["Svar: Udeservering"][2] == estimate
    assert plan["Svar: Rådgivning om etablering"][2] == days(12)
    # Set as the line was made (no change of a date never given): the staff's log says so.
    assert "begrundelse: Hurtigt svar lovet" in events(screened, "estimate_set")[0]
    assert events(screened, "deliverable_changed") == []


def test_the_business_deadline_fills_only_business_lines_without_their_own_date(karen, make_case):
    # environmental approval: missing listepunkt and the application form (matrikel answered)
    case = make_case(service_types=["miljoegodkendelse"], answers={"matrikel": "12a"})

    screened = case_screen_checked(
        case=case,
        actor=karen,
        business_due=days(25),
        plan=[PlanLine(requirement_key="ansoegningsskema", due_date=days(40), reason="Konsulent")],
    )

    plan = plan_of(screened)
    assert plan["Oplys: Listepunkt"][2] == days(25)
    assert plan["Send: Ansøgningsskema"][2] == days(40)
    # made with the deadline; only the line with its own date changes, once
    assert len(events(screened, "deliverable_changed")) == 1


def test_a_plan_with_errors_is_refused_with_every_error_and_nothing_changes(karen, building_case):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(ValidationFailed) as refused:
        case_screen_checked(
            case=case,
            actor=karen,
            estimate="2026-02-30",
            plan=[
                PlanLine(service_type=BUILDING, title="  "),
                PlanLine(requirement_key="tegninger", leave_out=True, reason=" "),
                PlanLine(party="business", title="x" * 251, due_date=days(-1)),
                PlanLine(party="naboen", title="Hæk klippes", due_date="i morgen"),
                PlanLine(party="municipality", title="Møde"),
                PlanLine(requirement_key="matrikel", due_date=days(3)),  # answered already
                PlanLine(service_type="udeservering"),  # not on the case
            ],
        )

    assert refused.value.errors == {
        "estimate": "Angiv en dato, fx 2026-12-01.",
        "plan.0.title": "Skriv, hvad der skal leveres.",
        "plan.1.reason": "Skriv, hvorfor linjen udelades.",
        "plan.2.title": "Teksten må højst være 250 tegn.",
        "plan.2.due_date": "Datoen kan ikke ligge i fortiden.",
        "plan.3.party": "Vælg, hvem der leverer: kommunen eller virksomheden.",
        "plan.3.due_date": "Angiv en dato, fx 2026-12-01.",
        "plan.4.due_date": "Angiv, hvornår det skal leveres.",
        "plan.5": "Linjen findes ikke i forslaget til leveranceplan.",
        "plan.6": "Linjen findes ikke i forslaget til leveranceplan.",
    }
    assert refused.value.message == "Screeningen er ikke udfyldt korrekt."
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_a_proposed_line_cannot_change_side_or_appear_twice(karen, building_case):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(ValidationFailed) as refused:
        case_screen_checked(
            case=case,
            actor=karen,
            plan=[
                PlanLine(service_type=BUILDING, party="business"),
                PlanLine(requirement_key="tegninger"),
                PlanLine(requirement_key="tegninger", due_date=days(9)),
            ],
        )

    assert refused.value.errors == {
        "plan.0.party": "En foreslået linje kan ikke skifte part.",
        "plan.2": "Linjen står to gange i leveranceplanen.",
    }
    assert snapshot(case) == before


def test_a_single_error_is_the_message(karen, make_case):
    case = make_case()

    with pytest.raises(ValidationFailed) as refused:
        case_screen_checked(
            case=case, actor=karen, plan=[PlanLine(party="business", title="Skitse")]
        )

    assert refused.value.message == "Angiv, hvornår det skal leveres."


def test_a_stale_version_is_refused_and_the_plan_is_not_applied(karen, lars, building_case):
    case = building_case()
    seen = case.version
    case_message_post(case=case, actor=lars, body="Jeg tager den", internal=True)
    before = snapshot(case)

    with pytest.raises(Conflict):
        case_screen_checked(
            case=case,
            actor=karen,
            expected_version=seen,
            plan=[PlanLine(party="business", title="Send brandplan", due_date=days(5))],
        )

    assert snapshot(case) == before


def test_only_staff_can_screen_with_a_plan(owner, building_case):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(Forbidden):
        case_screen_checked(
            case=case,
            actor=owner,
            plan=[PlanLine(requirement_key="tegninger", leave_out=True, reason="Nej")],
        )

    assert snapshot(case) == before
