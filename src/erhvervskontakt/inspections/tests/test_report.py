"""The inspection report as a PDF: it carries the order's minimum content (unit, CVR,
P-number, date, kind, physical or not, enforcement, self-monitoring, follow-up) and the
dialogue (focus, observations, advice, agreed solutions with due dates), made by WeasyPrint.

The text is read back from the PDF with pypdf, so these tests check what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.inspections.models import Enforcement, Finding, Visit
from erhvervskontakt.inspections.report import report_filename, report_html, report_pdf

from .visits import add_enforcement, add_finding, make_unit, make_visit

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def visited(catalogue, business, owner, karen):  # type: ignore[no-untyped-def]
    Municipality.objects.filter(pk=1).update(name="Odense Kommune")
    business.address, business.postcode, business.city = "Havnegade 3", "5000", "Odense C"
    business.save()
    unit = make_unit(business, p_number="1012345678", name="Fynsk Maskinfabrik, Havnen", address="")
    karen.title = "Miljømedarbejder"
    karen.save()
    visit = make_visit(
        business=business,
        owner=owner,
        inspector=karen,
        unit=unit,
        visited_on=dt.date(2027, 3, 10),
        kind="basic",
        physical=True,
        focus="Oplag af spildolie og kemikalier; afløb fra vaskepladsen.",
        self_monitoring="Egenkontrollen af olieudskilleren er ført, men tømningen er ikke noteret.",
        follows_up=True,
        conclusion="Virksomheden drives generelt i overensstemmelse med reglerne.",
    )
    add_finding(visit, Finding.Kind.OBSERVATION, "Spildolie står uden spildbakke i værkstedet.")
    add_finding(visit, Finding.Kind.ADVICE, "Overvej at skifte til vandbaseret affedtning.")
    add_finding(
        visit,
        Finding.Kind.AGREEMENT,
        "Spildbakke under olietønderne.",
        due_date=dt.date(2027, 4, 30),
    )
    add_enforcement(
        visit,
        Enforcement.Kind.ORDER,
        "Olieudskilleren skal tømmes og tømningen dokumenteres.",
        "Miljøbeskyttelseslovens § 42",
        deadline=dt.date(2027, 5, 15),
        issued_on=dt.date(2027, 3, 12),
    )
    return Visit.objects.select_related("case", "unit__business", "inspector").get(pk=visit.pk)


def test_the_report_is_a_pdf_with_the_orders_minimum_content(visited):  # type: ignore[no-untyped-def]
    pdf = report_pdf(visited)

    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf))
    business = visited.unit.business
    # the unit's identification
    assert "Fynsk Maskinfabrik ApS" in text
    assert f"CVR-nummer {business.cvr}" in text
    assert "P-nummer 1012345678" in text
    assert "Fynsk Maskinfabrik, Havnen" in text
    assert "Havnegade 3, 5000 Odense C" in text  # the business's address: the unit has none
    # date, kind, physical
    assert "Dato for tilsynet 10. marts 2027" in text
    assert "Type tilsyn Basistilsyn" in text
    assert "Fysisk tilsyn Ja, fysisk tilsyn på stedet" in text
    # enforcement: kind, text, legal basis, deadline
    assert "Påbud" in text
    assert "Olieudskilleren skal tømmes og tømningen dokumenteres." in text
    assert "Miljøbeskyttelseslovens § 42" in text
    assert "15. maj 2027" in text
    assert "meddelt 12. marts 2027" in text
    # self-monitoring and follow-up
    assert "Egenkontrollen af olieudskilleren er ført, men tømningen er ikke noteret." in text
    assert "følger op på tidligere håndhævelser og aftaler: Ja" in text
    # the dialogue
    assert "Oplag af spildolie og kemikalier; afløb fra vaskepladsen." in text
    assert "Spildolie står uden spildbakke i værkstedet." in text
    assert "Overvej at skifte til vandbaseret affedtning." in text
    assert "Spildbakke under olietønderne. 30. april 2027" in text
    assert "Virksomheden drives generelt i overensstemmelse med reglerne." in text
    # who, for whom, which case, and the page footer
    assert "Karen Kofoed" in text
    assert "Miljømedarbejder" in text
    assert "Odense Kommune" in text
    assert visited.case.reference in text
    assert "Side 1 af" in text
    assert "Offentliggøres senest 10. juli 2027".lower() in text.lower()
    assert "UDKAST" not in text


def test_the_report_says_so_when_nothing_was_enforced_or_agreed(  # type: ignore[no-untyped-def]
    catalogue, business, owner, karen
):
    visit = make_visit(
        business=business,
        owner=owner,
        inspector=karen,
        visited_on=dt.date(2027, 2, 1),
        kind="unplanned",
        physical=False,
        follows_up=None,
    )

    text = flat(pdf_text(report_pdf(visit)))

    assert "Der er ikke meddelt påbud, forbud eller indskærpelser ved tilsynet." in text
    assert "Der er ikke aftalt løsninger ved tilsynet." in text
    assert "Fysisk tilsyn Nej, ikke-fysisk tilsyn" in text
    assert "Type tilsyn Ikke-planlagt tilsyn" in text
    assert "aftaler: Ikke vurderet" in text


def test_a_draft_is_marked_on_every_page(visited):  # type: ignore[no-untyped-def]
    Finding.objects.bulk_create(
        Finding(
            visit=visited,
            kind=Finding.Kind.OBSERVATION,
            text=f"Observation nummer {n} om oplag og afløb i værkstedet.",
            created_by=visited.inspector,
            created_at=visited.created_at,
        )
        for n in range(60)
    )

    reader = PdfReader(io.BytesIO(report_pdf(visited, draft=True)))

    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "UDKAST" in text
        assert f"Side {number} af {len(reader.pages)}" in text


def test_the_text_of_the_business_is_escaped_in_the_report(visited):  # type: ignore[no-untyped-def]
    add_finding(visited, Finding.Kind.OBSERVATION, '<img src="http://example.invalid/x.png">')

    html = report_html(visited)

    assert "&lt;img src=&quot;http://example.invalid/x.png&quot;&gt;" in html
    assert '<img src="http' not in html


def test_the_report_reads_the_prefetched_visit_in_few_queries(  # type: ignore[no-untyped-def]
    visited, django_assert_max_num_queries
):
    from django.db.models import Prefetch

    visit = (
        Visit.objects.select_related("case", "unit__business", "inspector")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("deliverable")),
            "enforcements",
        )
        .get(pk=visited.pk)
    )
    with django_assert_max_num_queries(1):  # the municipality's name
        report_html(visit)


def test_the_file_name_carries_the_case_reference(visited):  # type: ignore[no-untyped-def]
    assert report_filename(visited) == f"Tilsynsrapport-{visited.case.reference}.pdf"
