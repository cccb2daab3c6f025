"""NUL characters are refused the same way on every page (issue 15): a portal message, a
draft step and a staff note get a clear Danish answer, nothing is stored, and no request
ends in a 500 (PostgreSQL cannot store a NUL in text). The API refuses them at the field
(``api/tests/test_errors.py``)."""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import Message
from erhvervskontakt.cases.services.drafts import draft_create
from erhvervskontakt.testing.html import text

pytestmark = pytest.mark.django_db


def test_a_portal_message_with_a_nul_is_refused_in_danish(client_for, owner, make_case):
    case = make_case(screen=True)
    response = client_for(owner).post(f"/sager/{case.reference}/besked/", {"body": "Hej\x00der"})
    assert response.status_code == 400
    assert "nul-tegn" in text(response.content.decode())
    assert not Message.objects.filter(case=case).exists()


def test_a_draft_and_a_staff_note_with_a_nul_are_refused_too(
    client_for, owner, business, karen, make_case
):
    draft = draft_create(actor=owner, business=business)
    before = dict(draft.data)
    response = client_for(owner).post(
        f"/henvendelse/{draft.pk}/trin/1/", {"description": "Lager\x00hal"}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.data == before
    case = make_case(screen=True)
    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/notat/",
        {"body": "Intern\x00note", "version": case.version},
    )
    assert response.status_code == 400
    assert not Message.objects.filter(case=case).exists()


def test_a_pdf_with_nul_bytes_is_still_a_file_not_a_refusal(client_for, owner, make_case):
    from erhvervskontakt.common.tests.files import pdf

    case = make_case(screen=True)
    response = client_for(owner).post(f"/sager/{case.reference}/dokument/", {"file": pdf()})
    assert response.status_code in (302, 303)
