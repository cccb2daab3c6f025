"""The inspectors' visit pages (``/medarbejder/tilsyn/besoeg/``): each page renders, each
form's success and refusal (422 or 409, what was typed kept, nothing changed), who may use
them, the two clocks in words, and a constant number of queries on the list.

Longer than ~600 lines on purpose: the visit's pages in the order an inspector goes through
them, each form beside its refusals."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation.template import templatize

from erhvervskontakt.cases.models import Case, Deliverable, Document, Event
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import (
    Enforcement,
    Finding,
    Inspection,
    PlanItem,
    Visit,
    VisitSlot,
)
from erhvervskontakt.inspections.services.carrying_out import visit_mark_visited
from erhvervskontakt.inspections.services.planning import plan_propose
from erhvervskontakt.inspections.services.reporting import visit_report_send, visit_report_update
from erhvervskontakt.inspections.services.visits import (
    visit_create,
    visit_fix_time,
    visit_update_focus,
)

from .pages import client, page

pytestmark = pytest.mark.django_db

LIST = "/medarbejder/tilsyn/besoeg/"
NEW = "/medarbejder/tilsyn/besoeg/ny/"
FOCUS = "Oplag af olie og kemikalier, og hvordan spild samles op."


def action(visit: Visit, name: str) -> str:
    return f"/medarbejder/tilsyn/besoeg/{visit.pk}/{name}/"


def text(response) -> str:
    """The page's text with tags and runs of white space collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def state(visit: Visit) -> tuple:
    """Everything a visit form could change."""
    fresh = Visit.objects.get(pk=visit.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.focus,
        fresh.visit_at,
        fresh.visited_on,
        fresh.self_monitoring,
        fresh.conclusion,
        fresh.follows_up,
        fresh.report_sent_on,
        fresh.published_on,
        list(VisitSlot.objects.filter(visit=visit).values_list("status", "starts_at")),
        Finding.objects.filter(visit=visit).count(),
        Enforcement.objects.filter(visit=visit).count(),
        Deliverable.objects.filter(case=fresh.case).count(),
        Document.objects.filter(case=fresh.case).count(),
        Event.objects.filter(case=fresh.case).count(),
        Case.objects.get(pk=fresh.case_id).status,
    )


def day(offset: int) -> dt.date:
    return clock.today() + dt.timedelta(days=offset)


@pytest.fixture
def new_visit(unit, karen, inspection_type):
    def make(**fields) -> Visit:
        values = {"unit": unit, "actor": karen, "kind": "basic", "focus": FOCUS}
        values.update(fields)
        return visit_create(**values)

    return make


@pytest.fixture
def visit(new_visit) -> Visit:
    return new_visit()


def visited(visit: Visit, karen, *, on: dt.date | None = None) -> Visit:
    """The visit booked at a fixed time and carried out ``on`` (today by default)."""
    start = dt.datetime.combine(day(3), dt.time(9, 0), tzinfo=clock.local_tz())
    visit = visit_fix_time(visit=visit, actor=karen, at=start)
    return visit_mark_visited(
        visit=visit, actor=karen, visited_on=on or clock.today(), physical=True
    )


def slot_form(visit: Visit, rows: list[tuple[str, str, str]], **extra) -> dict:
    data = {"version": visit.version, "slot_rows": max(len(rows), 3), **extra}
    for i, (date, start, end) in enumerate(rows):
        data.update({f"slot-{i}-date": date, f"slot-{i}-start": start, f"slot-{i}-end": end})
    return data


# --- who may use the pages -------------------------------------------------------------------


def test_only_staff_see_the_visit_pages(visit, karen, owner, unit):
    urls = [LIST, f"{NEW}?p={unit.p_number}", page(visit), f"{page(visit)}tidspunkt/?slot_rows=3"]
    for url in urls:
        assert client(karen).get(url).status_code == 200, url
        assert client(owner).get(url).status_code == 403, url
        anonymous = client().get(url)
        assert anonymous.status_code == 302 and "/log-ind/" in anonymous["Location"], url


def test_a_business_user_can_do_nothing_on_the_staff_visit_page(visit, owner, unit):
    before = state(visit)
    for name in ("fokus", "tider", "fast-tid", "besoegt", "fund", "rapport", "send", "aflys"):
        response = client(owner).post(action(visit, name), {"focus": "Andet", "reason": "Nej"})
        assert response.status_code == 403, name
    assert client(owner).post(NEW, {"p": unit.p_number, "kind": "basic"}).status_code == 403
    assert client(owner).get(f"{page(visit)}udkast.pdf").status_code == 403
    assert state(visit) == before
    assert Visit.objects.count() == 1


def test_an_unknown_visit_or_action_is_not_found(visit, karen):
    assert client(karen).get("/medarbejder/tilsyn/besoeg/999999/").status_code == 404
    assert client(karen).post(action(visit, "slet")).status_code == 404
    assert client(karen).get(f"{page(visit)}udkast.pdf").status_code == 404  # not visited yet
    assert client(karen).get(f"{page(visit)}rapport.pdf").status_code == 404  # not sent yet


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_both_clocks_in_words_with_a_badge(new_visit, karen):
    on_time = visited(new_visit(), karen)
    late = visited(new_visit(), karen, on=day(-70))
    response = client(karen).get(f"{LIST}?vis=report_due")
    words = text(response)
    assert response.status_code == 200
    left = (on_time.report_due - clock.today()).days
    over = (clock.today() - late.report_due).days
    assert f"{left} dage tilbage" in words
    assert f"{over} dage over fristen" in words
    html = response.content.decode()
    assert "badge-error" in html and "badge-info" in html
    assert html.count(f'href="/medarbejder/tilsyn/besoeg/{late.pk}/"') == 1


def test_the_list_filters_by_state(new_visit, karen):
    planned = new_visit(focus="Planlagt besøg om affald")
    done = visited(new_visit(focus="Besøg om støj"), karen)
    open_list = client(karen).get(LIST).content.decode()
    due_list = client(karen).get(f"{LIST}?vis=report_due").content.decode()
    assert f"/besoeg/{planned.pk}/" in open_list and f"/besoeg/{done.pk}/" in open_list
    assert f"/besoeg/{planned.pk}/" not in due_list and f"/besoeg/{done.pk}/" in due_list
    assert client(karen).get(f"{LIST}?vis=hvadsomhelst").status_code == 200


def test_the_list_reads_the_same_number_of_queries_for_1_and_10_visits(new_visit, register, karen):
    visited(new_visit(), karen)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client(karen).get(f"{LIST}?vis=all")
        assert response.status_code == 200
        return len(captured)

    one = count()
    for n in range(9):
        other = new_visit(unit=register("2", name=f"Enhed nr. {n}"))
        if n % 2:
            visited(other, karen)
    assert Visit.objects.count() == 10
    assert count() == one


# --- create ----------------------------------------------------------------------------------


def test_the_unit_page_and_the_plan_page_offer_to_create_a_visit(unit, karen):
    html = client(karen).get(f"/medarbejder/tilsyn/enheder/{unit.p_number}/").content.decode()
    assert f'href="{NEW}?p={unit.p_number}"' in html and "Opret tilsynsbesøg" in html
    plan_propose(year=clock.today().year + 1)
    item = PlanItem.objects.get(unit=unit)
    plan = client(karen).get(f"/medarbejder/tilsyn/plan/{item.plan.year}/").content.decode()
    assert f"?p={unit.p_number}&amp;plan_item={item.pk}&amp;kind={item.kind}" in plan


def test_creating_a_visit_opens_the_inspection_case_and_shows_its_page(
    unit, karen, inspection_type
):
    inspector = client(karen)
    form = inspector.get(f"{NEW}?p={unit.p_number}")
    assert form.status_code == 200 and "Lakeriet" in text(form)
    response = inspector.post(
        NEW, {"p": unit.p_number, "kind": "basic", "focus": FOCUS, "physical": "ja"}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == page(visit)
    assert visit.unit == unit and visit.focus == FOCUS and visit.physical
    assert visit.case.channel == "inspection" and visit.inspector == karen
    shown = inspector.get(page(visit))
    assert f"Tilsynsbesøget er oprettet som sag {visit.case.reference}." in text(shown)
    assert FOCUS in text(shown)


def test_a_visit_from_a_plan_item_is_linked_to_it(unit, karen, inspection_type):
    plan_propose(year=clock.today().year + 1)
    item = PlanItem.objects.get(unit=unit)
    form = client(karen).get(f"{NEW}?p={unit.p_number}&plan_item={item.pk}&kind={item.kind}")
    assert f'name="plan_item" value="{item.pk}"' in form.content.decode()
    client(karen).post(
        NEW,
        {
            "p": unit.p_number,
            "plan_item": item.pk,
            "kind": item.kind,
            "focus": FOCUS,
            "physical": "ja",
        },
    )
    assert Visit.objects.get().plan_item == item


def test_creating_a_visit_is_refused_beside_the_fields_and_keeps_what_was_typed(
    unit, karen, inspection_type
):
    cases = Case.objects.count()
    response = client(karen).post(
        NEW,
        {"p": unit.p_number, "kind": "basic", "focus": "", "contact_name": "Ulla Ulriksen"},
    )
    assert response.status_code == 422
    assert 'value="Ulla Ulriksen"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    unknown = client(karen).post(NEW, {"p": "9999999999", "kind": "basic", "focus": FOCUS})
    assert unknown.status_code == 422
    assert "Der er ingen produktionsenhed med det P-nummer." in text(unknown)
    assert FOCUS in unknown.content.decode()
    assert Visit.objects.count() == 0 and Case.objects.count() == cases


# --- the visit page: before the visit --------------------------------------------------------


def test_the_visit_page_starts_with_three_empty_time_rows(visit, karen):
    html = client(karen).get(page(visit)).content.decode()
    assert 'name="slot_rows" value="3"' in html
    assert all(f'id="slot-{i}-date"' in html for i in range(3))
    assert 'id="slot-3-date"' not in html
    assert "Tilføj tidspunkt" in html


def test_offering_times_sends_them_to_the_business(visit, karen):
    when = day(7).isoformat()
    inspector = client(karen)
    response = inspector.post(
        action(visit, "tider"),
        slot_form(visit, [(when, "09:00", "10:00"), (when, "13:00", "14:00"), ("", "", "")]),
    )
    assert response.status_code == 302 and response["Location"] == page(visit)
    fresh = Visit.objects.get(pk=visit.pk)
    assert fresh.status == Visit.Status.OFFERED
    starts = [
        s.starts_at.astimezone(clock.local_tz()).time()
        for s in fresh.slots.filter(status=VisitSlot.Status.OFFERED)
    ]
    assert starts == [dt.time(9, 0), dt.time(13, 0)]
    shown = text(inspector.get(page(visit)))
    assert "Tidspunkterne er sendt til virksomheden" in shown and "Tilbudt" in shown


def test_times_that_break_a_rule_are_refused_with_what_was_typed(visit, karen):
    when = day(7).isoformat()
    before = state(visit)
    response = client(karen).post(
        action(visit, "tider"), slot_form(visit, [(when, "11:00", "10:00")])
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'value="{when}"' in html and 'value="11:00"' in html
    assert 'class="alert alert-error"' in html
    assert state(visit) == before


def test_a_time_that_is_not_a_time_is_refused_at_its_row(visit, karen):
    before = state(visit)
    response = client(karen).post(
        action(visit, "tider"), slot_form(visit, [(day(7).isoformat(), "ni", "10:00")])
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Angiv et klokkeslæt, fx 09:30." in html
    assert 'id="slot-0-start-error"' in html and 'value="ni"' in html
    nothing = client(karen).post(action(visit, "tider"), slot_form(visit, []))
    assert nothing.status_code == 422 and "Angiv mindst ét tidspunkt." in text(nothing)
    assert state(visit) == before


def test_adding_a_row_without_javascript_shows_one_more_and_saves_nothing(visit, karen):
    when = day(7).isoformat()
    before = state(visit)
    response = client(karen).post(
        action(visit, "tider"), slot_form(visit, [(when, "09:00", "10:00")], add_row="1")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="slot_rows" value="4"' in html and 'id="slot-3-date"' in html
    assert f'value="{when}"' in html and 'value="09:00"' in html
    assert state(visit) == before


def test_the_offer_form_stops_at_eight_rows(visit, karen):
    response = client(karen).post(
        action(visit, "tider"), {"version": visit.version, "slot_rows": "8", "add_row": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="slot_rows" value="8"' in html and 'id="slot-8-date"' not in html
    assert "Tilføj tidspunkt" not in html
    assert "Der kan højst tilbydes 8 tidspunkter ad gangen." in html


def test_htmx_gets_one_more_row_and_the_new_row_count(visit, karen):
    response = client(karen).get(f"{page(visit)}tidspunkt/?slot_rows=3", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="slot-3-date"' in html and "autofocus" in html
    assert 'name="slot_rows" value="4" hx-swap-oob="true"' in html
    assert client(karen).get(f"{page(visit)}tidspunkt/?slot_rows=8").status_code == 422
    assert client(karen).get(f"{page(visit)}tidspunkt/?slot_rows=x").status_code == 422


def test_a_form_from_an_older_version_of_the_visit_is_refused_with_409(visit, karen):
    stale = visit.version
    visit_update_focus(visit=visit, actor=karen, focus="Noget andet", expected_version=None)
    before = state(visit)
    response = client(karen).post(
        action(visit, "fokus"), {"version": stale, "focus": "Min ændring"}
    )
    assert response.status_code == 409
    assert "Besøget er ændret af en anden, siden du åbnede siden." in text(response)
    assert f'name="version" value="{Visit.objects.get(pk=visit.pk).version}"' in (
        response.content.decode()
    )
    assert "Min ændring" in response.content.decode()
    assert state(visit) == before


def test_the_focus_is_changed_before_the_visit(visit, karen):
    response = client(karen).post(
        action(visit, "fokus"), {"version": visit.version, "focus": "Støj fra ventilation"}
    )
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).focus == "Støj fra ventilation"
    before = state(visit)
    empty = client(karen).post(
        action(visit, "fokus"), {"version": Visit.objects.get(pk=visit.pk).version, "focus": ""}
    )
    assert empty.status_code == 422 and state(visit) == before


def test_the_inspector_fixes_the_time(visit, karen):
    response = client(karen).post(
        action(visit, "fast-tid"),
        {"version": visit.version, "day": day(5).isoformat(), "time": "10:30", "reason": ""},
    )
    assert response.status_code == 302
    fresh = Visit.objects.get(pk=visit.pk)
    assert fresh.status == Visit.Status.BOOKED
    assert fresh.visit_at == dt.datetime.combine(day(5), dt.time(10, 30), tzinfo=clock.local_tz())
    assert "Markér tilsynet som udført" in text(client(karen).get(page(visit)))


def test_a_fixed_time_in_the_past_or_without_a_time_is_refused(visit, karen):
    before = state(visit)
    past = client(karen).post(
        action(visit, "fast-tid"),
        {"version": visit.version, "day": day(-5).isoformat(), "time": "10:30", "reason": "Ok"},
    )
    assert past.status_code == 422 and 'value="Ok"' in past.content.decode()
    no_time = client(karen).post(
        action(visit, "fast-tid"), {"version": visit.version, "day": day(5).isoformat()}
    )
    assert no_time.status_code == 422 and "Angiv et klokkeslæt." in text(no_time)
    assert state(visit) == before


def test_cancelling_needs_a_reason(visit, karen):
    before = state(visit)
    refused = client(karen).post(action(visit, "aflys"), {"reason": ""})
    assert refused.status_code == 422 and state(visit) == before
    done = client(karen).post(action(visit, "aflys"), {"reason": "Virksomheden er lukket"})
    assert done.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED


# --- the visit page: the visit carried out ---------------------------------------------------


def test_the_carried_out_form_proposes_the_booked_day_once_it_has_come(visit, karen):
    five_days_ago = clock.now() - dt.timedelta(days=5)
    with clock.travel(five_days_ago):
        booked = visit_fix_time(
            visit=visit,
            actor=karen,
            at=dt.datetime.combine(day(2), dt.time(9), tzinfo=clock.local_tz()),
        )
    booked_day = clock.local_date(booked.visit_at)
    assert booked_day < clock.today()
    assert f'name="visited_on" value="{booked_day.isoformat()}"' in (
        client(karen).get(page(visit)).content.decode()
    )
    later = visit_fix_time(
        visit=booked,
        actor=karen,
        at=dt.datetime.combine(day(4), dt.time(9), tzinfo=clock.local_tz()),
    )
    assert clock.local_date(later.visit_at) > clock.today()
    assert f'name="visited_on" value="{clock.today().isoformat()}"' in (
        client(karen).get(page(visit)).content.decode()
    )


def test_marking_the_visit_done_starts_the_two_clocks(visit, karen):
    booked = visit_fix_time(
        visit=visit,
        actor=karen,
        at=dt.datetime.combine(day(1), dt.time(9), tzinfo=clock.local_tz()),
    )
    future = client(karen).post(
        action(visit, "besoegt"),
        {"version": booked.version, "visited_on": day(2).isoformat(), "physical": "ja"},
    )
    assert future.status_code == 422
    assert f'value="{day(2).isoformat()}"' in future.content.decode()
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.BOOKED
    response = client(karen).post(
        action(visit, "besoegt"),
        {"version": booked.version, "visited_on": clock.today().isoformat(), "physical": "ja"},
    )
    assert response.status_code == 302
    fresh = Visit.objects.get(pk=visit.pk)
    assert fresh.status == Visit.Status.VISITED and fresh.inspection is not None
    assert Inspection.objects.filter(unit=visit.unit).count() == 1
    words = text(client(karen).get(page(visit)))
    assert f"{(fresh.report_due - clock.today()).days} dage tilbage" in words
    assert f"{(fresh.publish_due - clock.today()).days} dage tilbage" in words


def test_findings_are_added_and_an_agreement_lands_in_the_delivery_plan(visit, karen):
    done = visited(visit, karen)
    observation = client(karen).post(
        action(done, "fund"), {"kind": "observation", "text": "Spildbakke under olietønder."}
    )
    assert observation.status_code == 302
    agreement = client(karen).post(
        action(done, "fund"),
        {"kind": "agreement", "text": "Opsæt skilt ved kemikalierum", "due_date": day(30)},
    )
    assert agreement.status_code == 302
    line = Deliverable.objects.get(case=done.case, party=Deliverable.Party.BUSINESS)
    assert line.due_date == day(30) and "skilt" in line.title
    shown = text(client(karen).get(page(done)))
    assert "Spildbakke under olietønder." in shown and "Opsæt skilt ved kemikalierum" in shown


def test_an_agreement_without_a_due_date_is_refused_and_nothing_changes(visit, karen):
    done = visited(visit, karen)
    before = state(done)
    response = client(karen).post(
        action(done, "fund"), {"kind": "agreement", "text": "Ryd op i gården", "due_date": ""}
    )
    assert response.status_code == 422
    assert "Ryd op i gården" in response.content.decode()
    bad_date = client(karen).post(
        action(done, "fund"), {"kind": "agreement", "text": "Ryd op", "due_date": "i morgen"}
    )
    assert bad_date.status_code == 422 and "Angiv en dato, fx 2026-12-01." in text(bad_date)
    assert state(done) == before


def test_enforcement_is_recorded_apart_with_legal_basis_and_deadline(visit, karen):
    done = visited(visit, karen)
    before = state(done)
    refused = client(karen).post(
        action(done, "haandhaevelse"),
        {"kind": "warning", "text": "Tønder uden spildbakke", "legal_basis": ""},
    )
    assert refused.status_code == 422
    assert "Tønder uden spildbakke" in refused.content.decode() and state(done) == before
    response = client(karen).post(
        action(done, "haandhaevelse"),
        {
            "kind": "warning",
            "text": "Tønder uden spildbakke",
            "legal_basis": "Miljøbeskyttelseslovens § 69",
            "deadline": day(14).isoformat(),
            "issued_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    enforcement = Enforcement.objects.get(visit=done)
    assert enforcement.kind == "warning" and enforcement.deadline == day(14)
    html = client(karen).get(page(done)).content.decode()
    box = html[html.index('id="haandhaevelse"') :]
    box = box[: box.index("</section>")]
    assert "Indskærpelse" in box and "Miljøbeskyttelseslovens § 69" in box


def test_the_report_fields_are_saved_previewed_sent_and_published(visit, karen):
    done = visited(visit, karen)
    missing = client(karen).post(action(done, "send"), {"version": done.version})
    assert missing.status_code == 422 and Visit.objects.get(pk=done.pk).report_sent_on is None
    saved = client(karen).post(
        action(done, "rapport"),
        {
            "version": done.version,
            "self_monitoring": "Egenkontrollen er i orden.",
            "follows_up": "ja",
            "conclusion": "Virksomheden overholder sine vilkår.",
        },
    )
    assert saved.status_code == 302
    fresh = Visit.objects.get(pk=done.pk)
    assert fresh.follows_up is True and fresh.conclusion.startswith("Virksomheden")
    preview = client(karen).get(f"{page(done)}udkast.pdf")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    assert preview.content.startswith(b"%PDF")
    sent = client(karen).post(action(done, "send"), {"version": fresh.version})
    assert sent.status_code == 302
    fresh = Visit.objects.get(pk=done.pk)
    assert fresh.status == Visit.Status.REPORTED and fresh.report_document is not None
    stored = client(karen).get(f"{page(done)}rapport.pdf")
    assert stored.status_code == 200 and stored["Content-Type"] == "application/pdf"
    assert "Offentliggør" in text(client(karen).get(page(done)))
    published = client(karen).post(action(done, "offentliggoer"))
    assert published.status_code == 302
    assert Visit.objects.get(pk=done.pk).status == Visit.Status.PUBLISHED
    assert "Offentliggjort" in text(client(karen).get(page(done)))


def test_the_report_fields_are_refused_after_the_report_is_sent(visit, karen):
    done = visited(visit, karen)
    done = visit_report_update(
        visit=done, actor=karen, self_monitoring="I orden", follows_up=None, conclusion="Fint"
    )
    done = visit_report_send(visit=done, actor=karen)
    before = state(done)
    response = client(karen).post(
        action(done, "rapport"),
        {"version": done.version, "self_monitoring": "Ændret", "conclusion": "Ændret"},
    )
    assert response.status_code in (409, 422)
    assert "Ændret" in response.content.decode()
    assert state(done) == before


# --- links from the workbench ----------------------------------------------------------------


def test_the_workbench_case_of_a_visit_links_to_the_visit_page(visit, karen):
    html = client(karen).get(f"/medarbejder/sager/{visit.case.reference}/").content.decode()
    assert f'href="{page(visit)}"' in html and "Gå til tilsynsbesøget" in html


# --- English ---------------------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "workbench" / "inspections"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def test_every_danish_string_of_the_visit_pages_has_an_english_translation():
    po = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    with po.open("rb") as handle:
        translated = {
            (m.id[0] if isinstance(m.id, tuple) else m.id)
            for m in read_po(handle)
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
        }
    found: set[str] = set()
    for path in TEMPLATES.glob("visit*.html"):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        code = "\n".join(line.lstrip() for line in code.splitlines())
        for _line, message, _comments, _context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    views = (TEMPLATES.parents[2] / "views" / "inspection_visits.py").read_text(encoding="utf-8")
    visit_part = views[views.index("# --- visits") :]
    for _line, message, _comments, _context in extract(
        "python", io.BytesIO(visit_part.encode("utf-8")), keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    assert len(found) > 80
    assert sorted(found - translated) == []


# --- the clocks in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done_on", "state", "words"),
    [
        (None, None, "none", "Løber fra tilsynsdatoen"),
        (dt.date(2027, 1, 31), None, "ok", "62 dage tilbage"),
        (dt.date(2026, 12, 1), None, "soon", "1 dag tilbage"),
        (dt.date(2026, 11, 30), None, "today", "Frist i dag"),
        (dt.date(2026, 11, 29), None, "overdue", "1 dag over fristen"),
        (dt.date(2026, 11, 20), None, "overdue", "10 dage over fristen"),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 31), "done", "Sendt 31. december 2026"),
        (
            dt.date(2026, 12, 31),
            dt.date(2027, 1, 2),
            "late",
            "Sendt 2. januar 2027 – 2 dage efter fristen",
        ),
    ],
)
def test_a_clock_says_days_left_or_over_in_words(due, done_on, state, words):
    from erhvervskontakt.workbench.views.inspection_visits import visit_clock

    shown = visit_clock("Rapport", due, done_on, dt.date(2026, 11, 30), "Sendt %(day)s")
    assert (shown.state, shown.text) == (state, words)
    assert bool(shown.badge) == (state != "none")
