"""Structural accessibility on every portal page (the browser tests run axe-core on top):
each control has a label, ids are unique, headings do not skip a level, one h1 per page,
and errors are tied to their fields."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client

from erhvervskontakt.cases.models import Case, InquiryDraft
from erhvervskontakt.common.tests.files import fake_pdf

pytestmark = pytest.mark.django_db

SKIPPED_INPUTS = {"hidden", "submit", "button"}


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, str]] = []
        self.headings: list[int] = []
        self.described: list[str] = []
        self.in_drawer = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea") and (
            attributes.get("type", "text") not in SKIPPED_INPUTS
        ):
            self.controls.append((attributes.get("id", ""), attributes.get("name", "")))
        if "aria-describedby" in attributes:
            self.described.extend(attributes["aria-describedby"].split())
        if "mobile-drawer" in attributes.get("class", ""):
            self.in_drawer = 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self.in_drawer:
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.in_drawer:
            self.in_drawer = 0  # the drawer's headings come before its navigation


def check(html: str) -> Structure:
    page = Structure()
    page.feed(html)
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    unlabelled = [c for c in page.controls if c[0] not in page.label_for]
    assert not unlabelled, f"controls without a label: {unlabelled}"
    missing_targets = [d for d in page.described if d not in page.ids]
    assert not missing_targets, f"aria-describedby points nowhere: {missing_targets}"
    assert page.headings.count(1) == 1, f"h1 count: {page.headings}"
    main = page.headings[page.headings.index(1) :]
    for before, after in itertools.pairwise(main):
        assert after <= before + 1, f"heading skips a level: {page.headings}"
    return page


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
        ).content.decode()
    )
    assert "krav-tegninger-error" in upload.described

    answer = check(
        owner_client.post(
            f"/sager/{awaiting.reference}/svar/", {"answer-listepunkt": "X"}
        ).content.decode()
    )
    assert "krav-listepunkt-error" in answer.described
