"""Who is told when the business writes or books a visit, through the real worker and a real
SMTP server: the coordinator (and the caseworker given a task on the case) at once; the
business and the inspector, each with a calendar file (.ics) for the booked time.

Calendar: received Fri 27 Nov 2026 09:00, screened Mon 30 Nov 2026 by Karen; the visit's
times are offered on Tue 1 Dec 2026 for 7, 8 and 10 Dec.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from erhvervskontakt.cases.models import Event
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.cases.services.tasks import task_claim
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.services.visits import visit_choose_slot, visit_offer_slots
from erhvervskontakt.inspections.tests.visits import make_visit
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import case_mails, delivery, sweep

from .conftest import PORTAL_URL, cph

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def screened(building_case, karen, bodil, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    deliver_all()
    smtp.received.clear()
    return case


# --- the business writes -------------------------------------------------------------------


def test_the_coordinator_is_told_at_once_when_the_business_writes(
    screened, owner, smtp, deliver_all
):
    message = case_message_post(case=screened, actor=owner, body="Hvornår hører vi fra jer?\nMvh")
    deliver_all()

    mail = smtp.one(to="karen@kommune.test", kind="business_message")
    assert mail.subject == f"Ny besked fra Fynsk Maskinfabrik ApS på {screened.reference}"
    assert "Hvornår hører vi fra jer?\nMvh" in mail.text
    link = f"{PORTAL_URL}/medarbejder/sager/{screened.reference}/"
    assert link in mail.links()
    assert f'href="{link}"' in mail.html
    assert smtp.to("ejer@fynsk.dk") == []  # the business is not mailed its own message
    event = Event.objects.get(
        case=screened, kind="notification_sent", data__kind="business_message"
    )
    assert event.internal
    assert event.business_text == ""
    assert event.text == "E-mail om beskeden fra virksomheden sendt til Karen Kofoed."
    notification = Notification.objects.get(kind="business_message")
    assert notification.dedupe_key.startswith(f"business_message:message={message.pk}:")


def test_the_caseworker_with_a_task_on_the_case_is_told_too(
    screened, owner, bodil, smtp, deliver_all
):
    task = screened.tasks.get(department=bodil.department)
    task_claim(task=task, actor=bodil)
    deliver_all()
    smtp.received.clear()

    case_message_post(case=screened, actor=owner, body="Tegningerne kommer i morgen.")
    deliver_all()

    assert sorted(r for m in smtp.received for r in m.rcpt_tos) == [
        "bodil@kommune.test",
        "karen@kommune.test",
    ]
    assert "Tegningerne kommer i morgen." in smtp.one(to="bodil@kommune.test").text


def test_staff_messages_and_internal_notes_tell_no_staff(screened, karen, smtp, deliver_all):
    case_message_post(case=screened, actor=karen, body="Husk tegningerne.")
    case_message_post(case=screened, actor=karen, body="Intern note", internal=True)
    deliver_all()

    assert smtp.kinds() == ["staff_message"]
    assert not Notification.objects.filter(kind="business_message").exists()


def test_the_notice_of_a_business_message_is_sent_once_however_often_it_is_announced(
    screened, owner, smtp, deliver_all
):
    message = case_message_post(case=screened, actor=owner, body="Et spørgsmål.")
    for _ in range(3):
        case_mails.case_event_notify(
            kind="business_message", case_id=screened.pk, message_id=message.pk
        )
    deliver_all()
    deliver_all()

    assert len(smtp.to("karen@kommune.test")) == 1
    assert Notification.objects.filter(kind="business_message").count() == 1


def test_a_refused_notice_is_retried_until_the_coordinator_gets_it(
    screened, owner, smtp, deliver_all, time_machine
):
    smtp.refuse_data = "451 4.3.0 Try again later"
    case_message_post(case=screened, actor=owner, body="Et spørgsmål.")
    deliver_all()
    notice = Notification.objects.get(kind="business_message")
    assert notice.status == Notification.Status.RETRY
    assert notice.last_error == "SMTPDataError: 451 4.3.0 Try again later"

    smtp.refuse_data = None
    time_machine.move_to(cph(2026, 11, 30, 9, 5), tick=False)
    sweep.sweep()
    deliver_all()

    notice.refresh_from_db()
    assert notice.status == Notification.Status.SENT
    assert notice.attempts == 2
    assert len(smtp.to("karen@kommune.test")) == 1


def test_before_screening_the_fixed_contact_person_is_told(
    building_case, karen, owner, business, smtp, deliver_all, time_machine
):
    business.contact_person = karen
    business.save()
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()
    assert case.coordinator_id is None

    case_message_post(case=case, actor=owner, body="Har I fået det hele?")
    deliver_all()

    assert smtp.one(to="karen@kommune.test", kind="business_message")


# --- a booked inspection visit -------------------------------------------------------------

SLOTS = [
    (cph(2026, 12, 8, 9), cph(2026, 12, 8, 11)),
    (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11)),
    (cph(2026, 12, 10, 13), cph(2026, 12, 10, 15)),
]


@pytest.fixture
def offered(catalogue, business, owner, karen, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    karen.phone = "+45 65 51 12 34"
    karen.title = "Miljømedarbejder"
    karen.save()
    time_machine.move_to(cph(2026, 12, 1, 9), tick=False)
    visit = make_visit(business=business, owner=owner, inspector=karen, status=Visit.Status.PLANNED)
    visit = visit_offer_slots(visit=visit, actor=karen, slots=list(SLOTS))
    deliver_all()
    smtp.received.clear()
    return visit


def _choose(visit: Visit, owner, index: int = 0) -> Visit:  # type: ignore[no-untyped-def]
    slot = visit.slots.order_by("starts_at")[index]
    return visit_choose_slot(visit=visit, actor=owner, slot_id=slot.pk)


def _calendar(mail) -> icalendar.Event:  # type: ignore[no-untyped-def]
    files = [p for p in mail.message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(files) == 1, [p.get_content_type() for p in mail.message.iter_attachments()]
    part = files[0]
    assert part.get_filename() == "tilsynsbesoeg.ics"
    raw = part.get_payload(decode=True)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def test_the_business_gets_a_confirmation_with_a_calendar_file(offered, owner, smtp, deliver_all):
    visit = _choose(offered, owner)
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="visit_booked")
    assert mail.subject == "Tid til tilsynsbesøg aftalt: mandag 7. december 2026 kl. 09.00–11.00"
    assert "mandag 7. december 2026 kl. 09.00–11.00" in mail.text
    assert visit.unit.address in mail.text
    assert "Tilsynsførende: Karen Kofoed, Miljømedarbejder" in mail.text
    assert "E-mail: karen@kommune.test · telefon +45 65 51 12 34" in mail.text
    assert "I " in mail.text and " du " not in mail.text
    event = _calendar(mail)
    assert event.decoded("dtstart") == cph(2026, 12, 7, 9)
    assert event.decoded("dtend") == cph(2026, 12, 7, 11)
    assert str(event["location"]) == f"{visit.unit.name}, {visit.unit.address}"
    assert "Karen Kofoed" in str(event["description"])
    assert "+45 65 51 12 34" in str(event["description"])
    assert str(event["organizer"]) == "mailto:karen@kommune.test"
    assert str(event["uid"]) == f"visit-{visit.pk}@kommune.example"
    confirmation = Event.objects.get(
        case=visit.case, kind="notification_sent", data__kind="visit_booked"
    )
    assert "Bekræftelse af tiden til tilsynsbesøget" in confirmation.text


def test_the_inspector_gets_a_notice_with_the_same_calendar_entry(
    offered, owner, smtp, deliver_all
):
    visit = _choose(offered, owner)
    deliver_all()

    mail = smtp.one(to="karen@kommune.test", kind="visit_booked_inspector")
    assert mail.subject.startswith(f"Tilsynsbesøg aftalt: {visit.unit.name} mandag 7. december")
    assert "Kontaktperson hos virksomheden: Eva Ejer, ejer@fynsk.dk, telefon +45 12 34 56 78" in (
        mail.text
    )
    assert f"{PORTAL_URL}/medarbejder/tilsyn/" in mail.text
    business = smtp.one(to="ejer@fynsk.dk", kind="visit_booked")
    assert _calendar(mail).to_ical() == _calendar(business).to_ical()
    event = Event.objects.get(
        case=visit.case, kind="notification_sent", data__kind="visit_booked_inspector"
    )
    assert event.internal


def test_a_booking_is_confirmed_once_and_a_retry_sends_the_same_file(
    offered, owner, smtp, deliver_all, time_machine
):
    smtp.refuse_data = "451 4.3.0 Try again later"
    visit = _choose(offered, owner)
    _choose(visit, owner)  # a double click changes nothing
    slot = visit.slots.get(status="chosen")
    case_mails.visit_booked_notify(visit_id=visit.pk, slot_id=slot.pk)  # announced again
    deliver_all()
    assert smtp.received == []
    assert Notification.objects.filter(kind__startswith="visit_booked").count() == 2
    stored = Notification.objects.get(kind="visit_booked").attachments

    smtp.refuse_data = None
    time_machine.move_to(cph(2026, 12, 1, 9, 5), tick=False)
    sweep.sweep()
    deliver_all()

    assert smtp.kinds() == ["visit_booked", "visit_booked_inspector"]
    mail = smtp.one(to="ejer@fynsk.dk", kind="visit_booked")
    assert (
        _calendar(mail).to_ical()
        == icalendar.Calendar.from_ical(stored[0]["content"]).walk("VEVENT")[0].to_ical()
    )
    assert Notification.objects.get(kind="visit_booked").attempts == 2


def test_the_calendar_file_escapes_what_the_text_contains():
    from erhvervskontakt.notifications import ics

    text = ics.event_ics(
        ics.CalendarEvent(
            uid="visit-1@kommune.example",
            sequence=2,
            stamp=cph(2026, 12, 1, 9),
            starts=cph(2026, 12, 7, 9),
            ends=cph(2026, 12, 7, 11),
            summary="Miljøtilsyn; olie, kemikalier",
            location="Værksted 1, Industrivej 1\\2, 5000 Odense C",
            description="Linje 1\nLinje 2 " + "x" * 100,
            organizer_name="Karen Kofoed",
            organizer_email="karen@kommune.test",
        )
    )
    assert "SUMMARY:Miljøtilsyn\\; olie\\, kemikalier\r\n" in text
    assert "Industrivej 1\\\\2\\, 5000" in text
    assert "Linje 1\\nLinje 2" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "DTSTART:20261207T080000Z\r\n" in text
    assert "SEQUENCE:2\r\n" in text
    assert "METHOD:PUBLISH\r\n" in text
    assert text.endswith("END:VCALENDAR\r\n")
    assert text == ics.event_ics(  # nothing in it depends on when it is made
        ics.CalendarEvent(
            uid="visit-1@kommune.example",
            sequence=2,
            stamp=cph(2026, 12, 1, 9),
            starts=cph(2026, 12, 7, 9),
            ends=cph(2026, 12, 7, 11),
            summary="Miljøtilsyn; olie, kemikalier",
            location="Værksted 1, Industrivej 1\\2, 5000 Odense C",
            description="Linje 1\nLinje 2 " + "x" * 100,
            organizer_name="Karen Kofoed",
            organizer_email="karen@kommune.test",
        )
    )
    parsed = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(parsed["summary"]) == "Miljøtilsyn; olie, kemikalier"
    assert parsed.decoded("dtstart") == dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)


def test_the_delivery_attaches_what_the_notification_stores(offered, owner, smtp):
    visit = _choose(offered, owner)
    notification = Notification.objects.get(kind="visit_booked")
    assert notification.attachments[0]["filename"] == "tilsynsbesoeg.ics"
    assert notification.attachments[0]["mimetype"] == "text/calendar"

    assert delivery.notification_deliver(notification_id=notification.pk) == "sent"

    part = next(smtp.one(to="ejer@fynsk.dk").message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert f"UID:visit-{visit.pk}@kommune.example" in part.get_content()
