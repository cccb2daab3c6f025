"""Staff open the documents a business sent (issue 14, item 1): listed with labels, not
internal keys; downloaded, or shown in the browser where that is safe; only on cases the
person may see."""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.common.tests.files import pdf, pdf_bytes, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_drawings(building_case, owner):
    case = building_case(screen=True)
    document = case_add_document(
        case=case, actor=owner, upload=pdf("tegninger.pdf"), requirement_key="tegninger"
    )
    sketch = case_add_document(case=case, actor=owner, upload=png("skitse.png"))
    return case, document, sketch


def _url(case, document, show: bool = False) -> str:
    return f"/medarbejder/sager/{case.reference}/dokumenter/{document.pk}/" + (
        "?vis=1" if show else ""
    )


@pytest.mark.parametrize("page", ["/medarbejder/sager/{ref}/", "/medarbejder/screening/{ref}/"])
def test_the_case_and_screening_pages_list_documents_with_labels_and_links(
    client_for, karen, with_drawings, page, make_case
):
    case, document, _sketch = with_drawings
    if "screening" in page:  # the screening page needs a case not yet screened
        case = make_case(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "1a"})
        document = case_add_document(
            case=case,
            actor=case.created_by,
            upload=pdf("tegninger.pdf"),
            requirement_key="tegninger",
        )
    html = client_for(karen).get(page.format(ref=case.reference)).content.decode()
    assert "tegninger.pdf" in html
    assert "(tegninger)" not in html  # the key is not shown …
    assert "<td>Tegninger</td>" in html  # … its label is
    assert f'href="{_url(case, document)}"' in html
    assert f'href="{_url(case, document, show=True)}"' in html


def test_a_coordinator_downloads_a_document_as_it_was_sent(client_for, karen, with_drawings):
    case, document, _ = with_drawings
    response = client_for(karen).get(_url(case, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="tegninger.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_pdf_and_an_image_are_shown_inline_without_script(client_for, karen, with_drawings):
    case, document, sketch = with_drawings
    client = client_for(karen)
    for doc, kind in ((document, "application/pdf"), (sketch, "image/png")):
        response = client.get(_url(case, doc, show=True))
        assert response.status_code == 200
        assert response["Content-Type"] == kind
        assert response["Content-Disposition"].startswith("inline;")
        assert "script-src" not in response["Content-Security-Policy"]
        assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_caseworker_of_another_department_cannot_open_the_document(
    client_for, bodil, make_case, owner
):
    road = make_case(screen=True)  # Vej og Park only; bodil is in Byggeri
    document = case_add_document(case=road, actor=owner, upload=pdf("plan.pdf"))
    assert client_for(bodil).get(_url(road, document)).status_code == 404


def test_a_business_user_and_an_anonymous_visitor_are_refused(client_for, owner, with_drawings):
    case, document, _ = with_drawings
    assert client_for(owner).get(_url(case, document)).status_code == 403
    anonymous = client_for(None).get(_url(case, document))
    assert anonymous.status_code == 302 and "/medarbejder/log-ind/" in anonymous["Location"]


def test_a_document_of_another_case_is_not_found_under_this_one(
    client_for, karen, with_drawings, make_case, owner
):
    case, _, _ = with_drawings
    other = make_case(screen=True)
    foreign = case_add_document(case=other, actor=owner, upload=pdf("plan.pdf"))
    assert client_for(karen).get(_url(case, foreign)).status_code == 404
