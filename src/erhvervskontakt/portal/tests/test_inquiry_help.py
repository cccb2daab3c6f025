"""Step 1's search and help, "Ved ikke" where the catalogue allows it, and step 2 keeping
every valid answer of a submit in which another one is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from erhvervskontakt.cases.models import InquiryDraft
from erhvervskontakt.cases.rules import UNKNOWN
from erhvervskontakt.cases.selectors import case_get, case_missing
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.testing.html import error_links, text

pytestmark = pytest.mark.django_db

CONTACT = {"contact_name": "Eva Ejer", "contact_email": "eva@fynsk.dk", "contact_phone": ""}


@pytest.fixture
def draft(owner_client: Client, catalogue: dict[str, ServiceType]) -> InquiryDraft:
    owner_client.post("/henvendelse/ny/")
    return InquiryDraft.objects.get()


@pytest.fixture
def unknowable(catalogue: dict[str, ServiceType]) -> None:
    Requirement.objects.filter(key__in=["listepunkt", "etageareal"]).update(may_be_unknown=True)


def step(draft: InquiryDraft, number: int) -> str:
    return f"/henvendelse/{draft.pk}/trin/{number}/"


def choose(client: Client, draft: InquiryDraft, codes: list[str]) -> None:
    response = client.post(step(draft, 1), {"service_types": codes, "description": "Ny hal"})
    assert response.status_code == 302


def test_step_one_shows_descriptions_and_what_each_need_covers(
    owner_client: Client, draft: InquiryDraft
) -> None:
    ServiceType.objects.filter(code="udeservering").update(description="Borde på fortovet.")

    html = owner_client.get(step(draft, 1)).content.decode()

    assert re.search(r'id="ydelse-udeservering-hint">.*Borde på fortovet\.', html)
    assert "Når I vil stille noget på eller grave i kommunens vej, fortov eller torv." in html
    assert 'role="search"' in html and 'name="q"' in html


def test_the_search_filters_on_the_server_and_carries_hidden_choices_along(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["miljoegodkendelse"])

    html = owner_client.get(step(draft, 1), {"q": "Areal UDESERV"}).content.decode()

    assert re.findall(r'type="checkbox"[^>]*value="([^"]+)"', html) == ["udeservering"]
    assert '<input type="hidden" name="service_types" value="miljoegodkendelse">' in html
    assert "1 ydelse passer til »Areal UDESERV«." in text(html)
    assert "Miljø</legend>" not in html  # a need with nothing matching is left out


def test_a_search_without_hits_says_so(owner_client: Client, draft: InquiryDraft) -> None:
    html = owner_client.get(step(draft, 1), {"q": "pølsevogn"}).content.decode()

    assert "Ingen ydelser passer til søgningen." in text(html)
    assert 'type="checkbox"' not in html


def test_don_t_know_is_offered_only_where_the_catalogue_allows_it(
    owner_client: Client, draft: InquiryDraft, unknowable: None
) -> None:
    choose(owner_client, draft, ["byggetilladelse-erhverv", "miljoegodkendelse"])

    html = owner_client.get(step(draft, 2)).content.decode()

    assert re.search(
        r'id="krav-listepunkt-ved-ikke" name="answer-listepunkt" value="ved-ikke"', html
    )
    assert re.search(r'type="checkbox"[^>]*id="krav-etageareal-ved-ikke"', html)
    assert "krav-matrikel-ved-ikke" not in html
    assert html.count("Ved ikke – vi hjælper jer") == 2


def test_don_t_know_is_stored_as_an_answer_and_a_typed_value_wins(
    owner_client: Client, draft: InquiryDraft, unknowable: None
) -> None:
    choose(owner_client, draft, ["byggetilladelse-erhverv", "miljoegodkendelse"])

    response = owner_client.post(
        step(draft, 2),
        {
            "answer-matrikel": "12a",
            "answer-etageareal": "",
            "answer-etageareal-ved-ikke": UNKNOWN,
            "answer-listepunkt": UNKNOWN,
            **CONTACT,
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["answers"] == {
        "matrikel": "12a",
        "etageareal": UNKNOWN,
        "listepunkt": UNKNOWN,
    }
    html = owner_client.get(step(draft, 2)).content.decode()
    assert re.search(r'id="krav-etageareal-ved-ikke"[^>]*checked', html)
    assert (
        'id="krav-etageareal" name="answer-etageareal" class="form-input input-width-xs" value=""'
        in html
    )
    owner_client.post(step(draft, 3), {})
    review = text(owner_client.get(step(draft, 4)).content.decode())
    assert "Listepunkt Ved ikke – kommunen afklarer det med jer" in review

    owner_client.post(
        step(draft, 2),
        {"answer-etageareal": "400", "answer-etageareal-ved-ikke": UNKNOWN, **CONTACT},
    )
    draft.refresh_from_db()
    assert draft.data["answers"]["etageareal"] == 400


def test_don_t_know_is_refused_where_the_catalogue_does_not_allow_it(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["miljoegodkendelse"])

    response = owner_client.post(step(draft, 2), {"answer-listepunkt": UNKNOWN, **CONTACT})

    assert response.status_code == 422
    assert error_links(response.content.decode()) == [
        ("#krav-listepunkt", "»Listepunkt« skal være en af: K206, D201.")
    ]


def test_a_refused_answer_keeps_the_valid_answers_and_contact_fields_of_the_same_submit(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["byggetilladelse-erhverv"])

    response = owner_client.post(
        step(draft, 2),
        {
            "answer-matrikel": "12a Dalum",
            "answer-etageareal": "ca. 600 m2",
            "contact_name": "Eva Ejer",
            "contact_email": "ikke-en-adresse",
            "contact_phone": "",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="ca. 600 m2"' in html and 'value="12a Dalum"' in html
    draft.refresh_from_db()
    assert draft.data["answers"] == {"matrikel": "12a Dalum"}
    assert draft.data["contact"]["name"] == "Eva Ejer"
    assert draft.data["contact"].get("email", "") == ""
    box = text(html[html.index('id="mangler"') :])
    assert "Matrikelnummer" not in box.split("Kontaktperson")[0]
    assert "Etageareal i m² – svaret skal rettes" in box
    assert draft.step == 2


def test_a_refused_change_leaves_the_stored_answer_and_the_box_asks_to_correct_it(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["byggetilladelse-erhverv"])
    owner_client.post(step(draft, 2), {"answer-etageareal": "850", **CONTACT})

    response = owner_client.post(step(draft, 2), {"answer-etageareal": "mange", **CONTACT})

    draft.refresh_from_db()
    assert draft.data["answers"]["etageareal"] == 850
    assert "Etageareal i m² – svaret skal rettes" in text(response.content.decode())


def test_the_business_and_the_coordinator_read_a_don_t_know_each_their_way(
    owner_client: Client, client_for, karen, owner, business, unknowable
) -> None:
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["miljoegodkendelse"],
        description="Lakering af metaldele.",
        contact={"name": "Eva Ejer", "email": "eva@fynsk.dk"},
        answers={"matrikel": "12a", "listepunkt": UNKNOWN},
    )

    portal = text(owner_client.get(f"/sager/{case.reference}/").content.decode())
    staff = client_for(karen).get(f"/medarbejder/screening/{case.reference}/").content.decode()

    assert "Listepunkt Ved ikke – kommunen afklarer det med jer" in portal
    assert "Listepunkt: Ved ikke – afklares ved screeningen" in staff
    missing = case_missing(case_get(user=owner, reference=case.reference))
    assert [item.key for item in missing] == ["ansoegningsskema"]
