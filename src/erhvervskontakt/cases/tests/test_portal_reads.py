"""Reads added for the business portal: the next thing the business must deliver, open or
closed cases, and drafts (their requirements, what is still missing, the case they became)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.businesses.selectors import business_list
from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.selectors import (
    case_get,
    case_list,
    case_next_business_deliverable,
    draft_get,
    draft_list,
    draft_missing,
    draft_requirements,
    draft_service_types,
    draft_submitted_reference,
)
from erhvervskontakt.cases.services.drafts import (
    draft_add_document,
    draft_create,
    draft_submit,
    draft_update,
)
from erhvervskontakt.cases.services.lifecycle import case_withdraw
from erhvervskontakt.cases.services.screening import case_screen

pytestmark = pytest.mark.django_db


def test_the_next_business_deliverable_is_the_pending_one_due_first(submit, owner, karen):
    case = case_screen(
        case=submit(service_types=["byggetilladelse-erhverv"], answers={}), actor=karen
    )
    first, second = Deliverable.objects.filter(case=case, party="business").order_by("id")[:2]
    Deliverable.objects.filter(pk=second.pk).update(due_date=first.due_date - dt.timedelta(days=1))

    fresh = case_get(user=owner, reference=case.reference)

    assert case_next_business_deliverable(fresh).pk == second.pk


def test_there_is_no_next_deliverable_when_the_business_owes_nothing(submit, owner, karen):
    case = case_screen(case=submit(), actor=karen)  # complete: only the answer is owed

    assert case_next_business_deliverable(case_get(user=owner, reference=case.reference)) is None


def test_the_list_keeps_open_or_closed_cases(submit, owner):
    open_case = submit()
    withdrawn = case_withdraw(case=submit(), actor=owner)

    assert case_list(user=owner, is_open=True).items == [open_case]
    assert case_list(user=owner, is_open=False).items == [withdrawn]
    assert case_list(user=owner).count == 2


def test_draft_requirements_ask_a_shared_key_once_and_missing_counts_answers_and_documents(
    owner, business, catalogue, pdf_bytes
):
    draft = draft_create(actor=owner, business=business)
    draft_update(
        draft=draft,
        actor=owner,
        service_types=["miljoegodkendelse", "byggetilladelse-erhverv"],
        answers={},
    )
    draft = draft_get(user=owner, pk=draft.pk)

    assert [st.code for st in draft_service_types(draft)] == [
        "miljoegodkendelse",
        "byggetilladelse-erhverv",
    ]
    assert list(draft_requirements(draft)) == [
        "matrikel",
        "listepunkt",
        "ansoegningsskema",
        "etageareal",
        "tegninger",
        "ibrugtagning",
    ]
    assert {m.key for m in draft_missing(draft)} == {
        "matrikel",
        "listepunkt",
        "ansoegningsskema",
        "etageareal",
        "tegninger",
    }

    draft_update(draft=draft, actor=owner, answers={"matrikel": "12a"})
    draft_add_document(
        draft=draft,
        actor=owner,
        upload=SimpleUploadedFile("t.pdf", pdf_bytes),
        requirement_key="tegninger",
    )
    draft = draft_get(user=owner, pk=draft.pk)

    assert {m.key for m in draft_missing(draft)} == {"listepunkt", "ansoegningsskema", "etageareal"}


def test_drafts_are_listed_for_their_user_and_lead_to_their_case_once_submitted(
    owner, other_owner, business, other_business, catalogue
):
    draft = draft_create(actor=owner, business=business)
    draft_create(actor=other_owner, business=other_business)

    assert draft_list(user=owner) == [draft]
    assert draft_list(user=owner, business=other_business) == []
    assert draft_submitted_reference(user=owner, pk=draft.pk) is None

    draft_update(
        draft=draft,
        actor=owner,
        service_types=["raadgivning"],
        description="Råd om placering",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
    )
    case = draft_submit(draft=draft, actor=owner)

    assert draft_list(user=owner) == []
    assert draft_submitted_reference(user=owner, pk=draft.pk) == case.reference
    assert draft_submitted_reference(user=other_owner, pk=draft.pk) is None


def test_business_list_gives_a_user_s_active_businesses_by_name(owner, business, other_business):
    membership = Membership.objects.create(user=owner, business=other_business)

    assert business_list(user=owner) == [other_business, business]  # "Anden" before "Fynsk"

    membership.active = False
    membership.save()
    assert business_list(user=owner) == [business]
