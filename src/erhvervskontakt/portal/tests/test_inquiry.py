"""The new-inquiry flow: a server-side draft saved at every step, merged questions, documents
checked by content, a review with "Ret" links, and a receipt that says at once what is missing."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.cases.models import Answer, Case, DraftDocument, InquiryDraft
from erhvervskontakt.cases.services.drafts import draft_create, draft_update
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common.tests.files import fake_pdf, pdf
from erhvervskontakt.testing.html import error_links, text

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
TWO_MATTERS = ["byggetilladelse-erhverv", "miljoegodkendelse"]
CONTACT = {"contact_name": "Eva Ejer", "contact_email": "eva@fynsk.dk", "contact_phone": ""}


@pytest.fixture
def draft(owner_client: Client, catalogue: dict[str, ServiceType]) -> InquiryDraft:
    response = owner_client.post("/henvendelse/ny/")
    made = InquiryDraft.objects.get()
    assert response["Location"] == f"/henvendelse/{made.pk}/trin/1/"
    return made


def step(draft: InquiryDraft, number: int) -> str:
    return f"/henvendelse/{draft.pk}/trin/{number}/"


def choose(client: Client, draft: InquiryDraft, codes: list[str], description: str = "Ny hal"):
    return client.post(step(draft, 1), {"service_types": codes, "description": description})


def test_a_new_inquiry_is_a_draft_for_the_current_business(
    draft: InquiryDraft, owner: User, business: Business
) -> None:
    assert (draft.user, draft.business, draft.step) == (owner, business, 1)


def test_starting_needs_a_post_and_the_start_page_offers_drafts_begun_earlier(
    owner_client: Client, draft: InquiryDraft
) -> None:
    html = owner_client.get("/henvendelse/ny/").content.decode()

    assert InquiryDraft.objects.count() == 1
    assert f'href="/henvendelse/{draft.pk}/trin/1/"' in html


def test_step_one_offers_the_catalogue_grouped_by_need_as_checkboxes(
    owner_client: Client, draft: InquiryDraft
) -> None:
    html = owner_client.get(step(draft, 1)).content.decode()

    assert 'class="step-indicator"' in html and 'aria-current="step"' in html
    assert html.index("Byg og ombyg") < html.index("Miljø") < html.index("Rådgivning")
    assert html.count('type="checkbox"') == 4
    assert 'name="description"' in html


def test_nothing_chosen_and_no_description_are_both_reported_at_the_fields(
    owner_client: Client, draft: InquiryDraft
) -> None:
    response = choose(owner_client, draft, [], description="  ")

    html = response.content.decode()
    assert response.status_code == 422
    assert error_links(html) == [
        ("#ydelser", "Vælg mindst én ydelse."),
        ("#beskrivelse", "Beskriv kort, hvad henvendelsen drejer sig om."),
    ]
    assert (
        'type="checkbox" class="form-checkbox" name="service_types" value="byggetilladelse-erhverv" id="ydelser"'
        in html
    )
    assert "<title>Fejl:" in html


def test_a_reload_of_a_step_shows_what_was_saved(owner_client: Client, draft: InquiryDraft) -> None:
    choose(owner_client, draft, TWO_MATTERS, description="Lagerhal på 900 m²")

    html = owner_client.get(step(draft, 1)).content.decode()

    assert re.search(r'value="byggetilladelse-erhverv"[^>]* checked', html)
    assert re.search(r'value="miljoegodkendelse"[^>]* checked', html)
    assert not re.search(r'value="udeservering"[^>]* checked', html)
    assert "Lagerhal på 900 m²</textarea>" in html


def test_step_two_asks_a_shared_question_once_with_the_right_input_per_type(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, TWO_MATTERS)

    html = owner_client.get(step(draft, 2)).content.decode()

    assert html.count('name="answer-matrikel"') == 1
    assert (
        "Spørges om én gang, gælder for: Byggetilladelse til industri og lager, "
        "Miljøgodkendelse (bilag 2)." in text(html)
    )
    assert re.search(r'type="text" id="krav-etageareal"[^>]*inputmode="decimal"', html)
    assert 'type="date" id="krav-ibrugtagning"' in html
    assert 'type="radio" id="krav-listepunkt" name="answer-listepunkt" value="K206"' in html
    assert 'Matrikelnummer<span class="weight-normal"> (skal oplyses)' in html
    assert 'Forventet ibrugtagning<span class="weight-normal"> (frivilligt)' in html
    assert 'name="answer-tegninger"' not in html  # documents come in step 3


def test_the_contact_person_is_prefilled_from_the_user(
    owner_client: Client, owner: User, draft: InquiryDraft
) -> None:
    owner.first_name, owner.last_name, owner.phone = "Eva", "Ejer", "12345678"
    owner.save()
    choose(owner_client, draft, ["udeservering"])

    html = owner_client.get(step(draft, 2)).content.decode()

    assert 'value="Eva Ejer"' in html and f'value="{owner.email}"' in html
    assert 'value="12345678"' in html


def test_answers_are_saved_typed_and_a_reload_shows_them(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, TWO_MATTERS)

    response = owner_client.post(
        step(draft, 2),
        {
            "answer-matrikel": "12a Dalum",
            "answer-etageareal": "1.200",
            "answer-listepunkt": "K206",
            "answer-ibrugtagning": "",
            **CONTACT,
        },
    )

    assert response["Location"] == step(draft, 3)
    draft.refresh_from_db()
    assert draft.data["answers"] == {
        "matrikel": "12a Dalum",
        "etageareal": 1200,
        "listepunkt": "K206",
    }
    assert draft.data["contact"]["email"] == "eva@fynsk.dk"
    html = owner_client.get(step(draft, 2)).content.decode()
    assert 'value="12a Dalum"' in html and 'value="1200"' in html
    assert re.search(r'value="K206" class="form-radio" checked', html)


def test_a_validation_error_keeps_every_input_and_names_the_fields(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, TWO_MATTERS)

    response = owner_client.post(
        step(draft, 2),
        {
            "answer-matrikel": "12a Dalum",
            "answer-etageareal": "mange",
            "answer-listepunkt": "K206",
            "contact_name": "Eva Ejer",
            "contact_email": "ikke-en-adresse",
            "contact_phone": "",
        },
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert error_links(html) == [
        ("#krav-etageareal", "»Etageareal i m²« skal besvares med et tal."),
        ("#kontakt-email", "E-mailadressen er ikke gyldig."),
    ]
    assert 'value="mange"' in html and 'value="12a Dalum"' in html
    assert 'value="ikke-en-adresse"' in html and 'value="Eva Ejer"' in html
    assert 'aria-describedby="krav-etageareal-format krav-etageareal-error"' in html
    draft.refresh_from_db()
    assert draft.step == 2


def test_tilbage_saves_the_step_and_goes_back(owner_client: Client, draft: InquiryDraft) -> None:
    choose(owner_client, draft, ["udeservering"])

    response = owner_client.post(
        step(draft, 2), {"answer-areal": "12,5", **CONTACT, "action": "back"}
    )

    assert response["Location"] == step(draft, 1)
    draft.refresh_from_db()
    assert draft.data["answers"] == {"areal": 12.5}


def test_a_step_not_reached_yet_sends_the_user_to_the_furthest_step(
    owner_client: Client, draft: InquiryDraft
) -> None:
    assert owner_client.get(step(draft, 3))["Location"] == step(draft, 1)
    assert owner_client.get(f"/henvendelse/{draft.pk}/trin/7/").status_code == 404


def test_another_user_s_draft_is_not_found(
    draft: InquiryDraft, other_owner: User, client_for
) -> None:
    other = client_for(other_owner)

    assert other.get(step(draft, 1)).status_code == 404
    assert other.post(step(draft, 1), {"service_types": ["raadgivning"]}).status_code == 404


def test_the_live_check_saves_the_answers_and_says_what_is_still_missing(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["udeservering"])

    before = owner_client.post(f"/henvendelse/{draft.pk}/tjek/", {}, HTTP_HX_REQUEST="true")
    after = owner_client.post(
        f"/henvendelse/{draft.pk}/tjek/", {"answer-areal": "12"}, HTTP_HX_REQUEST="true"
    )

    assert "Areal i m²" in before.content.decode()
    assert "<html" not in after.content.decode()
    assert "Vi har alt, hvad de valgte ydelser kræver." in after.content.decode()
    draft.refresh_from_db()
    assert draft.data["answers"] == {"areal": 12}


def test_step_two_is_wired_for_the_live_check_and_works_without_it(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["udeservering"])

    html = owner_client.get(step(draft, 2)).content.decode()

    assert f'hx-post="/henvendelse/{draft.pk}/tjek/"' in html
    assert f'<form method="post" action="/henvendelse/{draft.pk}/trin/2/"' in html


def test_step_three_has_one_upload_per_document_and_refuses_a_file_by_its_content(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, TWO_MATTERS)
    owner_client.post(step(draft, 2), CONTACT)
    html = owner_client.get(step(draft, 3)).content.decode()
    assert 'type="file" id="krav-tegninger" name="answer-tegninger"' in html
    assert 'type="file" id="krav-ansoegningsskema" name="answer-ansoegningsskema"' in html
    assert 'enctype="multipart/form-data"' in html

    response = owner_client.post(step(draft, 3), {"answer-tegninger": fake_pdf()})

    page = response.content.decode()
    assert response.status_code == 422
    assert error_links(page) == [
        (
            "#krav-tegninger",
            "Filtypen kan ikke modtages; send PDF, billede (PNG, JPEG, TIFF), Word, Excel eller ODT.",
        )
    ]
    assert DraftDocument.objects.count() == 0


def test_an_uploaded_document_is_shown_on_the_step_after_a_reload(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["byggetilladelse-erhverv"])
    owner_client.post(step(draft, 2), CONTACT)

    response = owner_client.post(step(draft, 3), {"answer-tegninger": pdf("hal.pdf")})

    assert response["Location"] == step(draft, 4)
    assert "Modtaget: hal.pdf" in owner_client.get(step(draft, 3)).content.decode()


def test_the_review_shows_everything_with_ret_links_and_marks_what_is_missing(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["udeservering"], description="Borde ude")
    owner_client.post(step(draft, 2), CONTACT)
    owner_client.post(step(draft, 3), {})

    html = owner_client.get(step(draft, 4)).content.decode()

    assert "Udeservering" in html and "Borde ude" in html and "Eva Ejer" in html
    assert f'href="{step(draft, 1)}#beskrivelse">Ret' in html
    assert f'href="{step(draft, 2)}#krav-areal">Ret' in html
    assert f'href="{step(draft, 3)}#krav-skitse">Ret' in html
    assert "Mangler" in html and "Vi mangler stadig 1 ting" in html


def test_a_refused_submission_links_to_the_step_that_asks_the_field(
    owner_client: Client, owner: User, draft: InquiryDraft
) -> None:
    draft_update(draft=draft, actor=owner, service_types=["raadgivning"], description="Råd", step=4)

    response = owner_client.post(step(draft, 4))

    html = response.content.decode()
    assert response.status_code == 422
    assert (f"{step(draft, 2)}#kontakt-navn", "Angiv kontaktpersonens navn.") in error_links(html)
    assert Case.objects.count() == 0


def test_a_two_matter_inquiry_with_a_document_missing_gets_a_receipt_listing_it(
    owner_client: Client, draft: InquiryDraft, time_machine
) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 26, 10, 0, tzinfo=CPH))  # a Thursday
    choose(owner_client, draft, TWO_MATTERS, description="Lagerhal og ny produktion")
    owner_client.post(
        step(draft, 2),
        {
            "answer-matrikel": "12a",
            "answer-etageareal": "900",
            "answer-listepunkt": "K206",
            **CONTACT,
        },
    )
    owner_client.post(step(draft, 3), {"answer-tegninger": pdf()})

    submitted = owner_client.post(step(draft, 4))

    case = Case.objects.get()
    assert submitted["Location"] == f"/sager/{case.reference}/kvittering/"
    receipt = owner_client.get(submitted["Location"]).content.decode()
    assert case.reference in receipt
    # 5 working days after Thursday 26 November 2026
    assert "I hører fra os senest torsdag den 3. december 2026." in text(receipt)
    assert "Vi mangler 1 ting fra jer" in receipt
    assert (
        f'href="/sager/{case.reference}/#krav-ansoegningsskema">Send Ansøgningsskema</a>' in receipt
    )
    assert dict(Answer.objects.filter(case=case).values_list("key", "value")) == {
        "matrikel": "12a",
        "etageareal": 900,
        "listepunkt": "K206",
    }
    assert case.documents.get().requirement_key == "tegninger"


def test_submitting_twice_makes_one_case_and_the_draft_leads_to_its_receipt(
    owner_client: Client, draft: InquiryDraft
) -> None:
    choose(owner_client, draft, ["raadgivning"])
    owner_client.post(step(draft, 2), CONTACT)
    owner_client.post(step(draft, 3), {})

    first = owner_client.post(step(draft, 4))
    second = owner_client.post(step(draft, 4))

    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert owner_client.get(step(draft, 2))["Location"] == first["Location"]


def test_a_draft_of_another_of_the_user_s_businesses_makes_it_current(
    owner_client: Client, owner: User, other_business: Business, catalogue
) -> None:
    Membership.objects.create(user=owner, business=other_business)
    other_draft = draft_create(actor=owner, business=other_business)

    html = owner_client.get(step(other_draft, 1)).content.decode()

    assert re.search(rf'<option value="{other_business.cvr}" selected>', html)
