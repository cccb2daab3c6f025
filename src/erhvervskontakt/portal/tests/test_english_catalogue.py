"""The English pages translate what is ours in the catalogue: a service type's description
(``description_en``) on the front page and in step 1 of the inquiry, and the answers the
business gave, read back in English (a choice's ``label_en``, »Yes« for »Ja«). An empty
English wording falls back to the Danish one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from erhvervskontakt.cases.models import Case, InquiryDraft
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.demo.catalogue import DESCRIPTIONS_EN, REQUIREMENTS, SERVICE_TYPES
from erhvervskontakt.testing.html import text

pytestmark = pytest.mark.django_db

DANISH = "Godkendelse efter miljøbeskyttelseslovens kapitel 5, før virksomheden bygges."
ENGLISH = "Approval under chapter 5 of the Environmental Protection Act before building."


@pytest.fixture
def translated(catalogue: dict[str, ServiceType]) -> None:
    """The test catalogue's environmental approval with descriptions in both languages, its
    choice »Listepunkt« with English labels, and a yes/no question on the outdoor serving."""
    ServiceType.objects.filter(code="miljoegodkendelse").update(
        description=DANISH, description_en=ENGLISH
    )
    Requirement.objects.filter(key="listepunkt").update(
        choices=[
            {"value": "K206", "label": "K 206 Maskinfabrik", "label_en": "K 206 Machine factory"},
            {"value": "D201", "label": "D 201 Renseri"},
        ]
    )
    Requirement.objects.create(
        service_type=catalogue["udeservering"],
        key="overdaekning",
        label="Skal der stå en overdækning?",
        label_en="Will there be a canopy?",
        value_type=Requirement.Type.BOOLEAN,
        mandatory=False,
        position=5,
    )


def in_english(client: Client, path: str) -> str:
    client.post("/i18n/setlang/", {"language": "en", "next": path})
    return text(client.get(path).content.decode())


def in_danish(client: Client, path: str) -> str:
    client.post("/i18n/setlang/", {"language": "da", "next": path})
    return text(client.get(path).content.decode())


@pytest.mark.usefixtures("translated")
def test_the_front_page_shows_the_english_description(client: Client) -> None:
    english = in_english(client, "/")
    danish = in_danish(client, "/")

    assert ENGLISH in english and DANISH not in english
    assert DANISH in danish and ENGLISH not in danish


@pytest.mark.usefixtures("translated")
def test_step_one_of_the_inquiry_shows_the_english_description(owner_client: Client) -> None:
    owner_client.post("/henvendelse/ny/")
    draft = InquiryDraft.objects.get()

    english = in_english(owner_client, f"/henvendelse/{draft.pk}/trin/1/")

    assert ENGLISH in english and DANISH not in english


@pytest.mark.usefixtures("translated")
def test_a_choice_and_a_yes_no_answer_read_in_english(
    owner_client: Client, make_case: Callable[..., Case]
) -> None:
    case = make_case(
        service_types=["miljoegodkendelse", "udeservering"],
        answers={"listepunkt": "K206", "areal": 12, "overdaekning": True},
    )

    english = in_english(owner_client, f"/sager/{case.reference}/")
    danish = in_danish(owner_client, f"/sager/{case.reference}/")

    assert "Listepunkt K 206 Machine factory" in english
    assert "Will there be a canopy? Yes" in english
    assert "K 206 Maskinfabrik" in danish and "Skal der stå en overdækning? Ja" in danish


@pytest.mark.usefixtures("translated")
def test_a_choice_without_an_english_label_reads_in_danish(
    owner_client: Client, make_case: Callable[..., Case]
) -> None:
    case = make_case(service_types=["miljoegodkendelse"], answers={"listepunkt": "D201"})

    assert "D 201 Renseri" in in_english(owner_client, f"/sager/{case.reference}/")


def test_the_demo_catalogue_has_english_for_every_description_and_choice() -> None:
    assert set(DESCRIPTIONS_EN) == {spec.code for spec in SERVICE_TYPES}
    assert all(DESCRIPTIONS_EN.values())
    assert [
        (key, value)
        for key, req in REQUIREMENTS.items()
        for value, _label, label_en in req.choices
        if not label_en
    ] == []
