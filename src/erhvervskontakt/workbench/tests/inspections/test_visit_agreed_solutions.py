"""Agreed solutions are followed up on the visit page: each pending one has »Markér som
udført« (a POST checked against the case's version, as the line is on the case), refusals
answer 409/404/403 with the page as it is now and nothing changed; and the workbench's main
menu shows »Miljøtilsyn« as the current section on every inspection page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from erhvervskontakt.cases.models import Case, Deliverable, Event
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_close
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import deliverable_add
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Finding, Visit
from erhvervskontakt.inspections.services.carrying_out import finding_add, visit_mark_visited
from erhvervskontakt.inspections.services.visits import visit_create, visit_fix_time
from erhvervskontakt.web.templatetags.pages import long_date

from .pages import client, page

pytestmark = pytest.mark.django_db

DONE = "loesning-udfoert"


def text(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def carried_out(unit, karen) -> Visit:  # type: ignore[no-untyped-def]
    """A visit by Karen, carried out today, with two agreed solutions."""
    visit = visit_create(unit=unit, actor=karen, kind="basic", focus="Olie og kemikalier.")
    start = dt.datetime.combine(
        clock.today() + dt.timedelta(days=3), dt.time(9), tzinfo=clock.local_tz()
    )
    visit = visit_fix_time(visit=visit, actor=karen, at=start)
    visit = visit_mark_visited(visit=visit, actor=karen, visited_on=clock.today(), physical=True)
    for title, days in (("Spildbakke under olietønderne", 30), ("Skilt ved kemikalierum", 60)):
        finding_add(
            visit=visit,
            actor=karen,
            kind="agreement",
            text=title,
            due_date=clock.today() + dt.timedelta(days=days),
        )
    return Visit.objects.get(pk=visit.pk)


@pytest.fixture
def visit(unit, karen, inspection_type) -> Visit:  # type: ignore[no-untyped-def]
    return carried_out(unit, karen)


def lines(visit: Visit) -> list[Deliverable]:
    return [
        f.deliverable
        for f in Finding.objects.filter(visit=visit, kind="agreement").order_by("id")
        if f.deliverable is not None
    ]


def state(visit: Visit) -> tuple:
    case = Case.objects.get(pk=visit.case_id)
    return (
        case.version,
        case.status,
        list(Deliverable.objects.filter(case=case).order_by("id").values_list("status", "note")),
        Event.objects.filter(case=case).count(),
        Visit.objects.get(pk=visit.pk).version,
    )


def mark(user, visit: Visit, line, version) -> object:  # type: ignore[no-untyped-def]
    return client(user).post(
        f"{page(visit)}{DONE}/", {"case_version": version, "deliverable": getattr(line, "pk", line)}
    )


def test_each_pending_agreed_solution_has_a_button_with_the_case_version(visit, karen):
    html = client(karen).get(page(visit)).content.decode()

    case = Case.objects.get(pk=visit.case_id)
    assert html.count("Markér som udført") == 2
    for line in lines(visit):
        assert f'name="deliverable" value="{line.pk}"' in html
    assert f'name="case_version" value="{case.version}"' in html
    assert "Alle aftalte løsninger er udført." not in html


def test_marking_a_solution_done_records_it_on_the_case_and_the_page_shows_it(visit, karen):
    first, second = lines(visit)
    case = Case.objects.get(pk=visit.case_id)

    inspector = client(karen)
    response = inspector.post(
        f"{page(visit)}{DONE}/", {"case_version": case.version, "deliverable": first.pk}
    )

    assert response.status_code == 302 and response["Location"] == page(visit)
    done = Deliverable.objects.get(pk=first.pk)
    assert done.status == Deliverable.Status.DELIVERED and done.delivered_at is not None
    assert Deliverable.objects.get(pk=second.pk).status == Deliverable.Status.PENDING
    event = Event.objects.filter(case=case, kind="deliverable_delivered").get()
    assert event.text == "Leveret af virksomheden: Spildbakke under olietønderne."
    shown = inspector.get(page(visit))
    words = text(shown)
    assert "Den aftalte løsning er markeret som udført." in words
    assert f"Udført {long_date(clock.today())}" in words
    assert shown.content.decode().count("Markér som udført") == 1

    fresh = Case.objects.get(pk=case.pk)
    assert mark(karen, visit, second, fresh.version).status_code == 302
    words = text(client(karen).get(page(visit)))
    assert "Markér som udført" not in words
    assert "Alle aftalte løsninger er udført. Afslut sagen med et svar" in words


def test_a_page_from_an_older_version_of_the_case_is_refused_with_409(visit, karen):
    first, _second = lines(visit)
    stale = Case.objects.get(pk=visit.case_id).version
    case_message_post(case=visit.case, actor=karen, body="Husk fotos.", internal=True)
    before = state(visit)

    response = mark(karen, visit, first, stale)

    assert response.status_code == 409
    assert "Besøget er ændret af en anden, siden du åbnede siden." in text(response)
    fresh = Case.objects.get(pk=visit.case_id).version
    assert f'name="case_version" value="{fresh}"' in response.content.decode()
    assert state(visit) == before


def test_a_solution_already_done_is_refused_and_nothing_changes(visit, karen):
    first, _second = lines(visit)
    mark(karen, visit, first, Case.objects.get(pk=visit.case_id).version)
    before = state(visit)

    again = mark(karen, visit, first, Case.objects.get(pk=visit.case_id).version)

    assert again.status_code == 409
    assert "Kun en afventende leverance kan markeres som leveret." in text(again)
    assert state(visit) == before


def test_a_line_that_is_no_agreed_solution_of_the_visit_is_not_found(
    visit, karen, unit, make_other_line
):
    other = make_other_line()
    before, other_before = state(visit), Deliverable.objects.get(pk=other.pk).status
    version = Case.objects.get(pk=visit.case_id).version

    for value in (other.pk, "x", ""):
        response = mark(karen, visit, value, version)
        assert response.status_code == 404, value
        assert "Den aftalte løsning findes ikke på besøget." in text(response)
    assert state(visit) == before
    assert Deliverable.objects.get(pk=other.pk).status == other_before


@pytest.fixture
def make_other_line(karen, catalogue, owner, business):  # type: ignore[no-untyped-def]
    """A business line of another (ordinary) case of the same business."""

    def make() -> Deliverable:
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["udeservering"],
            description="Borde.",
            contact={"name": "Eva", "email": "eva@fynsk.dk"},
            answers={"areal": 12},
        )
        case = case_screen(case=case, actor=karen)
        return deliverable_add(
            case=case,
            actor=karen,
            party="business",
            title="Skilt",
            due_date=clock.today() + dt.timedelta(days=9),
        )

    return make


def test_a_business_user_cannot_mark_a_solution_done(visit, owner, other_owner):
    first, _second = lines(visit)
    before = state(visit)
    version = Case.objects.get(pk=visit.case_id).version

    assert mark(owner, visit, first, version).status_code == 403
    assert mark(other_owner, visit, first, version).status_code == 403
    assert client().post(f"{page(visit)}{DONE}/").status_code == 302  # to the login page
    assert state(visit) == before


def test_no_button_once_the_case_is_closed(visit, karen):
    case = Case.objects.get(pk=visit.case_id)
    case_record_decision(case=case, actor=karen, summary="Afsluttet.")
    # Answering delivers the municipality's lines only: the business's stay pending.
    assert [line.status for line in lines(visit)] == ["pending", "pending"]
    case_close(case=Case.objects.get(pk=case.pk), actor=karen)

    html = client(karen).get(page(visit)).content.decode()

    assert "Markér som udført" not in html


# --- the main menu ---------------------------------------------------------------------------

MENU_ITEM = re.compile(r'<li( class="active current")?><a href="/medarbejder/tilsyn/"[^>]*>')


def test_miljoetilsyn_is_the_current_section_on_every_inspection_page(visit, karen, unit):
    year = clock.today().year
    pages = [
        "/medarbejder/tilsyn/",
        f"/medarbejder/tilsyn/plan/{year}/",
        f"/medarbejder/tilsyn/enheder/{unit.p_number}/",
        "/medarbejder/tilsyn/besoeg/",
        f"/medarbejder/tilsyn/besoeg/ny/?p={unit.p_number}",
        page(visit),
    ]
    for url in pages:
        html = client(karen).get(url).content.decode()
        items = MENU_ITEM.findall(html)
        assert items and all(items), url  # both menus (desktop and mobile) mark it
        current = 'aria-current="page"' if url == "/medarbejder/tilsyn/" else 'aria-current="true"'
        assert f'<a href="/medarbejder/tilsyn/" class="nav-link" {current}>' in html, url

    elsewhere = client(karen).get("/medarbejder/mine-sager/").content.decode()
    assert MENU_ITEM.findall(elsewhere) == ["", ""]


# --- rough edges seen in the demo ------------------------------------------------------------


def test_once_booked_offering_new_times_is_folded_away_until_used(unit, karen, inspection_type):
    visit = visit_create(unit=unit, actor=karen, kind="basic", focus="Olie.")
    start = dt.datetime.combine(
        clock.today() + dt.timedelta(days=3), dt.time(9), tzinfo=clock.local_tz()
    )
    booked = visit_fix_time(visit=visit, actor=karen, at=start)

    html = client(karen).get(page(booked)).content.decode()
    assert "<details><summary>Tilbyd nye tidspunkter eller flyt besøget</summary>" in html
    # A refused offer shows the form open, with the message.
    refused = client(karen).post(
        f"{page(booked)}tider/", {"version": booked.version, "slot_rows": 3}
    )
    assert refused.status_code == 422
    assert "<details open><summary>Tilbyd nye tidspunkter eller flyt besøget" in (
        refused.content.decode()
    )
    # Before a time is booked the offer form is the page's main step, not folded away.
    fresh = visit_create(unit=unit, actor=karen, kind="basic", focus="Støj.")
    assert "Tilbyd nye tidspunkter" not in client(karen).get(page(fresh)).content.decode()


def test_an_unannounced_visit_shows_no_time_to_agree_after_it(unit, karen, inspection_type):
    visit = visit_create(unit=unit, actor=karen, kind="unplanned", focus="Lugt.")
    assert "Ikke aftalt endnu" in text(client(karen).get(page(visit)))
    done = visit_mark_visited(visit=visit, actor=karen, visited_on=clock.today(), physical=True)

    html = client(karen).get(page(done)).content.decode()

    assert "Ikke aftalt endnu" not in html
    assert 'id="tider"' not in html and "Ingen tidspunkter blev tilbudt." not in html
    assert ">Det så tilsynet på</h2>" in html


def test_the_business_reads_what_was_looked_at_in_the_past_tense_after_the_visit(
    visit, owner, karen, unit, inspection_type
):
    html = client(owner).get(f"/sager/{visit.case.reference}/").content.decode()
    assert "<h3>Det så vi på</h3>" in html and "<h3>Det ser vi på</h3>" not in html
    before = visit_create(unit=unit, actor=karen, kind="basic", focus="Støj.")
    html = client(owner).get(f"/sager/{before.case.reference}/").content.decode()
    assert "<h3>Det ser vi på</h3>" in html and "<h3>Det så vi på</h3>" not in html
