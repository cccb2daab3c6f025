"""My cases and the case page: only the business's own cases, the delivery plan, missing
material supplied in place (with and without htmx), messages, documents and withdrawal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, Document, Message
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.lifecycle import case_withdraw
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.common.tests.files import fake_pdf, pdf
from erhvervskontakt.testing.html import error_links, text

pytestmark = pytest.mark.django_db

BUILDING = ["byggetilladelse-erhverv"]


def page(case: Case, suffix: str = "") -> str:
    return f"/sager/{case.reference}/{suffix}"


@pytest.fixture
def awaiting(make_case: Callable[..., Case]) -> Case:
    """A screened building case waiting for the floor area and the drawings."""
    case = make_case(service_types=BUILDING, answers={"matrikel": "12a"}, screen=True)
    assert case.status == CaseStatus.AWAITING_BUSINESS
    return case


def business_deliverable(case: Case, key: str) -> Deliverable:
    return Deliverable.objects.get(case=case, requirement_key=key)


# --- my cases -----------------------------------------------------------------------------


def test_my_cases_lists_only_the_current_business_s_cases(
    owner_client: Client, make_case, other_business: Business
) -> None:
    mine = make_case()
    theirs = make_case(for_business=other_business)

    html = owner_client.get("/sager/").content.decode()

    assert mine.reference in html
    assert theirs.reference not in html


def test_my_cases_shows_status_coordinator_and_the_next_thing_to_deliver(
    owner_client: Client, awaiting: Case
) -> None:
    html = text(owner_client.get("/sager/").content.decode())

    assert "Afventer jer" in html
    assert "Karen Kofoed" in html
    due = business_deliverable(awaiting, "etageareal").due_date
    assert "Oplys: Etageareal i m²" in html or "Send: Tegninger" in html
    assert f"{due.day}. " in html


def test_an_overdue_deliverable_is_marked_in_words(owner_client: Client, awaiting: Case) -> None:
    assert "Overskredet" not in text(owner_client.get("/sager/").content.decode())
    Deliverable.objects.filter(case=awaiting).update(due_date=dt.date(2020, 1, 1))

    html = text(owner_client.get("/sager/").content.decode())

    assert "Overskredet" in html
    assert "Fristen er overskredet" in text(owner_client.get(page(awaiting)).content.decode())


def test_open_and_closed_cases_are_filtered(owner_client: Client, make_case, owner: User) -> None:
    open_case = make_case()
    withdrawn = case_withdraw(case=make_case(), actor=owner)

    default = owner_client.get("/sager/").content.decode()
    closed = owner_client.get("/sager/?vis=afsluttede").content.decode()
    everything = owner_client.get("/sager/?vis=alle").content.decode()

    assert open_case.reference in default and withdrawn.reference not in default
    assert withdrawn.reference in closed and open_case.reference not in closed
    assert open_case.reference in everything and withdrawn.reference in everything


def test_my_cases_pages_twenty_at_a_time(owner_client: Client, make_case) -> None:
    cases = [make_case() for _ in range(21)]

    first = owner_client.get("/sager/").content.decode()
    second = owner_client.get("/sager/?side=2").content.decode()

    assert cases[0].reference in second and cases[0].reference not in first
    assert cases[-1].reference in first
    assert 'href="?vis=aabne&amp;side=2"' in first
    assert "21 sager" in text(first)


def test_my_cases_runs_the_same_queries_for_one_case_and_for_twenty(
    owner_client: Client, make_case, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_case(service_types=BUILDING, answers={}, screen=True)
    with CaptureQueriesContext(connection) as one:
        owner_client.get("/sager/")
    for _ in range(19):
        make_case(service_types=BUILDING, answers={}, screen=True)
    with CaptureQueriesContext(connection) as twenty:
        response = owner_client.get("/sager/")

    assert response.content.decode().count("/sager/EK-") >= 20
    assert len(twenty) == len(one)


# --- the case page ------------------------------------------------------------------------


def test_another_business_s_case_answers_404(make_case, other_owner: User, client_for) -> None:
    case = make_case()
    other = client_for(other_owner)

    for path in (page(case), page(case, "kvittering/"), page(case, "traek-tilbage/")):
        assert other.get(path).status_code == 404, path
    assert other.post(page(case, "besked/"), {"body": "Hej"}).status_code == 404
    assert other.post(page(case, "svar/"), {"answer-areal": "3"}).status_code == 404
    assert Message.objects.count() == 0


def test_the_case_page_shows_the_coordinator_the_dates_and_the_delivery_plan(
    owner_client: Client, awaiting: Case, karen: User
) -> None:
    karen.phone = "+45 65 51 12 34"
    karen.save()

    html = owner_client.get(page(awaiting)).content.decode()
    words = text(html)

    assert '<span class="avatar" aria-hidden="true">KK</span>' in html
    assert "Karen Kofoed" in words and "+45 65 51 12 34" in words and "karen@kommune.test" in words
    assert "Screening senest" in words and "Forventet svar" in words
    assert (
        "Nationalt servicemål" in words and "kalenderdage efter, at sagen er fuldt oplyst" in words
    )
    assert "Det leverer I" in words and "Det leverer vi" in words
    assert "Oplys: Etageareal i m²" in words and "Send: Tegninger" in words
    assert "Svar: Byggetilladelse til industri og lager" in words
    assert "Sagens forløb" in words and "Henvendelsen er screenet" in words


def test_the_missing_items_can_be_answered_in_place_with_fields_anchored_by_key(
    owner_client: Client, awaiting: Case
) -> None:
    html = owner_client.get(page(awaiting)).content.decode()

    assert f'action="/sager/{awaiting.reference}/svar/"' in html
    assert 'id="krav-etageareal" name="answer-etageareal"' in html
    assert 'type="file" id="krav-tegninger" name="file"' in html
    assert 'name="requirement" value="tegninger"' in html


def test_an_answer_on_the_case_page_marks_the_deliverable_delivered(
    owner_client: Client, awaiting: Case
) -> None:
    response = owner_client.post(page(awaiting, "svar/"), {"answer-etageareal": "900"})

    assert response["Location"] == page(awaiting) + "#materiale"
    assert business_deliverable(awaiting, "etageareal").status == Deliverable.Status.DELIVERED
    followed = text(owner_client.get(page(awaiting)).content.decode())
    assert "Tak. Vi har modtaget jeres oplysninger." in followed
    assert "Leveret" in followed


def test_an_upload_on_the_case_page_marks_the_deliverable_delivered_and_resumes_the_case(
    owner_client: Client, awaiting: Case
) -> None:
    owner_client.post(page(awaiting, "svar/"), {"answer-etageareal": "900"})

    response = owner_client.post(
        page(awaiting, "dokument/"), {"requirement": "tegninger", "file": pdf()}
    )

    assert response.status_code == 302
    assert business_deliverable(awaiting, "tegninger").status == Deliverable.Status.DELIVERED
    assert Case.objects.get(pk=awaiting.pk).status == CaseStatus.IN_PROGRESS
    assert "Vi mangler ikke noget fra jer." in text(
        owner_client.get(page(awaiting)).content.decode()
    )


def test_with_htmx_the_section_is_swapped_with_the_new_status(
    owner_client: Client, awaiting: Case
) -> None:
    owner_client.post(page(awaiting, "svar/"), {"answer-etageareal": "900"})

    response = owner_client.post(
        page(awaiting, "dokument/"),
        {"requirement": "tegninger", "file": pdf()},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="materiale"')
    assert "Tak. Vi har modtaget dokumentet." in html
    assert '<span id="sagsstatus" class="badge case-status badge-info" hx-swap-oob="true">' in html
    assert "Under behandling" in html
    assert '<div id="dokumentliste" hx-swap-oob="true">' in html and "tegninger.pdf" in html
    assert '<div id="forloebsliste" hx-swap-oob="true">' in html


def test_a_file_of_the_wrong_type_by_content_is_refused_in_danish_and_changes_nothing(
    owner_client: Client, awaiting: Case
) -> None:
    response = owner_client.post(
        page(awaiting, "dokument/"), {"requirement": "tegninger", "file": fake_pdf()}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain == [(page(awaiting), 303)]  # PRG: ends at the case page
    assert error_links(html)[0][0] == "#krav-tegninger"
    assert "Filtypen kan ikke modtages" in error_links(html)[0][1]
    assert 'id="krav-tegninger-error"' in html
    assert Document.objects.count() == 0
    assert business_deliverable(awaiting, "tegninger").status == Deliverable.Status.PENDING


def test_a_wrong_answer_comes_back_at_the_field_with_the_input_kept(
    owner_client: Client, awaiting: Case
) -> None:
    response = owner_client.post(
        page(awaiting, "svar/"), {"answer-etageareal": "stor"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain == [(page(awaiting), 303)]
    assert error_links(html) == [
        ("#krav-etageareal", "»Etageareal i m²« skal besvares med et tal.")
    ]
    assert 'value="stor"' in html
    assert business_deliverable(awaiting, "etageareal").status == Deliverable.Status.PENDING


def test_a_refusal_without_a_field_is_shown_on_the_page_not_as_a_server_error(
    owner_client: Client, awaiting: Case, owner: User
) -> None:
    case_withdraw(case=awaiting, actor=owner)

    response = owner_client.post(page(awaiting, "svar/"), {"answer-etageareal": "900"}, follow=True)

    assert response.redirect_chain == [(page(awaiting), 303)]
    assert "der kan ikke tilføjes svar" in text(response.content.decode())


def test_with_htmx_a_refusal_comes_back_in_the_section(
    owner_client: Client, awaiting: Case
) -> None:
    response = owner_client.post(
        page(awaiting, "svar/"), {"answer-etageareal": "stor"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful responses
    assert html.startswith('<div id="materiale"')
    assert 'id="krav-etageareal-error"' in html and 'value="stor"' in html
    assert 'aria-invalid="true"' in html


def test_a_message_is_posted_and_internal_notes_are_never_shown(
    owner_client: Client, awaiting: Case, karen: User
) -> None:
    case_message_post(case=awaiting, actor=karen, body="Naboklage i 2024", internal=True)
    case_message_post(case=awaiting, actor=karen, body="Send tegningerne, tak.")

    response = owner_client.post(page(awaiting, "besked/"), {"body": "Vi sender i morgen."})

    assert response["Location"] == page(awaiting) + "#beskeder"
    html = text(owner_client.get(page(awaiting)).content.decode())
    assert "Send tegningerne, tak." in html and "Vi sender i morgen." in html
    assert "Naboklage" not in html and "Internt notat" not in html


def test_an_empty_message_is_refused_at_the_field(owner_client: Client, awaiting: Case) -> None:
    response = owner_client.post(page(awaiting, "besked/"), {"body": "   "}, follow=True)

    assert response.redirect_chain == [(page(awaiting), 303)]
    assert error_links(response.content.decode()) == [("#besked", "Skriv en besked.")]


def test_a_document_on_the_case_can_be_downloaded_by_the_business(
    owner_client: Client, awaiting: Case, owner: User, other_owner: User, client_for
) -> None:
    document = case_add_document(
        case=awaiting, actor=owner, upload=pdf("plan.pdf"), requirement_key="tegninger"
    )
    url = page(awaiting, f"dokumenter/{document.pk}/")

    response = owner_client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="plan.pdf"' in response["Content-Disposition"]
    assert client_for(other_owner).get(url).status_code == 404


def test_withdrawing_asks_for_confirmation_then_withdraws(
    owner_client: Client, awaiting: Case
) -> None:
    confirm = owner_client.get(page(awaiting, "traek-tilbage/"))
    assert "Vil I trække henvendelsen" in text(confirm.content.decode())
    assert Case.objects.get(pk=awaiting.pk).status == CaseStatus.AWAITING_BUSINESS

    response = owner_client.post(
        page(awaiting, "traek-tilbage/"), {"reason": "Planerne er droppet"}
    )

    assert response["Location"] == page(awaiting)
    assert Case.objects.get(pk=awaiting.pk).status == CaseStatus.WITHDRAWN
    html = text(owner_client.get(page(awaiting)).content.decode())
    assert "er trukket tilbage" in html
    assert owner_client.get(page(awaiting, "traek-tilbage/"))["Location"] == page(awaiting)


def test_a_case_of_another_of_the_user_s_businesses_switches_the_current_business(
    owner_client: Client, owner: User, make_case, business: Business, other_business: Business
) -> None:
    Membership.objects.create(user=owner, business=other_business)
    owner_client.post("/virksomhed/", {"cvr": business.cvr})
    theirs = make_case(for_business=other_business)

    response = owner_client.get(page(theirs))

    assert response.status_code == 200
    assert "I handler nu for Anden Virksomhed A/S." in text(response.content.decode())
    assert theirs.reference in owner_client.get("/sager/").content.decode()


def test_a_user_of_several_businesses_switches_between_them(
    owner_client: Client, owner: User, make_case, business: Business, other_business: Business
) -> None:
    Membership.objects.create(user=owner, business=other_business)
    theirs = make_case(for_business=other_business)
    mine = make_case()
    first = owner_client.get("/sager/").content.decode()
    assert 'id="skift-virksomhed"' in first

    owner_client.post("/virksomhed/", {"cvr": other_business.cvr, "next": "/sager/"})
    after = owner_client.get("/sager/").content.decode()

    assert {mine.reference in first, theirs.reference in first} == {True, False}
    assert theirs.reference in after and mine.reference not in after


def test_switching_to_a_business_the_user_does_not_act_for_is_refused(
    owner_client: Client, other_business: Business, business: Business
) -> None:
    owner_client.post("/virksomhed/", {"cvr": other_business.cvr})

    html = text(owner_client.get("/sager/").content.decode())
    assert business.cvr in html and other_business.cvr not in html


def test_the_case_page_runs_the_same_queries_however_much_the_case_holds(
    owner_client: Client, awaiting: Case, owner: User, karen: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        owner_client.get(page(awaiting))
    for number in range(10):
        case_message_post(case=awaiting, actor=owner, body=f"Besked {number}")
        case_message_post(case=awaiting, actor=karen, body=f"Svar {number}")
        case_add_document(case=awaiting, actor=owner, upload=pdf(f"bilag{number}.pdf"))
    with CaptureQueriesContext(connection) as big:
        response = owner_client.get(page(awaiting))

    assert response.content.decode().count("Besked ") >= 10
    assert len(big) == len(small)


def test_the_receipt_of_a_complete_inquiry_says_nothing_is_missing(
    owner_client: Client, make_case
) -> None:
    case = make_case()

    html = text(owner_client.get(page(case, "kvittering/")).content.decode())

    assert case.reference in html
    assert "Vi har alt, hvad vi skal bruge" in html
    assert re.search(r"I hører fra os senest \w+dag den \d+\. \w+ \d{4}\.", html)
