"""The public list of inspection reports (``/tilsynsrapporten/``): no login, the minimum
content the inspection order asks of a published report, search by name, CVR or P-number,
25 a page in the same few queries, and each report's PDF — only once it is published."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from itertools import count
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.businesses.tests.factories import BusinessFactory
from erhvervskontakt.cases.models import Document
from erhvervskontakt.cases.services.lifecycle import case_open_by_municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf_bytes
from erhvervskontakt.inspections.models import Enforcement, Visit
from erhvervskontakt.inspections.services.carrying_out import enforcement_add, visit_mark_visited
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import visit_create
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.html import text
from erhvervskontakt.testing.structure import check

pytestmark = pytest.mark.django_db

URL = "/tilsynsrapporter/"
_numbers = count(1)


def main_text(response: Any) -> str:
    html = response.content.decode()
    return text(html[html.index("<main") : html.index("</main>")])


@pytest.fixture(autouse=True)
def _inspection_service_type(catalogue: dict[str, Any]) -> None:
    ensure_inspection_service_type()


@pytest.fixture
def report(catalogue: dict[str, Any], karen: User) -> Any:
    """``report(business, name=…, visited_on=…, published=True, enforcement=("order",))``:
    a visit with its report PDF on the case, as the services leave it once reported (and
    published). Rows are written directly: these tests are about the public reading."""

    def make(
        business: Business,
        *,
        name: str | None = None,
        p_number: str | None = None,
        address: str = "Havnegade 1, 5000 Odense C",
        visited_on: dt.date = dt.date(2026, 3, 10),
        kind: str = "basic",
        physical: bool = True,
        published: bool = True,
        enforcement: tuple[str, ...] = (),
    ) -> Visit:
        n = next(_numbers)
        case = case_open_by_municipality(
            business=business,
            actor=karen,
            service_type=catalogue["raadgivning"],
            description="Miljøtilsyn",
            contact_name="Eva Ejer",
            contact_email="eva@example.dk",
            caseworker=karen,
        )
        unit = ProductionUnit.objects.create(
            business=business,
            p_number=p_number or f"{3000000000 + n}",
            name=name or f"Enhed {n}",
            address=address,
        )
        content = pdf_bytes()
        document = Document.objects.create(
            case=case,
            file=ContentFile(content, name=f"Tilsynsrapport-{case.reference}.pdf"),
            original_name=f"Tilsynsrapport-{case.reference}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=karen,
            uploaded_at=clock.now(),
        )
        visit = Visit.objects.create(
            case=case,
            unit=unit,
            kind=kind,
            physical=physical,
            inspector=karen,
            focus="Olie og kemikalier.",
            status=Visit.Status.PUBLISHED if published else Visit.Status.REPORTED,
            visited_on=visited_on,
            report_sent_on=visited_on + dt.timedelta(days=20),
            report_document=document,
            published_on=visited_on + dt.timedelta(days=40) if published else None,
            created_by=karen,
            created_at=clock.now(),
        )
        for kind_issued in enforcement:
            Enforcement.objects.create(
                visit=visit,
                kind=kind_issued,
                text="Krav",
                legal_basis="Miljøbeskyttelsesloven",
                issued_on=visited_on,
                created_by=karen,
                created_at=clock.now(),
            )
        return visit

    return make


def test_the_list_needs_no_login_and_shows_what_a_published_report_must_say(
    client: Client, report, business: Business
) -> None:
    visit = report(
        business,
        name="Galvaniseringen",
        p_number="1234567890",
        visited_on=dt.date(2026, 3, 10),
        kind="prioritised",
        physical=False,
        enforcement=("order", "warning", "order"),
    )

    response = client.get(URL)
    shown = main_text(response)

    assert response.status_code == 200
    assert "Tilsynsrapporter" in shown
    row = shown[shown.index(business.name) :]
    assert f"CVR {business.cvr}" in row
    assert "Galvaniseringen P-nummer 1234567890 Havnegade 1, 5000 Odense C" in row
    assert "10. marts 2026" in row
    assert "Prioriteret tilsyn" in row
    assert "Nej" in row  # not a physical inspection
    assert "Påbud, indskærpelse" in row
    assert f'href="/tilsynsrapporter/{visit.pk}/rapport.pdf"' in response.content.decode()
    check(response.content.decode())


def test_a_report_without_enforcement_says_no(client: Client, report, business: Business) -> None:
    report(business, physical=True)

    row = main_text(client.get(URL))

    assert re.search(r"Basistilsyn Ja Nej Tilsynsrapport \(PDF\)", row), row


def test_the_published_pdf_is_served_to_anyone(client: Client, report, business: Business) -> None:
    visit = report(business)

    response = client.get(f"/tilsynsrapporter/{visit.pk}/rapport.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_an_unpublished_report_is_neither_listed_nor_served(
    client: Client, report, business: Business, owner: User
) -> None:
    sent = report(business, name="Ikke offentliggjort endnu", published=False)

    assert "Ikke offentliggjort endnu" not in main_text(client.get(URL))
    assert client.get(f"/tilsynsrapporter/{sent.pk}/rapport.pdf").status_code == 404
    assert client.get("/tilsynsrapporter/999999/rapport.pdf").status_code == 404
    # not even to the business itself, logged in: its copy is on its case page
    client.force_login(owner)
    assert client.get(f"/tilsynsrapporter/{sent.pk}/rapport.pdf").status_code == 404


def test_the_list_is_searched_by_name_cvr_or_p_number(
    client: Client, report, business: Business, other_business: Business
) -> None:
    report(business, name="Fynsk Lakering", p_number="1111111111")
    report(other_business, name="Anden Enhed", p_number="2222222222")

    def found(query: str) -> str:
        return main_text(client.get(URL, {"q": query}))

    assert business.name in found("Fynsk") and other_business.name not in found("Fynsk")
    assert other_business.name in found(other_business.cvr)
    assert business.name not in found(other_business.cvr)
    assert business.name in found("1111111111") and other_business.name not in found("1111111111")
    assert "Ingen offentliggjorte rapporter matcher søgningen." in found("findes ikke")
    assert 'value="Fynsk"' in client.get(URL, {"q": "Fynsk"}).content.decode()


def test_the_list_has_25_a_page_newest_first_and_keeps_the_search(
    client: Client, report, business: Business
) -> None:
    base = dt.date(2025, 1, 1)
    visits = [
        report(business, name=f"Enhed {n:02d}", visited_on=base + dt.timedelta(days=n))
        for n in range(26)
    ]

    first = client.get(URL, {"q": business.name}).content.decode()
    second = client.get(URL, {"q": business.name, "side": 2}).content.decode()

    assert first.count("/rapport.pdf") == 25
    assert second.count("/rapport.pdf") == 1
    assert f"/tilsynsrapporter/{visits[-1].pk}/rapport.pdf" in first  # newest first
    assert f"/tilsynsrapporter/{visits[0].pk}/rapport.pdf" in second
    assert "26 rapporter matcher" in text(first)
    query = business.name.replace(" ", "+")
    assert f'href="?q={query}&amp;side=2"' in first
    check(first)


def test_the_list_runs_the_same_queries_for_one_report_and_for_a_full_page(
    client: Client, report
) -> None:
    report(BusinessFactory(), enforcement=("order",))
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(24):
        report(BusinessFactory(), enforcement=("ban", "warning") if n % 2 else ())

    with CaptureQueriesContext(connection) as full:
        response = client.get(URL)

    assert response.content.decode().count("/rapport.pdf") == 25
    assert len(full) == len(one)


def test_a_report_sent_and_published_through_the_services_is_listed_and_served(
    client: Client, catalogue: dict[str, Any], business: Business, owner: User, karen: User
) -> None:
    unit = production_unit_register(
        business=business, p_number="1212121212", name="Smedjen", actor=karen
    )
    visit = visit_create(
        unit=unit, actor=karen, kind="unplanned", focus="Støj fra ventilationen.", inspector=karen
    )
    visit = visit_mark_visited(visit=visit, actor=karen, visited_on=clock.today(), physical=True)
    enforcement_add(
        visit=visit, actor=karen, kind="ban", text="Stop natkørsel.", legal_basis="§ 42"
    )
    visit = visit_report_update(
        visit=Visit.objects.get(pk=visit.pk),
        actor=karen,
        self_monitoring="I orden.",
        follows_up=True,
        conclusion="Støjen skal ned.",
    )
    visit = visit_report_send(visit=visit, actor=karen)
    pdf_url = f"/tilsynsrapporter/{visit.pk}/rapport.pdf"

    assert client.get(pdf_url).status_code == 404  # sent, not yet published
    assert "Smedjen" not in main_text(client.get(URL))

    visit_publish(visit=Visit.objects.get(pk=visit.pk), actor=karen)

    shown = main_text(client.get(URL))
    assert "Smedjen" in shown and "1212121212" in shown and "Forbud" in shown
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_footer_links_to_the_reports_and_the_page_reads_english(
    client: Client, catalogue: dict[str, Any], report, business: Business
) -> None:
    report(business, kind="start_up", enforcement=("warning",))
    assert 'href="/tilsynsrapporter/"' in client.get("/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    shown = main_text(client.get(URL))

    assert "Inspection reports" in shown
    assert "Start-up inspection" in shown and "Warning" in shown
    assert "1 published report" in shown
