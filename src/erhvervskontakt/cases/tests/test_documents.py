"""Documents from the business (``case_add_document``): the type judged by the content,
the size limit, the requirement a document meets, and the file kept in the case's folder.

``building_case`` (conftest.py) is a building case received Fri 27 Nov 2026 and screened
Mon 30 Nov, awaiting its drawings (tegninger); ``upload(name, content)`` makes the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.common.errors import NotFound, ValidationFailed

from .conftest import upload

pytestmark = pytest.mark.django_db


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


# --- documents ---------------------------------------------------------------------------


def test_the_type_of_a_document_is_judged_by_its_content_not_its_name(
    building_case, owner, png_bytes
):
    document = case_add_document(
        case=building_case,
        actor=owner,
        upload=upload("tegninger.pdf", png_bytes, content_type="application/pdf"),
        requirement_key="tegninger",
    )

    assert document.content_type == "image/png"
    assert document.original_name == "tegninger.pdf"
    assert document.uploaded_by == owner
    event = building_case.events.get(kind="document_added")
    assert event.text == (
        f"Dokument modtaget til »Tegninger«: tegninger.pdf (PNG, {len(png_bytes)} byte)."
    )
    assert event.data == {"document": document.pk, "requirement": "tegninger"}


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64, "exe"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64, "zip"),
        ("Matrikel 12a, tegninger følger.\n".encode() * 4, "plain text"),
    ],
)
def test_a_file_that_is_not_an_accepted_type_is_refused_whatever_its_name(
    building_case, owner, state_of, settings, content, what
):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(
            case=building_case,
            actor=owner,
            upload=upload("tegninger.pdf", content),
            requirement_key="tegninger",
        )

    assert list(refused.value.errors) == ["file"], what
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_an_empty_file_is_refused(building_case, owner, state_of, settings):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(case=building_case, actor=owner, upload=upload("x.pdf", b""))

    assert refused.value.errors == {"file": "Filen er tom."}
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_over_the_size_limit_is_refused(building_case, owner, state_of, settings, pdf_bytes):
    settings.DOCUMENT_MAX_BYTES = len(pdf_bytes) - 1
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(
            case=building_case, actor=owner, upload=upload("tegninger.pdf", pdf_bytes)
        )

    assert list(refused.value.errors) == ["file"]
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_of_exactly_the_size_limit_is_accepted(building_case, owner, settings, pdf_bytes):
    settings.DOCUMENT_MAX_BYTES = len(pdf_bytes)

    document = case_add_document(
        case=building_case, actor=owner, upload=upload("tegninger.pdf", pdf_bytes)
    )

    assert document.size == len(pdf_bytes)


def test_the_size_error_names_the_limit_in_words_a_person_reads(
    building_case, owner, settings, pdf_bytes
):
    settings.DOCUMENT_MAX_BYTES = 300 * 1024
    big = pdf_bytes + b"\n%" + b"x" * (400 * 1024)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(case=building_case, actor=owner, upload=upload("t.pdf", big))

    assert refused.value.errors["file"] == (
        f"Filen er for stor ({len(big) // 1024} KB); den må højst fylde 300 KB."
    )


@pytest.mark.parametrize(
    "key",
    [
        "findes-ikke",
        "matrikel",  # a field requirement: answered with text, not a document
        "ansoegningsskema",  # a document requirement, but of a service type not on this case
    ],
)
def test_a_document_must_meet_a_document_requirement_of_the_case(
    building_case, owner, state_of, settings, pdf_bytes, key
):
    before = state_of(building_case)

    with pytest.raises(ValidationFailed) as refused:
        case_add_document(
            case=building_case, actor=owner, upload=upload("a.pdf", pdf_bytes), requirement_key=key
        )

    assert list(refused.value.errors) == ["requirement"]
    assert state_of(building_case) == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_document_for_an_optional_requirement_or_none_meets_nothing_missing(
    building_case, owner, pdf_bytes
):
    case_add_document(
        case=building_case,
        actor=owner,
        upload=upload("skitse.pdf", pdf_bytes),
        requirement_key="skitse",
    )
    case_add_document(case=building_case, actor=owner, upload=upload("bilag.pdf", pdf_bytes))

    building_case.refresh_from_db()
    assert building_case.status == CaseStatus.AWAITING_BUSINESS
    assert list(building_case.documents.values_list("requirement_key", flat=True)) == ["skitse", ""]
    assert building_case.deliverables.get(requirement_key="tegninger").status == "pending"


def test_a_document_name_cannot_climb_out_of_the_case_folder(building_case, owner, pdf_bytes):
    document = case_add_document(
        case=building_case, actor=owner, upload=upload("../../etc/passwd.pdf", pdf_bytes)
    )

    assert "/" not in document.original_name
    assert document.file.name.startswith(f"cases/2026/{building_case.reference}/")
    assert ".." not in document.file.name.split("/")


def test_another_business_cannot_add_a_document(building_case, other_owner, state_of, pdf_bytes):
    before = state_of(building_case)

    with pytest.raises(NotFound):
        case_add_document(case=building_case, actor=other_owner, upload=upload("x.pdf", pdf_bytes))

    assert state_of(building_case) == before
