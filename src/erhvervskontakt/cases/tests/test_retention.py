"""Retention: the contact person's personal data in cases that ended longer ago than their
service types' retention period is anonymised; the case, its documents and its timeline
stay (``cases.services.retention``).

The clock: cases are received Fri 27 Nov 2026 and screened, answered and closed (or
withdrawn) Mon 30 Nov 2026. Outdoor serving (udeservering) keeps 5 years, so its period
runs out on 30 Nov 2031 and the cases are anonymised from Mon 1 Dec 2031.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import (
    Case,
    CaseStatus,
    Document,
    Event,
    InquiryDraft,
    Message,
    RetentionRun,
)
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.retention import (
    PLACEHOLDER,
    cases_anonymise_expired,
    message_mark_personal_data,
    retention_run_due,
    years_before,
)
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Municipality, ServiceType
from erhvervskontakt.common.errors import Forbidden
from erhvervskontakt.notifications.services.sweep import sweep
from erhvervskontakt.surveys.services import invitation_create

from .conftest import CONTACT, cph, upload

EXPIRED = cph(2031, 12, 1, 9)  # the first day after the 5 years
ANNIVERSARY = cph(2031, 11, 30, 23, 30)  # still within them


@pytest.fixture
def rules(catalogue: dict[str, ServiceType]) -> None:
    """Outdoor serving keeps 5 years; advice (raadgivning) has no rule; retention is on."""
    ServiceType.objects.filter(code="udeservering").update(retention_years=5)
    Municipality.objects.filter(pk=1).update(retention_enabled=True)


@pytest.fixture
def make(submit, karen, owner, time_machine, pdf_bytes) -> Callable[..., Case]:
    """``make(status, services=[...], closed_at=...)``: a case brought to ``status`` through
    the services, with a document, messages and a survey link when it was answered."""

    def build(
        status: str,
        *,
        services: list[str] | None = None,
        closed_at: dt.datetime | None = None,
        contact: dict[str, str] | None = None,
    ) -> Case:
        time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
        case = submit(
            service_types=services or ["udeservering"],
            contact=contact or dict(CONTACT),
            answers={"areal": 12},
        )
        time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
        if status == CaseStatus.WITHDRAWN:
            return case_withdraw(case=case, actor=owner)
        case = case_screen(case=case, actor=karen)
        if status == CaseStatus.IN_PROGRESS:
            return case
        case_add_document(case=case, actor=owner, upload=upload("skitse.pdf", pdf_bytes))
        case_message_post(
            case=case,
            actor=owner,
            body=f"Ring til {case.contact_name} på {case.contact_phone} eller skriv til "
            f"{case.contact_email}.",
        )
        private = case_message_post(case=case, actor=owner, body="Mit CPR-nummer er 010190-1234.")
        message_mark_personal_data(message=private, actor=karen, contains=True)
        case_message_post(case=case, actor=karen, body="Tak, vi vender tilbage.")
        case = case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
        invitation_create(case=case)  # its timeline entry quotes the contact's e-mail
        if status == CaseStatus.CLOSED:
            if closed_at is not None:
                time_machine.move_to(closed_at, tick=False)
            case = case_close(case=case, actor=karen)
        assert case.status == status
        return case

    return build


def snapshot(case: Case) -> dict[str, Any]:
    """What retention may change on a case, and what it must never change."""
    row = Case.objects.get(pk=case.pk)
    return {
        "contact": (row.contact_name, row.contact_email, row.contact_phone),
        "description": row.description,
        "kept": (
            row.reference,
            row.status,
            row.received_at,
            row.closed_at,
            row.withdrawn_at,
            row.answered_at,
            row.decision_summary,
            sorted(row.service_types.values_list("code", flat=True)),
        ),
        "messages": list(
            Message.objects.filter(case=row).order_by("pk").values_list("body", flat=True)
        ),
        "events": list(
            Event.objects.filter(case=row)
            .order_by("pk")
            .values_list("kind", "text", "business_text", "data")
        ),
        "documents": list(
            Document.objects.filter(case=row)
            .order_by("pk")
            .values_list("original_name", "size", "content_type", "sha256", "uploaded_at", "file")
        ),
    }


def test_years_before_keeps_the_date_and_moves_29_february_to_the_28th() -> None:
    assert years_before(dt.date(2031, 12, 1), 5) == dt.date(2026, 12, 1)
    assert years_before(dt.date(2028, 2, 29), 5) == dt.date(2023, 2, 28)


def test_a_dry_run_changes_nothing_and_lists_the_expired_case(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    before = snapshot(closed)
    time_machine.move_to(EXPIRED, tick=False)

    result = cases_anonymise_expired(dry_run=True)

    assert [c.reference for c in result.cases] == [closed.reference]
    found = result.cases[0]
    assert found.fields == ("contact_name", "contact_email", "contact_phone")
    assert (found.messages, found.events, found.retention_years) == (2, 1, 5)
    assert found.ended_on == dt.date(2026, 11, 30)
    assert snapshot(closed) == before
    run = RetentionRun.objects.get()
    assert run.dry_run and run.cases_count == 1 and run.finished_at is not None
    assert run.summary["cases"][0]["reference"] == closed.reference


def test_a_run_anonymises_exactly_the_ended_cases_past_their_period(
    rules: None, make: Callable[..., Case], time_machine, karen: User
) -> None:
    closed = make(CaseStatus.CLOSED)
    withdrawn = make(CaseStatus.WITHDRAWN)
    still_open = make(CaseStatus.IN_PROGRESS)
    answered = make(CaseStatus.ANSWERED)  # not closed: not ended
    recent = make(CaseStatus.CLOSED, closed_at=cph(2029, 3, 2, 10))  # within 5 years
    unruled = make(CaseStatus.CLOSED, services=["udeservering", "raadgivning"])
    kept_cases = [still_open, answered, recent, unruled]
    kept_before = [snapshot(case) for case in kept_cases]
    closed_before = snapshot(closed)
    time_machine.move_to(EXPIRED, tick=False)

    result = cases_anonymise_expired()

    assert sorted(c.reference for c in result.cases) == sorted(
        [closed.reference, withdrawn.reference]
    )
    assert [snapshot(case) for case in kept_cases] == kept_before
    after = snapshot(closed)
    assert after["contact"] == (PLACEHOLDER, "", "")
    assert after["kept"] == closed_before["kept"]
    assert after["documents"] == closed_before["documents"]
    assert after["messages"] == [
        # The contact's details quoted in an unmarked message are replaced, the rest kept.
        f"Ring til {PLACEHOLDER} på {PLACEHOLDER} eller skriv til {PLACEHOLDER}.",
        PLACEHOLDER,  # marked: the whole text
        "Tak, vi vender tilbage.",  # unmarked, no contact details: untouched
    ]
    # Every timeline entry stays, one is added; none quotes the contact any more.
    assert [kind for kind, *_ in after["events"]] == [
        kind for kind, *_ in closed_before["events"]
    ] + ["anonymised"]
    assert not [
        entry
        for entry in after["events"]
        if "eva@fynsk.dk" in str(entry) or "Eva Ejer" in str(entry)
    ]
    survey = next(entry for entry in after["events"] if entry[0] == "survey_invited")
    assert PLACEHOLDER in survey[1]
    entry = Event.objects.get(case=closed, kind="anonymised")
    assert entry.internal and entry.business_text == "" and entry.actor is None
    assert entry.data["fields"] == ["contact_name", "contact_email", "contact_phone"]
    assert entry.data["run"] == RetentionRun.objects.get().pk
    withdrawn_row = Case.objects.get(pk=withdrawn.pk)
    assert (withdrawn_row.contact_name, withdrawn_row.contact_email) == (PLACEHOLDER, "")
    assert withdrawn_row.status == CaseStatus.WITHDRAWN


def test_the_period_runs_out_the_day_after_its_anniversary(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(ANNIVERSARY, tick=False)
    assert cases_anonymise_expired().cases == []
    assert Case.objects.get(pk=closed.pk).contact_name == CONTACT["name"]

    time_machine.move_to(EXPIRED, tick=False)
    assert [c.reference for c in cases_anonymise_expired().cases] == [closed.reference]


def test_a_second_run_does_nothing_new_and_every_run_is_recorded(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)
    cases_anonymise_expired()
    after_first = snapshot(closed)
    version = Case.objects.get(pk=closed.pk).version

    second = cases_anonymise_expired()

    assert second.cases == []
    assert snapshot(closed) == after_first
    assert Case.objects.get(pk=closed.pk).version == version
    runs = list(RetentionRun.objects.order_by("pk").values_list("dry_run", "cases_count"))
    assert runs == [(False, 1), (False, 0)]


def test_switched_off_a_run_changes_and_records_nothing(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    Municipality.objects.filter(pk=1).update(retention_enabled=False)
    closed = make(CaseStatus.CLOSED)
    before = snapshot(closed)
    time_machine.move_to(EXPIRED, tick=False)

    result = cases_anonymise_expired()

    assert result.run is None and not result.enabled
    assert snapshot(closed) == before
    assert not RetentionRun.objects.exists()
    assert not retention_run_due()


def test_switched_off_a_dry_run_still_shows_what_would_happen(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    Municipality.objects.filter(pk=1).update(retention_enabled=False)
    closed = make(CaseStatus.CLOSED)
    before = snapshot(closed)
    time_machine.move_to(EXPIRED, tick=False)

    result = cases_anonymise_expired(dry_run=True)

    assert [c.reference for c in result.cases] == [closed.reference]
    assert snapshot(closed) == before
    assert RetentionRun.objects.get().summary["enabled"] is False


def test_a_service_type_without_a_rule_is_never_anonymised(
    catalogue: dict[str, ServiceType], make: Callable[..., Case], time_machine
) -> None:
    Municipality.objects.filter(pk=1).update(retention_enabled=True)  # but no rule anywhere
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(cph(2080, 1, 5), tick=False)

    assert cases_anonymise_expired().cases == []
    assert Case.objects.get(pk=closed.pk).contact_email == CONTACT["email"]


def test_the_longest_rule_of_the_case_s_service_types_applies(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    ServiceType.objects.filter(code="raadgivning").update(retention_years=10)
    closed = make(CaseStatus.CLOSED, services=["udeservering", "raadgivning"])
    time_machine.move_to(EXPIRED, tick=False)
    assert cases_anonymise_expired().cases == []

    time_machine.move_to(cph(2036, 12, 1, 9), tick=False)
    [done] = cases_anonymise_expired().cases
    assert (done.reference, done.retention_years) == (closed.reference, 10)


def test_drafts_lose_their_contact_when_submitted_as_the_case_or_older_than_the_period(
    rules: None, make: Callable[..., Case], time_machine, owner: User, business: Business
) -> None:
    closed = make(CaseStatus.CLOSED)
    contact = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}

    def draft(updated: dt.datetime, case: Case | None = None) -> InquiryDraft:
        return InquiryDraft.objects.create(
            user=owner,
            business=business,
            data={"service_types": ["udeservering"], "description": "Borde", "contact": contact},
            created_at=updated,
            updated_at=updated,
            submitted_case=case,
        )

    submitted = draft(cph(2026, 11, 27, 8), closed)
    abandoned = draft(cph(2026, 6, 1))
    lately = draft(cph(2031, 6, 1))
    time_machine.move_to(EXPIRED, tick=False)

    [done] = cases_anonymise_expired().cases

    assert done.drafts == 2
    anonymous = {"name": PLACEHOLDER, "email": "", "phone": ""}
    assert InquiryDraft.objects.get(pk=submitted.pk).data["contact"] == anonymous
    assert InquiryDraft.objects.get(pk=abandoned.pk).data["contact"] == anonymous
    assert InquiryDraft.objects.get(pk=lately.pk).data["contact"] == contact
    assert InquiryDraft.objects.get(pk=abandoned.pk).updated_at == cph(2026, 6, 1)


def test_the_pages_of_an_anonymised_case_still_render(
    rules: None, make: Callable[..., Case], time_machine, owner: User, karen: User
) -> None:
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)
    cases_anonymise_expired()
    portal, workbench = Client(), Client()
    portal.force_login(owner)
    workbench.force_login(karen)

    seen = portal.get(reverse("portal:case_detail", args=[closed.reference]))
    staff = workbench.get(reverse("workbench:case", args=[closed.reference]))

    assert seen.status_code == 200
    assert staff.status_code == 200
    assert "eva@fynsk.dk" not in staff.content.decode()
    assert PLACEHOLDER in staff.content.decode()


def test_only_staff_mark_messages_and_only_administrators_start_a_run(
    rules: None, make: Callable[..., Case], owner: User, karen: User
) -> None:
    answered = make(CaseStatus.ANSWERED)
    message = Message.objects.filter(case=answered, contains_personal_data=False).first()
    assert message is not None
    with pytest.raises(Forbidden):
        message_mark_personal_data(message=message, actor=owner, contains=True)
    with pytest.raises(Forbidden):
        cases_anonymise_expired(actor=karen)
    assert not Message.objects.get(pk=message.pk).contains_personal_data
    assert not RetentionRun.objects.exists()


def test_marking_a_message_is_in_the_staff_s_timeline(
    rules: None, make: Callable[..., Case], karen: User
) -> None:
    answered = make(CaseStatus.ANSWERED)
    entry = Event.objects.filter(case=answered, kind="message_personal_data").get()
    assert entry.internal and entry.data["contains_personal_data"] is True
    assert Message.objects.filter(case=answered, contains_personal_data=True).count() == 1


def test_a_case_costs_the_same_queries_however_many_messages_and_entries_it_has(
    rules: None, make: Callable[..., Case], time_machine, owner: User, karen: User
) -> None:
    def queries_of_a_run_over(case: Case) -> int:
        time_machine.move_to(EXPIRED, tick=False)
        with CaptureQueriesContext(connection) as run:
            [done] = cases_anonymise_expired().cases
        assert done.reference == case.reference
        return len(run)

    small = make(CaseStatus.CLOSED)
    small_run = queries_of_a_run_over(small)
    busy = make(CaseStatus.ANSWERED)
    time_machine.move_to(cph(2026, 11, 30, 15), tick=False)
    for n in range(6):
        case_message_post(case=busy, actor=owner, body=f"Eva Ejer, spørgsmål {n}.")
    busy = case_close(case=busy, actor=karen)

    assert queries_of_a_run_over(busy) == small_run  # 5 per run and 13 per case


# --- the command and the sweep -----------------------------------------------------------


def test_the_command_s_dry_run_lists_the_case_and_changes_nothing(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    before = snapshot(closed)
    time_machine.move_to(EXPIRED, tick=False)
    out = StringIO()

    call_command("apply_retention", "--dry-run", "--no-progress", stdout=out)

    text = out.getvalue()
    assert (
        f"{closed.reference} (afsluttet 30.11.2026, frist 5 år): ville blive anonymiseret" in text
    )
    assert "1 sag(er) ville blive anonymiseret" in text
    assert snapshot(closed) == before


def test_the_command_anonymises_and_says_so(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)
    out = StringIO()

    call_command("apply_retention", "--no-progress", stdout=out)

    assert "1 sag(er) anonymiseret" in out.getvalue()
    assert Case.objects.get(pk=closed.pk).contact_name == PLACEHOLDER


def test_the_command_switched_off_says_so_and_exits_normally(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    Municipality.objects.filter(pk=1).update(retention_enabled=False)
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)
    out = StringIO()

    call_command("apply_retention", "--no-progress", stdout=out)  # no CommandError

    assert "slået fra" in out.getvalue()
    assert Case.objects.get(pk=closed.pk).contact_name == CONTACT["name"]
    assert not RetentionRun.objects.exists()


def test_the_sweep_runs_retention_once_a_day_when_it_is_on(
    rules: None, make: Callable[..., Case], time_machine
) -> None:
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)

    first = sweep()
    second = sweep()

    assert first.anonymised == 1 and "Anonymiseret: 1 sag(er)." in str(first)
    assert second.anonymised == 0
    assert RetentionRun.objects.count() == 1
    assert Case.objects.get(pk=closed.pk).contact_name == PLACEHOLDER
    time_machine.move_to(EXPIRED + dt.timedelta(days=1), tick=False)
    assert retention_run_due()


def test_the_sweep_leaves_retention_alone_when_it_is_off(
    catalogue: dict[str, ServiceType], make: Callable[..., Case], time_machine
) -> None:
    ServiceType.objects.filter(code="udeservering").update(retention_years=5)
    closed = make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)

    assert sweep().anonymised == 0
    assert not RetentionRun.objects.exists()
    assert Case.objects.get(pk=closed.pk).contact_name == CONTACT["name"]


# --- the admin ---------------------------------------------------------------------------


def test_the_admin_shows_the_runs_the_rule_and_the_switch_read_only_where_it_must(
    rules: None, make: Callable[..., Case], time_machine, admin_user: User
) -> None:
    make(CaseStatus.CLOSED)
    time_machine.move_to(EXPIRED, tick=False)
    cases_anonymise_expired(actor=admin_user)
    client = Client()
    client.force_login(admin_user)
    run = RetentionRun.objects.get()
    service_type = ServiceType.objects.get(code="udeservering")

    runs = client.get(reverse("admin:cases_retentionrun_changelist"))
    one = client.get(reverse("admin:cases_retentionrun_change", args=[run.pk]))
    rule = client.get(reverse("admin:catalogue_servicetype_change", args=[service_type.pk]))
    switch = client.get(reverse("admin:catalogue_municipality_change", args=[1]))

    assert runs.status_code == one.status_code == rule.status_code == switch.status_code == 200
    assert run.actor == admin_user
    assert 'name="retention_years"' in rule.content.decode()
    assert 'name="retention_enabled"' in switch.content.decode()
    assert 'name="summary"' not in one.content.decode()  # read-only: no form field
    assert client.get(reverse("admin:cases_retentionrun_add")).status_code == 403


def test_the_admin_action_marks_messages_through_the_service(
    rules: None, make: Callable[..., Case], admin_user: User
) -> None:
    answered = make(CaseStatus.ANSWERED)
    plain = Message.objects.get(case=answered, body="Tak, vi vender tilbage.")
    client = Client()
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:cases_message_changelist"),
        {"action": "mark_personal_data", "_selected_action": [plain.pk]},
    )

    assert response.status_code == 302
    assert Message.objects.get(pk=plain.pk).contains_personal_data
    assert Event.objects.filter(case=answered, kind="message_personal_data").count() == 2
