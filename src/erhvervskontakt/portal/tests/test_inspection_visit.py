"""The inspection visit in the portal: the business sees on its case page what will be looked
at, picks one of the offered times, sees the booked time, and after the visit the findings,
enforcement in its own box and the report PDF. Only its own: another business's user gets
404 and changes nothing. "Mine sager" shows the visit beside the other matters, and the
inquiry never offers the inspection itself."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.calendar.selectors import add_working_days
from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, InquiryDraft
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Visit, VisitSlot
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import (
    visit_choose_slot,
    visit_create,
    visit_offer_slots,
)
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.html import error_links, text
from erhvervskontakt.testing.structure import check

pytestmark = pytest.mark.django_db

FOCUS = "Oplag af olie og kemikalier i værkstedet og jeres egenkontrol med olieudskilleren."


def page(case: Case, suffix: str = "") -> str:
    return f"/sager/{case.reference}/{suffix}"


def slot_times(
    count: int = 3, *, from_working_day: int = 10
) -> list[tuple[dt.datetime, dt.datetime]]:
    """``count`` two-hour morning slots on working days some weeks ahead."""
    times = []
    for n in range(count):
        day = add_working_days(clock.today(), from_working_day + n)
        start = dt.datetime.combine(day, dt.time(9), tzinfo=clock.local_tz())
        times.append((start, start + dt.timedelta(hours=2)))
    return times


def fresh(visit: Visit) -> Visit:
    return Visit.objects.get(pk=visit.pk)


@pytest.fixture(autouse=True)
def inspection_service_type(catalogue: dict[str, ServiceType]) -> ServiceType:
    """The catalogue's "Miljøtilsyn": Miljø's, and not requestable (the municipality opens it)."""
    return ensure_inspection_service_type()


@pytest.fixture
def unit(business: Business, karen: User) -> ProductionUnit:
    return production_unit_register(
        business=business,
        p_number="1012345678",
        name="Værkstedet Vestergade",
        address="Vestergade 10, 5000 Odense C",
        actor=karen,
    )


@pytest.fixture
def make_visit(catalogue: dict[str, ServiceType], owner: User, karen: User) -> Callable[..., Visit]:
    """``make_visit(unit, offer=True)``: a basic inspection of ``unit`` by karen, with three
    times offered to the business unless ``offer=False``."""

    def make(unit: ProductionUnit, *, offer: bool = True, kind: str = "basic") -> Visit:
        visit = visit_create(unit=unit, actor=karen, kind=kind, focus=FOCUS, inspector=karen)
        if offer:
            visit = visit_offer_slots(visit=visit, actor=karen, slots=slot_times())
        return visit

    return make


@pytest.fixture
def offered(make_visit: Callable[..., Visit], unit: ProductionUnit) -> Visit:
    return make_visit(unit)


@pytest.fixture
def visited(
    make_visit: Callable[..., Visit], unit: ProductionUnit, owner: User, karen: User
) -> Visit:
    """Booked by the business a month ago and carried out today, with an observation, advice,
    an agreed solution and an order (påbud) recorded."""
    today = clock.today()
    month_ago = dt.datetime.combine(
        today - dt.timedelta(days=30), dt.time(8), tzinfo=clock.local_tz()
    )
    with clock.travel(month_ago):
        visit = make_visit(unit)
        first = visit.slots.order_by("starts_at").first()
        assert first is not None
        visit = visit_choose_slot(visit=visit, actor=owner, slot_id=first.pk)
    visit = visit_mark_visited(visit=fresh(visit), actor=karen, visited_on=today, physical=True)
    finding_add(
        visit=visit, actor=karen, kind="observation", text="Olieudskilleren er tømt i marts."
    )
    finding_add(visit=visit, actor=karen, kind="advice", text="Brug spildbakker under tromlerne.")
    finding_add(
        visit=visit,
        actor=karen,
        kind="agreement",
        text="Opsæt spildbakker under olietromlerne",
        due_date=today + dt.timedelta(days=30),
    )
    enforcement_add(
        visit=visit,
        actor=karen,
        kind="order",
        text="Tæt afløbet i vaskehallen.",
        legal_basis="Miljøbeskyttelseslovens § 42",
        deadline=today + dt.timedelta(days=60),
    )
    return fresh(visit)


@pytest.fixture
def reported(visited: Visit, karen: User) -> Visit:
    visit = visit_report_update(
        visit=visited,
        actor=karen,
        self_monitoring="Egenkontrollen er i orden.",
        follows_up=True,
        conclusion="Virksomheden drives i overensstemmelse med reglerne, bortset fra afløbet.",
    )
    return fresh(visit_report_send(visit=visit, actor=karen))


# --- before the visit: what is looked at and the times to choose ------------------------------


def test_the_case_page_shows_the_visit_the_focus_and_the_offered_times(
    owner_client: Client, offered: Visit
) -> None:
    response = owner_client.get(page(offered.case))
    html = response.content.decode()
    shown = text(html)

    assert response.status_code == 200
    assert "Tilsynsbesøg" in shown
    assert "Basistilsyn" in shown
    assert "Værkstedet Vestergade" in shown and "1012345678" in shown
    assert "Vestergade 10, 5000 Odense C" in shown
    assert "Det ser vi på" in shown and FOCUS in shown
    assert "Tilsynsbesøg – vælg et tidspunkt" in shown
    slots = list(offered.slots.order_by("starts_at"))
    assert len(slots) == 3
    for slot in slots:
        assert f'name="slot" value="{slot.pk}"' in html
    assert "kl. 09.00–11.00" in shown
    assert "Vælg tidspunkt" in shown
    # the municipality's own case: no withdrawal, no screening dates
    assert "Træk henvendelsen tilbage" not in shown
    assert "Screening senest" not in shown
    check(html)


def test_a_visit_without_times_yet_says_they_will_come(
    owner_client: Client, make_visit: Callable[..., Visit], unit: ProductionUnit
) -> None:
    visit = make_visit(unit, offer=False)

    shown = text(owner_client.get(page(visit.case)).content.decode())

    assert FOCUS in shown
    assert "Vi sender jer forslag til tidspunkter for besøget." in shown
    assert 'name="slot"' not in shown


def test_choosing_a_time_books_the_visit_and_confirms_it(
    owner_client: Client, offered: Visit, owner: User
) -> None:
    chosen = list(offered.slots.order_by("starts_at"))[1]

    response = owner_client.post(page(offered.case, "tilsyn/tidspunkt/"), {"slot": chosen.pk})

    assert response.status_code == 302
    assert response["Location"] == page(offered.case) + "#tilsynsbesoeg"
    visit = fresh(offered)
    assert visit.status == Visit.Status.BOOKED
    assert visit.visit_at == chosen.starts_at
    statuses = {s.pk: s.status for s in visit.slots.all()}
    assert statuses[chosen.pk] == VisitSlot.Status.CHOSEN
    assert list(statuses.values()).count(VisitSlot.Status.WITHDRAWN) == 2
    assert VisitSlot.objects.get(pk=chosen.pk).chosen_by == owner

    shown = text(owner_client.get(response["Location"]).content.decode())
    assert "Tak. Besøget er aftalt til" in shown
    assert "Besøget er aftalt til" in shown and "kl. 09.00" in shown
    assert "Tilsynsbesøg – tid aftalt" in shown
    assert 'name="slot"' not in shown


def test_choosing_no_time_is_refused_in_danish_and_changes_nothing(
    owner_client: Client, offered: Visit
) -> None:
    before = fresh(offered)

    response = owner_client.post(page(offered.case, "tilsyn/tidspunkt/"), {}, follow=True)
    html = response.content.decode()

    assert response.redirect_chain == [(page(offered.case), 303)]  # PRG: at the case page
    assert error_links(html) == [("#tidspunkt", "Vælg et af tidspunkterne for besøget.")]
    assert 'id="tidspunkt"' in html and 'aria-invalid="true"' in html
    after = fresh(offered)
    assert (after.status, after.version, after.visit_at) == (
        before.status,
        before.version,
        before.visit_at,
    )
    check(html)


def test_a_time_of_another_visit_is_refused_and_changes_nothing(
    owner_client: Client,
    offered: Visit,
    make_visit: Callable[..., Visit],
    business: Business,
    karen: User,
) -> None:
    other_unit = production_unit_register(
        business=business, p_number="1099999999", name="Lageret", actor=karen
    )
    other = make_visit(other_unit)
    foreign = other.slots.first()
    assert foreign is not None

    for value in (foreign.pk, 999999, "tirsdag"):
        response = owner_client.post(
            page(offered.case, "tilsyn/tidspunkt/"), {"slot": value}, follow=True
        )
        assert response.redirect_chain == [(page(offered.case), 303)], value
        assert error_links(response.content.decode()), value

    assert fresh(offered).status == Visit.Status.OFFERED
    assert fresh(other).status == Visit.Status.OFFERED
    assert not VisitSlot.objects.filter(status=VisitSlot.Status.CHOSEN).exists()


def test_a_time_cannot_be_chosen_twice(owner_client: Client, offered: Visit) -> None:
    first, second = list(offered.slots.order_by("starts_at"))[:2]
    owner_client.post(page(offered.case, "tilsyn/tidspunkt/"), {"slot": first.pk})

    response = owner_client.post(
        page(offered.case, "tilsyn/tidspunkt/"), {"slot": second.pk}, follow=True
    )

    assert response.redirect_chain == [(page(offered.case), 303)]
    visit = fresh(offered)
    assert visit.visit_at == first.starts_at
    assert VisitSlot.objects.get(pk=second.pk).status == VisitSlot.Status.WITHDRAWN


def test_an_inspection_case_cannot_be_withdrawn_by_the_business(
    owner_client: Client, offered: Visit
) -> None:
    response = owner_client.post(page(offered.case, "traek-tilbage/"), {"reason": "Nej tak"})

    assert response.status_code == 302
    assert Case.objects.get(pk=offered.case.pk).status == CaseStatus.IN_PROGRESS
    assert fresh(offered).status == Visit.Status.OFFERED


# --- another business ---------------------------------------------------------------------------


def test_another_business_cannot_see_the_visit_choose_a_time_or_get_the_report(
    reported: Visit,
    make_visit: Callable[..., Visit],
    unit: ProductionUnit,
    client_for,
    other_owner: User,
) -> None:
    offered = make_visit(
        production_unit_register(
            business=unit.business, p_number="1088888888", name="Hallen", actor=reported.inspector
        )
    )
    slot = offered.slots.first()
    assert slot is not None and reported.report_document_id is not None
    other = client_for(other_owner)

    assert other.get(page(offered.case)).status_code == 404
    assert other.post(page(offered.case, "tilsyn/tidspunkt/"), {"slot": slot.pk}).status_code == 404
    report = page(reported.case, f"dokumenter/{reported.report_document_id}/")
    assert other.get(report).status_code == 404
    assert other.get(page(reported.case)).status_code == 404
    assert fresh(offered).status == Visit.Status.OFFERED
    assert VisitSlot.objects.get(pk=slot.pk).status == VisitSlot.Status.OFFERED
    # their own case list does not show it either
    assert offered.case.reference not in other.get("/sager/?vis=alle").content.decode()


def test_a_staff_user_is_not_a_business_user_of_the_portal(
    offered: Visit, client_for, karen: User
) -> None:
    slot = offered.slots.first()
    assert slot is not None

    response = client_for(karen).post(page(offered.case, "tilsyn/tidspunkt/"), {"slot": slot.pk})

    assert response.status_code == 302 and "/log-ind/" in response["Location"]
    assert fresh(offered).status == Visit.Status.OFFERED


# --- after the visit ------------------------------------------------------------------------


def test_after_the_visit_the_findings_and_the_enforcement_are_shown_apart(
    owner_client: Client, visited: Visit
) -> None:
    html = owner_client.get(page(visited.case)).content.decode()
    shown = text(html)

    assert "Tilsynsbesøg – rapport følger" in shown
    assert "Observationer Olieudskilleren er tømt i marts." in shown
    assert "Rådgivning Brug spildbakker under tromlerne." in shown
    assert "Aftalte løsninger Opsæt spildbakker under olietromlerne" in shown
    # the enforcement box: its own, clearly marked, with the deadline and the legal basis
    box = re.search(r'<div class="alert alert-warning visit-enforcement".*?</ul>', html, re.S)
    assert box is not None
    boxed = text(box.group(0))
    assert "Påbud, forbud og indskærpelser" in boxed
    assert "Påbud" in boxed and "Tæt afløbet i vaskehallen." in boxed
    assert "Miljøbeskyttelseslovens § 42" in boxed
    deadline = clock.today() + dt.timedelta(days=60)
    assert f"frist {deadline.day}. " in boxed
    assert "Olieudskilleren" not in boxed
    # the agreed solution is in the delivery plan on the business's side
    deliverable = Deliverable.objects.get(case=visited.case, party=Deliverable.Party.BUSINESS)
    plan = html[html.index('id="leveranceplan"') :]
    assert deliverable.title in text(plan)
    assert "Hent tilsynsrapporten" not in shown
    check(html)


def test_without_enforcement_the_box_says_none_was_issued(
    owner_client: Client, make_visit: Callable[..., Visit], unit: ProductionUnit, karen: User
) -> None:
    visit = make_visit(unit, offer=False, kind="unplanned")
    visit_mark_visited(visit=visit, actor=karen, visited_on=clock.today(), physical=False)

    shown = text(owner_client.get(page(visit.case)).content.decode())

    assert "Kommunen har ikke givet påbud, forbud eller indskærpelser efter dette tilsyn." in shown
    assert "Nej – tilsynet sker uden besøg" in shown


def test_the_report_is_downloaded_from_the_case_page(owner_client: Client, reported: Visit) -> None:
    html = owner_client.get(page(reported.case)).content.decode()
    href = f"/sager/{reported.case.reference}/dokumenter/{reported.report_document_id}/"

    assert "Hent tilsynsrapporten (PDF)" in text(html)
    assert f'href="{href}"' in html
    assert "Tilsynsbesøg – rapport sendt" in text(html)
    response = owner_client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_published_report_links_to_the_public_list(
    owner_client: Client, reported: Visit, karen: User
) -> None:
    visit_publish(visit=reported, actor=karen)

    shown = text(owner_client.get(page(reported.case)).content.decode())

    assert "Tilsynsbesøg – rapport offentliggjort" in shown
    assert "Se offentliggjorte tilsynsrapporter" in shown


def test_the_visit_section_reads_english_after_the_switch(
    owner_client: Client, offered: Visit
) -> None:
    owner_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = owner_client.get(page(offered.case)).content.decode()
    shown = text(html)

    assert "Inspection visit" in shown
    assert "What we will look at" in shown
    assert "Choose time" in shown
    assert ", 09:00–11:00" in shown  # the offered times in English too
    assert f'lang="da">{FOCUS}' in html


# --- my cases ---------------------------------------------------------------------------------


def test_my_cases_shows_the_visit_beside_the_other_matters(
    owner_client: Client, offered: Visit, make_case
) -> None:
    inquiry = make_case()

    html = owner_client.get("/sager/").content.decode()
    shown = text(html)

    assert inquiry.reference in shown and offered.case.reference in shown
    assert "Tilsynsbesøg – vælg et tidspunkt" in shown
    assert f'href="/sager/{offered.case.reference}/#tilsynsbesoeg"' in html
    assert "Vælg tidspunkt for tilsynsbesøget" in shown


def test_my_cases_runs_the_same_queries_with_one_visit_and_with_many(
    owner_client: Client,
    make_visit: Callable[..., Visit],
    make_case,
    business: Business,
    karen: User,
) -> None:
    def another_unit(n: int) -> ProductionUnit:
        return production_unit_register(
            business=business, p_number=f"{1050000000 + n}", name=f"Enhed {n}", actor=karen
        )

    make_visit(another_unit(0))
    make_case()
    with CaptureQueriesContext(connection) as one:
        owner_client.get("/sager/")
    for n in range(1, 8):
        make_visit(another_unit(n), offer=n % 2 == 0)
        make_case()

    with CaptureQueriesContext(connection) as many:
        response = owner_client.get("/sager/")

    assert text(response.content.decode()).count("Tilsynsbesøg –") == 8
    assert len(many) == len(one)


def test_the_case_page_runs_the_same_queries_with_one_finding_and_with_many(
    owner_client: Client, visited: Visit, karen: User
) -> None:
    owner_client.get(page(visited.case))  # the first visit stores the business in the session
    with CaptureQueriesContext(connection) as few:
        owner_client.get(page(visited.case))
    for n in range(5):
        finding_add(visit=visited, actor=karen, kind="observation", text=f"Fund {n}")
        enforcement_add(
            visit=visited, actor=karen, kind="warning", text=f"Krav {n}", legal_basis="§ 1"
        )

    with CaptureQueriesContext(connection) as many:
        owner_client.get(page(visited.case))

    assert len(many) == len(few)


# --- the inquiry never offers the inspection ---------------------------------------------------


def test_the_front_page_and_the_inquiry_do_not_offer_the_inspection(
    owner_client: Client, inspection_service_type: ServiceType, client: Client
) -> None:
    inspection = inspection_service_type
    assert inspection.requestable is False

    front = text(client.get("/").content.decode())
    owner_client.post("/henvendelse/ny/")
    draft = InquiryDraft.objects.get()
    step1 = owner_client.get(f"/henvendelse/{draft.pk}/trin/1/").content.decode()

    assert inspection.name == "Miljøtilsyn"
    assert "Miljøtilsyn" not in front
    assert "Miljøtilsyn" not in text(step1)
    assert 'value="miljoetilsyn"' not in step1
    assert "Udeservering" in front  # the rest of the catalogue is still there


def test_the_inspection_cannot_be_asked_for_by_posting_its_code(
    owner_client: Client, inspection_service_type: ServiceType
) -> None:
    owner_client.post("/henvendelse/ny/")
    draft = InquiryDraft.objects.get()

    response = owner_client.post(
        f"/henvendelse/{draft.pk}/trin/1/",
        {"service_types": ["miljoetilsyn"], "description": "Kom og se til os."},
    )

    assert response.status_code == 422
    assert error_links(response.content.decode())
    assert "miljoetilsyn" not in (InquiryDraft.objects.get().data.get("service_types") or [])
