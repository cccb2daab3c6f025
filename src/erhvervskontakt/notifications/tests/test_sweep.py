"""The sweep: what becomes due when, recorded once, sent by the worker through real SMTP.

Calendar (2026): received Fri 27 Nov → screening due Fri 4 Dec. Screened Mon 30 Nov → missing
material due Mon 14 Dec (10 working days); outdoor serving answered by Mon 14 Dec; a building
permit by Fri 15 Jan 2027. Easter 2026: Thu 2 Apr (skærtorsdag), Fri 3 Apr (langfredag) and
Mon 6 Apr (2. påskedag) are holidays.
"""

from __future__ import annotations

import hashlib
import logging

import pytest

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Deliverable, Event
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import sweep
from erhvervskontakt.surveys.models import Invitation

from .conftest import PORTAL_URL, cph

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sweep_at(time_machine, deliver_all):  # type: ignore[no-untyped-def]
    """``sweep_at(instant)``: the clock moves there, the sweep runs, the worker sends."""

    def run(instant):  # type: ignore[no-untyped-def]
        time_machine.move_to(instant, tick=False)
        report = sweep.sweep()
        deliver_all()
        return report

    return run


@pytest.fixture
def awaiting(building_case, karen, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    """A building permit screened Mon 30 Nov by Karen; the drawings are due Mon 14 Dec."""
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    deliver_all()
    smtp.received.clear()
    return case


def drawings(case):  # type: ignore[no-untyped-def]
    return Deliverable.objects.get(case=case, party="business", requirement_key="tegninger")


# --- reminders of the business's deliverables ----------------------------------------------------


def test_the_business_is_reminded_two_working_days_before_its_deliverable_is_due(
    awaiting, smtp, sweep_at
):
    sweep_at(cph(2026, 12, 9, 10))  # Wed: three working days before
    assert smtp.received == []

    sweep_at(cph(2026, 12, 10, 10))  # Thu: two working days before Mon 14 Dec

    mail = smtp.one(to="ejer@fynsk.dk", kind="deliverable_reminder")
    assert mail.subject == (
        f"Påmindelse: Send: Tegninger senest 14. december 2026 ({awaiting.reference})"
    )
    assert "- Send: Tegninger – senest 14. december 2026" in mail.text
    assert f"{PORTAL_URL}/sager/{awaiting.reference}/" in mail.links()
    assert mail["Reply-To"] == "karen@kommune.test"
    event = Event.objects.get(case=awaiting, data__kind="deliverable_reminder")
    assert event.text == (
        "Påmindelse sendt på e-mail til virksomheden: »Send: Tegninger« senest 14.12.2026."
    )


def test_running_the_sweep_twice_sends_the_reminder_once(awaiting, smtp, sweep_at):
    first = sweep_at(cph(2026, 12, 10, 10))
    second = sweep_at(cph(2026, 12, 10, 10, 5))
    sweep_at(cph(2026, 12, 11, 10))  # and the next day: the same deliverable, the same date

    assert first.recorded["deliverable_reminder"] == 1
    assert second.recorded["deliverable_reminder"] == 0
    assert len(smtp.to("ejer@fynsk.dk")) == 1


def test_a_new_due_date_gets_its_own_reminder(awaiting, smtp, sweep_at):
    sweep_at(cph(2026, 12, 10, 10))
    Deliverable.objects.filter(pk=drawings(awaiting).pk).update(due_date="2026-12-18")

    sweep_at(cph(2026, 12, 16, 10))  # two working days before Fri 18 Dec

    assert [m.subject.rsplit(" senest ", 1)[1] for m in smtp.to("ejer@fynsk.dk")] == [
        f"14. december 2026 ({awaiting.reference})",
        f"18. december 2026 ({awaiting.reference})",
    ]


def test_a_reminder_that_would_fall_on_a_holiday_moves_to_the_working_day_before(
    building_case, karen, smtp, sweep_at, time_machine, deliver_all
):
    # Material due 8 working days after screening Mon 23 Mar 2026: Tue 7 Apr (after Easter).
    # One working day before it is not Easter Monday (6 Apr) but Wed 1 April.
    Municipality.objects.filter(pk=1).update(
        business_deliverable_working_days=8, deliverable_reminder_working_days=1
    )
    time_machine.move_to(cph(2026, 3, 20, 9), tick=False)
    case = building_case()
    time_machine.move_to(cph(2026, 3, 23, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    deliver_all()
    smtp.received.clear()
    assert str(drawings(case).due_date) == "2026-04-07"

    sweep_at(cph(2026, 3, 31, 10))  # Tue: two working days before
    assert smtp.received == []
    sweep_at(cph(2026, 4, 1, 10))  # Wed 1 April

    mail = smtp.one(to="ejer@fynsk.dk", kind="deliverable_reminder")
    assert "senest 7. april 2026" in mail.text


def test_an_overdue_deliverable_is_noticed_on_the_next_working_day(awaiting, smtp, sweep_at):
    Deliverable.objects.filter(pk=drawings(awaiting).pk).update(due_date="2026-12-18")  # a Fri
    sweep_at(cph(2026, 12, 18, 10))  # the reminder goes out; still due today
    smtp.received.clear()

    sweep_at(cph(2026, 12, 19, 10))  # Saturday: nobody is mailed at the weekend
    assert smtp.received == []
    sweep_at(cph(2026, 12, 21, 8))  # Monday

    mail = smtp.one(to="ejer@fynsk.dk", kind="deliverable_overdue")
    assert mail.subject == f"Fristen er overskredet: Send: Tegninger ({awaiting.reference})"
    assert "var 18. december 2026, og vi har ikke modtaget det endnu" in mail.text


def test_a_delivered_deliverable_is_not_reminded(awaiting, owner, smtp, sweep_at, pdf_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case_add_document(
        case=awaiting,
        actor=owner,
        upload=SimpleUploadedFile("t.pdf", pdf_bytes, content_type="application/pdf"),
        requirement_key="tegninger",
    )
    sweep_at(cph(2026, 12, 10, 10))
    sweep_at(cph(2026, 12, 15, 10))

    assert "deliverable_reminder" not in smtp.kinds()
    assert "deliverable_overdue" not in smtp.kinds()


# --- escalation ------------------------------------------------------------------------------------


@pytest.fixture
def hanne(db):  # type: ignore[no-untyped-def]
    return StaffFactory(
        username="hanne", first_name="Hanne", last_name="Skov", is_head_of_unit=True
    )


def test_a_missed_screening_deadline_is_escalated_to_the_head_of_unit_once(
    building_case, hanne, karen, smtp, sweep_at, time_machine, deliver_all
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    deliver_all()
    smtp.received.clear()

    sweep_at(cph(2026, 12, 4, 16))  # the deadline day itself
    sweep_at(cph(2026, 12, 5, 10))  # Saturday
    assert "screening_escalation" not in smtp.kinds()  # (Karen's digest lists it, though)
    sweep_at(cph(2026, 12, 7, 8))  # Monday: one working day late
    sweep_at(cph(2026, 12, 8, 8))

    mail = smtp.one(to="hanne@kommune.test", kind="screening_escalation")
    assert mail.subject == f"Screeningsfrist overskredet: {case.reference} Fynsk Maskinfabrik ApS"
    assert "screenet senest 4. december 2026 og er det ikke endnu (1 arbejdsdag over" in mail.text
    assert "Tovholder: ikke fordelt" in mail.text
    assert f"{PORTAL_URL}/medarbejder/sager/{case.reference}/" in mail.links()
    event = Event.objects.get(case=case, data__kind="screening_escalation")
    assert event.internal


def test_without_a_head_of_unit_the_escalation_goes_to_the_municipality_address(
    building_case, smtp, sweep_at, time_machine
):
    Municipality.objects.filter(pk=1).update(email="erhverv@kommune.test")
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()

    sweep_at(cph(2026, 12, 7, 8))

    assert smtp.one(to="erhverv@kommune.test", kind="screening_escalation")


def test_with_nobody_to_escalate_to_the_sweep_says_so_in_the_log(
    building_case, smtp, sweep_at, time_machine, caplog
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()

    with caplog.at_level(logging.WARNING):
        sweep_at(cph(2026, 12, 7, 8))

    assert not Notification.objects.filter(kind="screening_escalation").exists()
    assert "mark a head of unit in the admin" in caplog.text


# --- the coordinator's daily digest ----------------------------------------------------------------


@pytest.fixture
def desk(submit, building_case, karen, lars, other_business, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    """Mon 7 Dec 2026: what is on Karen's and Lars's desks.

    - ``unassigned``: another business (no fixed contact person), received Mon 30 Nov,
      screening due today;
    - ``late``: a building permit Karen screened Mon 30 Nov; the drawings were due Fri 4 Dec,
      the municipality's answer (moved by staff) Thu 3 Dec;
    - ``risky``: outdoor serving Karen screened Mon 30 Nov; answer due Mon 14 Dec, five
      working days away, and Vej og Park's task is still open.
    """
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    late = building_case()
    risky = submit()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    late = case_screen(case=late, actor=karen)
    risky = case_screen(case=risky, actor=karen)
    unassigned = submit(
        actor=karen, cvr=other_business.cvr, contact={"name": "Ib", "email": "ib@anden.dk"}
    )
    Deliverable.objects.filter(case=late, party="business").update(due_date="2026-12-04")
    Deliverable.objects.filter(case=late, party="municipality").update(due_date="2026-12-03")
    deliver_all()
    smtp.received.clear()
    return {"late": late, "risky": risky, "unassigned": unassigned}


def test_each_coordinator_gets_a_digest_of_what_needs_them_today(desk, smtp, sweep_at):
    sweep_at(cph(2026, 12, 7, 7, 30))

    karen_mail = smtp.one(to="karen@kommune.test", kind="coordinator_digest")
    late, risky, unassigned = (
        desk["late"].reference,
        desk["risky"].reference,
        desk["unassigned"].reference,
    )
    assert karen_mail.subject == "Dagens overblik 7. december 2026: 4 punkter"
    text = karen_mail.text
    assert (
        f"Skal screenes i dag eller næste arbejdsdag:\n- {unassigned} Anden Virksomhed A/S: "
        f"frist 7. december 2026 (ikke fordelt) {PORTAL_URL}/medarbejder/sager/{unassigned}/"
    ) in text
    assert (
        f"- {late} Fynsk Maskinfabrik ApS: Kommunen – Svar: Byggetilladelse til industri og lager, frist 3. december 2026"
        in text
    )
    assert (
        f"- {late} Fynsk Maskinfabrik ApS: Virksomheden – Send: Tegninger, frist 4. december 2026"
        in text
    )
    assert (
        f"- {risky} Fynsk Maskinfabrik ApS: svar 14. december 2026, åbne opgaver hos Vej og Park"
        in text
    )
    lars_mail = smtp.one(to="lars@kommune.test", kind="coordinator_digest")
    assert lars_mail.subject == "Dagens overblik 7. december 2026: 1 punkt"
    assert late not in lars_mail.text and risky not in lars_mail.text
    assert not Event.objects.filter(data__kind="coordinator_digest").exists()


def test_the_digest_comes_once_a_working_day_from_seven_oclock(desk, smtp, sweep_at):
    sweep_at(cph(2026, 12, 7, 6, 55))
    assert "coordinator_digest" not in smtp.kinds()

    sweep_at(cph(2026, 12, 7, 7, 0))
    sweep_at(cph(2026, 12, 7, 12, 0))
    sweep_at(cph(2026, 12, 12, 9, 0))  # Saturday

    assert smtp.kinds().count("coordinator_digest") == 2  # Karen and Lars, once each


def test_a_coordinator_with_nothing_to_do_gets_no_digest(karen, smtp, sweep_at):
    sweep_at(cph(2026, 12, 7, 7, 30))

    assert smtp.received == []


def test_the_digest_is_in_english_for_a_coordinator_who_chose_english(desk, lars, smtp, sweep_at):
    lars.language = "en"
    lars.save()

    sweep_at(cph(2026, 12, 7, 7, 30))

    mail = smtp.one(to="lars@kommune.test", kind="coordinator_digest")
    assert mail.subject == "Today's overview 7 December 2026: 1 item"
    assert "To screen today or on the next working day:" in mail.text
    assert "(unassigned)" in mail.text


# --- surveys ---------------------------------------------------------------------------------------


def test_a_survey_invitation_goes_out_on_the_working_day_after_the_answer(
    submit, karen, smtp, sweep_at, time_machine, deliver_all
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    time_machine.move_to(cph(2026, 12, 10, 14), tick=False)
    case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
    deliver_all()
    smtp.received.clear()

    sweep_at(cph(2026, 12, 10, 16))
    assert smtp.received == []
    sweep_at(cph(2026, 12, 11, 9))
    sweep_at(cph(2026, 12, 14, 9))

    mail = smtp.one(to="ejer@fynsk.dk", kind="survey_invitation")
    # The link carries the invitation's one-time token; only its hash is stored.
    links = [link for link in mail.links() if link.startswith(f"{PORTAL_URL}/tilfredshed/")]
    assert len(links) == 1
    token = links[0].removeprefix(f"{PORTAL_URL}/tilfredshed/").removesuffix("/")
    invitation = Invitation.objects.get(case=case)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert "Sag " + case.reference + " er besvaret." in mail.text
    sweep_at(cph(2026, 12, 15, 9))  # recorded once: no second e-mail, no second link
    assert smtp.kinds().count("survey_invitation") == 1
    assert Invitation.objects.filter(case=case).count() == 1


def test_cases_answered_long_ago_are_not_surveyed(submit, karen, smtp, sweep_at, time_machine):
    time_machine.move_to(cph(2026, 9, 1, 9), tick=False)
    case = case_screen(case=submit(), actor=karen)
    case_record_decision(case=case, actor=karen, summary="Givet.")

    sweep_at(cph(2026, 11, 2, 9))  # two months later (e.g. the first day in production)

    assert "survey_invitation" not in smtp.kinds()
