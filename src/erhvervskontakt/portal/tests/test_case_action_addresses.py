"""Every address a case action posts to also answers a GET, by going to its place on the case
page (never 405); a refused plain form post ends at the case page (Post/Redirect/Get) with its
errors and what was typed, shown once; with htmx the section comes back in place."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Case, Deliverable, Message
from erhvervskontakt.cases.services.messages import MAX_MESSAGE
from erhvervskontakt.cases.services.plan import deliverable_add
from erhvervskontakt.testing.html import error_links, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(make_case) -> Case:
    """A building-permit case, screened, waiting for its drawings."""
    return make_case(
        service_types=["byggetilladelse-erhverv"],
        answers={"matrikel": "12a", "etageareal": 400},
        screen=True,
    )


def page(case: Case, suffix: str = "") -> str:
    return f"/sager/{case.reference}/{suffix}"


@pytest.mark.parametrize(
    ("suffix", "anchor"),
    [
        ("besked/", "#beskeder"),
        ("svar/", "#materiale"),
        ("dokument/", "#dokumenter"),
        ("leverance/{line}/", "#leveranceplan"),
        ("tilsyn/tidspunkt/", "#tilsynsbesoeg"),
    ],
)
def test_a_get_of_an_action_address_goes_to_its_place_on_the_case_page(
    owner_client: Client, awaiting: Case, suffix: str, anchor: str
) -> None:
    line = awaiting.deliverables.first()
    assert line is not None
    address = page(awaiting, suffix.format(line=line.pk))

    response = owner_client.get(address)

    assert response.status_code == 302
    assert response["Location"] == page(awaiting) + anchor
    assert owner_client.head(address).status_code == 302
    assert owner_client.put(address).status_code == 405


def test_a_get_without_login_goes_to_the_case_page_which_asks_for_login(
    client: Client, awaiting: Case
) -> None:
    response = client.get(page(awaiting, "besked/"), follow=True)

    assert response.redirect_chain[0] == (page(awaiting) + "#beskeder", 302)
    assert "/log-ind/" in response.redirect_chain[-1][0]


def test_a_refused_message_ends_at_the_case_page_with_the_error_and_the_text_once(
    owner_client: Client, awaiting: Case
) -> None:
    typed = "Vi har et spørgsmål om tegningerne. " + "x" * MAX_MESSAGE

    response = owner_client.post(page(awaiting, "besked/"), {"body": typed})

    assert response.status_code == 303
    assert response["Location"] == page(awaiting)
    shown = owner_client.get(page(awaiting))
    html = shown.content.decode()
    assert shown.status_code == 200
    assert error_links(html) == [("#besked", f"Beskeden må højst være {MAX_MESSAGE} tegn.")]
    assert typed in html  # what was typed is back in the field
    assert 'aria-invalid="true"' in html
    assert not Message.objects.filter(case=awaiting).exists()

    again = owner_client.get(page(awaiting)).content.decode()  # a reload: the page afresh
    assert error_links(again) == []
    assert typed not in again


def test_a_refused_line_keeps_the_answer_typed_for_it(
    owner_client: Client, awaiting: Case, karen: User
) -> None:
    line = deliverable_add(
        case=awaiting,
        actor=karen,
        party=Deliverable.Party.BUSINESS,
        title="Støjberegning",
        due_date=awaiting.estimated_answer_date,
    )
    upload = b"not a pdf at all"
    response = owner_client.post(
        page(awaiting, f"leverance/{line.pk}/"),
        {"note": "Beregningen følger", "file": SimpleUploadedFile("x.pdf", upload)},
    )

    assert response.status_code == 303 and response["Location"] == page(awaiting)
    html = owner_client.get(page(awaiting)).content.decode()
    assert error_links(html)
    assert "Beregningen følger" in html
    line.refresh_from_db()
    assert line.status == Deliverable.Status.PENDING


def test_a_refusal_is_shown_only_on_its_own_case(
    owner_client: Client, awaiting: Case, make_case
) -> None:
    other = make_case(service_types=["udeservering"])
    owner_client.post(page(awaiting, "besked/"), {"body": " "})

    assert error_links(owner_client.get(page(other)).content.decode()) == []
    assert error_links(owner_client.get(page(awaiting)).content.decode()) == []  # used up


def test_with_htmx_a_refusal_still_comes_back_in_place(
    owner_client: Client, awaiting: Case
) -> None:
    response = owner_client.post(
        page(awaiting, "svar/"), {"answer-etageareal": "stor"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="materiale"')
    assert error_links(owner_client.get(page(awaiting)).content.decode()) == []


def test_a_sent_message_is_confirmed_in_the_i_form(owner_client: Client, awaiting: Case) -> None:
    response = owner_client.post(
        page(awaiting, "besked/"), {"body": "Tak for hjælpen."}, follow=True
    )

    assert "Jeres besked er sendt." in text(response.content.decode())
