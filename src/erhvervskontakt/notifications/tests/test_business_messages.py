"""E-mails to the business, through the real worker and a real SMTP server.

Calendar: received Fri 27 Nov 2026 09:00 → screening due Fri 4 Dec 2026 (5 working days).
Screened Mon 30 Nov 2026: outdoor serving (10 working days) → answer Mon 14 Dec 2026; a
building permit (30 working days) → Fri 15 Jan 2027 (24, 25 and 31 Dec are closed, 25–26 Dec
and 1 Jan are holidays); missing material is due 10 working days after screening, Mon 14 Dec.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Deliverable, Event
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import case_set_estimate
from erhvervskontakt.cases.services.screening import case_screen, case_screen_checked
from erhvervskontakt.catalogue.models import Department
from erhvervskontakt.common import clock
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import case_mails

from .conftest import cph

pytestmark = pytest.mark.django_db(transaction=True)

PORTAL = "http://127.0.0.1:8000"


def assert_links_to_the_case_in_the_portal(mail, reference):  # type: ignore[no-untyped-def]
    link = f"{PORTAL}/sager/{reference}/"
    assert link in mail.links()
    assert f'href="{link}"' in mail.html
    match = resolve(urlsplit(link).path)
    assert match.view_name == "portal:case_detail"
    assert match.kwargs == {"reference": reference}


@pytest.fixture
def received(building_case, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    return building_case()


@pytest.fixture
def screened(received, karen, bodil, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    return case_screen(case=received, actor=karen)


# --- receipt ------------------------------------------------------------------------------------


def test_the_receipt_gives_the_reference_the_screening_deadline_and_what_is_missing(
    received, smtp, deliver_all
):
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="receipt")
    assert mail.subject == f"Vi har modtaget jeres henvendelse {received.reference}"
    assert mail["From"] == settings.DEFAULT_FROM_EMAIL
    assert mail["To"] == "ejer@fynsk.dk"
    assert mail.envelope_from == "erhvervskontakt@kommune.example"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].startswith("<ek.")
    assert not mail["Reply-To"]  # no coordinator yet
    assert "Kære Eva Ejer" in mail.text
    assert "Sagsnummer: " + received.reference in mail.text
    assert "senest 4. december 2026" in mail.text
    assert "<strong>4. december 2026</strong>" in mail.html
    assert "Der mangler endnu:\n- Tegninger\n" in mail.text
    assert "<li>Tegninger</li>" in mail.html
    assert_links_to_the_case_in_the_portal(mail, received.reference)


def test_the_receipt_is_in_english_when_the_business_user_chose_english(
    building_case, owner, smtp, deliver_all, catalogue, time_machine
):
    owner.language = "en"
    owner.save()
    building = catalogue["byggetilladelse-erhverv"]
    building.name_en = "Building permit for industry and warehouses"
    building.save()
    building.requirements.filter(key="tegninger").update(label_en="Drawings")
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = building_case()

    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="receipt")
    assert mail.subject == f"We have received your inquiry {case.reference}"
    assert "Thank you for your inquiry about Building permit for industry" in mail.text
    assert "by 4 December 2026" in mail.text
    assert "Still missing:\n- Drawings\n" in mail.text
    assert '<html lang="en">' in mail.html
    assert Notification.objects.get(kind="receipt").language == "en"


def test_a_contact_without_a_portal_user_gets_danish(submit, karen, smtp, deliver_all, owner):
    owner.language = "en"  # the owner chose English, but the contact is someone else
    owner.save()
    submit(
        actor=karen,
        channel="phone",
        contact={"name": "Bo Bogholder", "email": "bo@revisor.dk"},
    )

    deliver_all()

    mail = smtp.one(to="bo@revisor.dk", kind="receipt")
    assert mail.subject.startswith("Vi har modtaget jeres henvendelse")
    assert "Alle de oplysninger, vi skal bruge, er med." in mail.text
    assert smtp.to("ejer@fynsk.dk") == []


def test_every_e_mail_sent_is_an_event_in_the_case_timeline(received, smtp, deliver_all):
    deliver_all()

    event = Event.objects.get(case=received, kind="notification_sent")
    assert event.text == "Kvittering sendt på e-mail til virksomheden."
    assert not event.internal
    assert "@" not in event.text


def test_history_replayed_under_the_domain_clock_is_not_announced(submit, smtp, deliver_all):
    """The demo loader replays a year of cases through the services (clock.travel)."""
    with clock.travel(cph(2025, 11, 27, 9)):
        submit()

    deliver_all()

    assert not Notification.objects.exists()
    assert smtp.received == []


def test_a_failing_announcement_is_logged_and_never_reaches_the_person_who_acted(received, caplog):
    from django.utils import timezone

    from erhvervskontakt.cases.announcements import CaseChanged
    from erhvervskontakt.notifications import hooks

    hooks.case_changed(CaseChanged(kind="no-such-change", at=timezone.now(), case=received.pk))  # type: ignore[arg-type]

    assert "Could not record the e-mails for no-such-change" in caplog.text


def test_announcing_the_same_change_twice_sends_one_e_mail(received, smtp, deliver_all):
    again = case_mails.case_event_notify(kind="received", case_id=received.pk)

    deliver_all()

    assert again == []
    assert len(smtp.to("ejer@fynsk.dk")) == 1


# --- screening ----------------------------------------------------------------------------------


def test_the_screening_result_names_the_coordinator_the_estimate_and_the_delivery_plan(
    screened, karen, smtp, deliver_all
):
    karen.phone = "65 51 10 21"
    karen.title = "Erhvervskonsulent"
    karen.save()
    Notification.objects.filter(kind="screening_result").delete()  # re-render with the phone
    case_mails.case_event_notify(kind="screened", case_id=screened.pk)

    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="screening_result")
    assert mail.subject == (
        f"Jeres henvendelse {screened.reference} er screenet – forventet svar 15. januar 2027"
    )
    assert mail["Reply-To"] == "karen@kommune.test"
    assert (
        "Jeres kontaktperson i kommunen: Karen Kofoed, Erhvervskonsulent\n"
        "E-mail: karen@kommune.test · telefon 65 51 10 21"
    ) in mail.text
    assert "I leverer:\n- Send: Tegninger – senest 14. december 2026\n" in mail.text
    assert (
        "Kommunen leverer:\n- Svar: Byggetilladelse til industri og lager – senest 15. januar 2027"
        in mail.text
    )
    assert '<a href="mailto:karen@kommune.test">karen@kommune.test</a>' in mail.html
    assert_links_to_the_case_in_the_portal(mail, screened.reference)


def test_the_business_never_sees_a_caseworker_or_department_address(
    screened, bodil, smtp, deliver_all
):
    deliver_all()

    for mail in smtp.to("ejer@fynsk.dk"):
        raw = mail.message.as_string()
        assert "bodil@kommune.test" not in raw
        assert "bodil" not in mail.text.lower()


def test_the_department_gets_its_new_task(screened, bodil, smtp, deliver_all):
    deliver_all()

    mail = smtp.one(to="bodil@kommune.test", kind="department_task")
    assert mail.subject == (f"Ny opgave til Byggeri: {screened.reference} Fynsk Maskinfabrik ApS")
    assert "- Byggetilladelse til industri og lager" in mail.text
    assert "Byggeris frist: 15. januar 2027\n" in mail.text
    assert "Tovholder: Karen Kofoed" in mail.text
    link = f"{PORTAL}/medarbejder/sager/{screened.reference}/"
    assert link in mail.links()
    assert resolve(urlsplit(link).path).view_name == "workbench:case"
    event = Event.objects.get(case=screened, kind="notification_sent", data__kind="department_task")
    assert event.internal
    assert event.text == "E-mail om ny opgave sendt til Byggeri."


def test_each_department_is_mailed_its_own_date_not_the_cases_estimate(
    submit, karen, bodil, smtp, deliver_all, time_machine
):
    """Building permit (Byggeri) and outdoor serving (Vej og Park) on one case: the case's
    estimate is the slower one's, 15 Jan 2027; Vej og Park's own line says 14 Dec 2026."""
    road_department = Department.objects.get(code="vej")
    StaffFactory(username="vera", first_name="Vera", last_name="Vej", department=road_department)
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a Odense Bygrunde", "etageareal": 800, "areal": 12},
    )
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    Deliverable.objects.filter(
        case=case, party="municipality", service_type__code="udeservering"
    ).update(due_date=dt.date(2026, 12, 14))  # the coordinator moved Vej og Park's line
    Notification.objects.filter(kind="department_task").delete()
    case_mails.case_event_notify(kind="screened", case_id=case.pk)

    deliver_all()

    assert case.estimated_answer_date == dt.date(2027, 1, 15)
    building = smtp.one(to="bodil@kommune.test", kind="department_task")
    assert "Byggeris frist: 15. januar 2027\n" in building.text
    road = smtp.one(to="vera@kommune.test", kind="department_task")
    assert "Vej og Parks frist: 14. december 2026" in road.text
    assert "(svar til virksomheden samlet: 15. januar 2027)" in road.text
    assert "<strong>14. december 2026</strong>" in road.html
    assert "Forventet svar" not in road.text


def test_a_department_with_a_shared_inbox_gets_it_there(screened, bodil, smtp, deliver_all):
    department = bodil.department
    department.email = "byggeri@kommune.test"
    department.save()
    Notification.objects.filter(kind="department_task").delete()
    case_mails.case_event_notify(kind="screened", case_id=screened.pk)

    deliver_all()

    assert smtp.one(to="byggeri@kommune.test", kind="department_task")
    assert smtp.to("bodil@kommune.test") == []


# --- dialogue, estimate, answer --------------------------------------------------------------------


def test_a_message_from_the_coordinator_is_sent_but_an_internal_note_never(
    screened, karen, owner, smtp, deliver_all
):
    deliver_all()
    smtp.received.clear()

    case_message_post(case=screened, actor=karen, body="Husk målfast tegning.\nTak!")
    case_message_post(case=screened, actor=karen, body="Intern: ring til Byggeri", internal=True)
    case_message_post(case=screened, actor=owner, body="Tak, det gør vi.")
    deliver_all()

    # the business's own reply goes to the coordinator, never back to the business
    assert smtp.kinds() == ["business_message", "staff_message"]
    assert smtp.one(to="karen@kommune.test", kind="business_message")
    mail = smtp.one(to="ejer@fynsk.dk", kind="staff_message")
    assert mail.subject == f"Ny besked om jeres sag {screened.reference}"
    assert "Karen Kofoed har skrevet til jer" in mail.text
    assert "Husk målfast tegning.\nTak!" in mail.text
    assert "Husk målfast tegning.<br>Tak!" in mail.html
    assert "Intern" not in mail.message.as_string()
    assert mail["Reply-To"] == "karen@kommune.test"


def test_the_business_is_told_when_the_estimate_moves_and_why(
    screened, owner, smtp, deliver_all, time_machine, pdf_bytes
):
    deliver_all()
    smtp.received.clear()
    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)  # 3 working days later

    case_add_document(
        case=screened,
        actor=owner,
        upload=SimpleUploadedFile("tegning.pdf", pdf_bytes, content_type="application/pdf"),
        requirement_key="tegninger",
    )
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="estimate_moved")
    # 15 Jan 2027 + 3 working days = Wed 20 Jan 2027
    assert mail.subject == f"Ny forventet svardato for {screened.reference}: 20. januar 2027"
    assert "flyttet fra 15. januar 2027 til 20. januar 2027" in mail.text
    assert "ventede 3 arbejdsdage på materiale fra jer, som vi modtog 3. december 2026" in mail.text


def test_an_estimate_moved_by_staff_gives_their_reason(screened, karen, smtp, deliver_all):
    """The contract for a staff service that moves the date: an ``estimate_moved`` event
    with ``old``, ``new`` and ``reason``, announced after commit."""
    deliver_all()
    smtp.received.clear()
    moved = Event.objects.create(
        case=screened,
        at=clock.now(),
        kind="estimate_moved",
        actor=karen,
        text="Forventet svar ændret.",
        data={
            "old": "2027-01-15",
            "new": "2027-01-29",
            "reason": "Vi venter på en udtalelse fra Beredskab.",
        },
    )

    case_mails.case_event_notify(kind="estimate_moved", case_id=screened.pk, event_id=moved.pk)
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="estimate_moved")
    assert "er flyttet fra 15. januar 2027 til 29. januar 2027." in mail.text
    assert "Hvorfor: Vi venter på en udtalelse fra Beredskab." in mail.text
    assert "arbejdsdag" not in mail.text


def test_the_answer_is_sent_to_the_business(submit, karen, smtp, deliver_all, time_machine):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    time_machine.move_to(cph(2026, 12, 10, 14), tick=False)
    case_record_decision(
        case=case, actor=karen, summary="Tilladelse til udeservering givet, seks borde."
    )

    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="answer_delivered")
    assert mail.subject == f"Svar på jeres henvendelse {case.reference}"
    assert "har givet svar på sag " + case.reference + " (10. december 2026)" in mail.text
    assert "Tilladelse til udeservering givet, seks borde." in mail.text
    assert_links_to_the_case_in_the_portal(mail, case.reference)


def test_the_workbench_moving_the_estimate_tells_the_business_why(
    screened, karen, smtp, deliver_all, time_machine
):
    deliver_all()
    smtp.received.clear()

    case_set_estimate(
        case=screened,
        actor=karen,
        estimate=dt.date(2027, 1, 29),
        reason="Vi venter på en udtalelse fra Beredskab.",
    )
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="estimate_moved")
    assert "til 29. januar 2027" in mail.text
    assert "Hvorfor: Vi venter på en udtalelse fra Beredskab." in mail.text


def test_an_estimate_edited_at_screening_is_told_once_in_the_screening_mail(
    received, karen, smtp, deliver_all, time_machine
):
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    deliver_all()
    smtp.received.clear()

    case_screen_checked(
        case=received,
        actor=karen,
        expected_version=received.version,
        estimate=dt.date(2027, 1, 29),
        estimate_reason="Kræver høring",
    )
    deliver_all()

    assert "estimate_moved" not in smtp.kinds()
    assert "screening_result" in smtp.kinds()
