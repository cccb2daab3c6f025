"""Structural accessibility on every portal page (the browser tests run axe-core on top):
each control has a label, ids are unique, headings do not skip a level, one h1 per page,
and errors are tied to their fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from erhvervskontakt.cases.models import Case, InquiryDraft
from erhvervskontakt.common.tests.files import fake_pdf
from erhvervskontakt.testing.structure import check

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(make_case: Callable[..., Case]) -> Case:
    return make_case(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"], answers={}, screen=True
    )


def test_public_pages_are_well_formed(client: Client, catalogue) -> None:
    for path in ("/", "/log-ind/", "/tilgaengelighed/", "/privatliv/"):
        check(client.get(path).content.decode())


def test_business_pages_are_well_formed(owner_client: Client, awaiting: Case) -> None:
    owner_client.post(f"/sager/{awaiting.reference}/besked/", {"body": "Hej"})
    for path in (
        "/sager/",
        "/henvendelse/ny/",
        f"/sager/{awaiting.reference}/",
        f"/sager/{awaiting.reference}/kvittering/",
        f"/sager/{awaiting.reference}/traek-tilbage/",
    ):
        check(owner_client.get(path).content.decode())


def test_every_step_of_the_new_inquiry_is_well_formed(owner_client: Client, catalogue) -> None:
    owner_client.post("/henvendelse/ny/")
    draft = InquiryDraft.objects.get()
    owner_client.post(
        f"/henvendelse/{draft.pk}/trin/1/",
        {"service_types": ["byggetilladelse-erhverv", "miljoegodkendelse"], "description": "Hal"},
    )
    owner_client.post(
        f"/henvendelse/{draft.pk}/trin/2/",
        {"contact_name": "Eva", "contact_email": "eva@fynsk.dk"},
    )
    owner_client.post(f"/henvendelse/{draft.pk}/trin/3/", {})
    for step in (1, 2, 3, 4):
        check(owner_client.get(f"/henvendelse/{draft.pk}/trin/{step}/").content.decode())


def test_pages_with_errors_are_well_formed_and_tie_errors_to_fields(
    client: Client, owner_client: Client, awaiting: Case, catalogue
) -> None:
    login = check(client.post("/log-ind/", {"username": "", "password": ""}).content.decode())
    assert {"brugernavn-error", "adgangskode-error"} <= set(login.described)

    upload = check(
        owner_client.post(
            f"/sager/{awaiting.reference}/dokument/",
            {"requirement": "tegninger", "file": fake_pdf()},
            follow=True,  # a refused plain post ends at the case page (PRG)
        ).content.decode()
    )
    assert "krav-tegninger-error" in upload.described

    answer = check(
        owner_client.post(
            f"/sager/{awaiting.reference}/svar/", {"answer-listepunkt": "X"}, follow=True
        ).content.decode()
    )
    assert "krav-listepunkt-error" in answer.described
