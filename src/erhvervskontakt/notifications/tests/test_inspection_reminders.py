"""The inspection report's clocks in the sweep: the inspector is reminded once when the
report (2 months after the visit) or its publication (4 months) is due within 10 days, and
once when the deadline has passed — through real SMTP.

Calendar (2027): visited Mon 1 Feb → report due Thu 1 Apr, publication due Tue 1 Jun.
Easter 2027: Thu 25 Mar, Fri 26 Mar and Mon 29 Mar are holidays.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from erhvervskontakt.cases.models import Event
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.tests.visits import make_visit
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import sweep

from .conftest import PORTAL_URL, cph

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "inspection_report_due"


def reminders(smtp):  # type: ignore[no-untyped-def]
    """The reminders among what the server received (the unscreened inquiry behind each
    visit also puts the inspector's daily digest in the mailbox)."""
    return [m for m in smtp.received if m["X-Erhvervskontakt-Kind"] == KIND]


@pytest.fixture
def sweep_at(time_machine, deliver_all):  # type: ignore[no-untyped-def]
    def run(instant):  # type: ignore[no-untyped-def]
        time_machine.move_to(instant, tick=False)
        report = sweep.sweep()
        deliver_all()
        return report

    return run


@pytest.fixture
def visit_of(catalogue, business, owner, karen, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    """``visit_of(**fields)``: a visit by Karen to the business, carried out Mon 1 Feb 2027."""

    def make(**fields):  # type: ignore[no-untyped-def]
        time_machine.move_to(cph(2027, 2, 1, 9), tick=False)
        values = {"visited_on": dt.date(2027, 2, 1), "status": Visit.Status.VISITED}
        values.update(fields)
        visit = make_visit(business=business, owner=owner, inspector=karen, **values)
        deliver_all()  # the inquiry's receipt
        smtp.received.clear()
        return visit

    return make


def test_the_inspector_is_reminded_ten_days_before_the_report_is_due_and_once_only(
    visit_of, smtp, sweep_at
):
    visit = visit_of()
    assert visit.report_due == dt.date(2027, 4, 1)

    sweep_at(cph(2027, 3, 19, 10))  # Fri: 13 days before
    assert reminders(smtp) == []

    sweep_at(cph(2027, 3, 22, 10))  # Mon: 10 days before
    mail = smtp.one(to="karen@kommune.test", kind=KIND)
    assert mail.subject == (
        f"Frist om 10 dage: tilsynsrapport {visit.case.reference} Fynsk Maskinfabrik ApS"
    )
    assert "skal sendes til virksomheden senest 1. april 2027 – 2 måneder efter tilsynet." in (
        mail.text
    )
    assert "Der er 10 dage tilbage." in mail.text
    assert f"Tilsynet blev udført 1. februar 2027 (Basistilsyn). Sag {visit.case.reference}." in (
        mail.text
    )
    assert f"P-nummer {visit.unit.p_number}" in mail.text
    assert f"{PORTAL_URL}/medarbejder/tilsyn/besoeg/{visit.pk}/" in mail.links()
    assert "<strong>1. april 2027</strong>" in mail.html

    sweep_at(cph(2027, 3, 23, 10))  # the next day: nothing new
    sweep_at(cph(2027, 4, 1, 10))  # the due date itself: not overdue yet
    assert len(reminders(smtp)) == 1
    event = Event.objects.get(case=visit.case, data__kind=KIND)
    assert event.internal  # staff's reminder: never shown to the business
    assert event.text == (
        "Den tilsynsførende er på e-mail mindet om fristen for tilsynsrapporten (01.04.2027)."
    )


def test_the_inspector_hears_once_when_the_report_deadline_has_passed(visit_of, smtp, sweep_at):
    visit = visit_of()

    sweep_at(cph(2027, 4, 2, 10))  # Fri: the day after the deadline
    sweep_at(cph(2027, 4, 5, 10))  # Mon: still overdue, nothing new

    mail = smtp.one(to="karen@kommune.test", kind=KIND)
    assert mail.subject == (
        f"Over fristen: tilsynsrapport {visit.case.reference} Fynsk Maskinfabrik ApS"
    )
    assert "Fristen er overskredet med 1 dag." in mail.text
    assert Notification.objects.filter(kind=KIND).count() == 1
    assert Event.objects.get(case=visit.case, data__kind=KIND).text == (
        "Fristen for tilsynsrapporten (01.04.2027) er overskredet; den tilsynsførende er gjort "
        "opmærksom på det på e-mail."
    )


def test_a_sent_report_is_not_reminded_but_its_publication_is(visit_of, smtp, sweep_at):
    visit = visit_of(status=Visit.Status.REPORTED, report_sent_on=dt.date(2027, 3, 30))
    assert visit.publish_due == dt.date(2027, 6, 1)

    sweep_at(cph(2027, 3, 22, 10))  # the report's window: it is sent
    sweep_at(cph(2027, 5, 21, 10))  # Fri: 11 days before publication
    assert reminders(smtp) == []

    sweep_at(cph(2027, 5, 24, 10))  # Mon: 8 days before (the Saturday was the 10th)
    soon = smtp.one(to="karen@kommune.test", kind=KIND)
    assert soon.subject == (
        f"Frist om 8 dage: offentliggørelse af tilsynsrapport {visit.case.reference} "
        "Fynsk Maskinfabrik ApS"
    )
    assert "skal offentliggøres senest 1. juni 2027 – 4 måneder efter tilsynet." in soon.text

    sweep_at(cph(2027, 6, 2, 10))  # Wed: the day after
    late = reminders(smtp)[-1]
    assert len(reminders(smtp)) == 2
    assert late.subject.startswith("Over fristen: offentliggørelse af tilsynsrapport")
    assert "Fristen er overskredet med 1 dag." in late.text


def test_published_and_cancelled_visits_get_no_reminders(visit_of, smtp, sweep_at):
    visit_of(
        status=Visit.Status.PUBLISHED,
        report_sent_on=dt.date(2027, 3, 1),
        published_on=dt.date(2027, 3, 2),
    )
    visit_of(status=Visit.Status.CANCELLED)

    for day in (dt.date(2027, 3, 22), dt.date(2027, 4, 2), dt.date(2027, 5, 24)):
        sweep_at(cph(day.year, day.month, day.day, 10))

    assert reminders(smtp) == []


def test_a_moved_visit_date_reminds_again_for_the_new_deadline(visit_of, smtp, sweep_at):
    visit = visit_of()
    sweep_at(cph(2027, 3, 22, 10))
    assert len(reminders(smtp)) == 1

    Visit.objects.filter(pk=visit.pk).update(
        visited_on=dt.date(2027, 2, 3), report_due=dt.date(2027, 4, 3)
    )
    sweep_at(cph(2027, 3, 24, 10))

    assert len(reminders(smtp)) == 2
    assert "senest 3. april 2027" in reminders(smtp)[-1].text


def test_the_inspector_reads_it_in_english_when_that_is_their_language(
    visit_of, karen, smtp, sweep_at
):
    karen.language = "en"
    karen.save()
    visit = visit_of()

    sweep_at(cph(2027, 3, 22, 10))

    mail = smtp.one(to="karen@kommune.test", kind=KIND)
    assert mail.subject == (
        f"Due in 10 days: inspection report {visit.case.reference} Fynsk Maskinfabrik ApS"
    )
    assert "must be sent to the business by 1 April 2027" in mail.text


def test_an_inactive_inspector_is_logged_not_mailed(visit_of, karen, smtp, sweep_at, caplog):
    visit_of()
    karen.is_active = False
    karen.save()

    with caplog.at_level(logging.WARNING, logger="erhvervskontakt.notifications.services"):
        sweep_at(cph(2027, 3, 22, 10))

    assert reminders(smtp) == []
    assert "has no e-mail or is inactive" in caplog.text


def test_old_deadlines_are_not_mailed_on_a_first_run(visit_of, smtp, sweep_at):
    visit_of()  # report due 1 April

    sweep_at(cph(2027, 5, 24, 10))  # 53 days later: beyond the sweep's catch-up

    assert reminders(smtp) == []
