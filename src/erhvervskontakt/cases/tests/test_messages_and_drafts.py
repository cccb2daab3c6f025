"""Messages on a case (internal notes never reach the business) and portal drafts that
survive between steps and become a case with their answers and documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.cases.models import Case, Channel, Document, Event, Message
from erhvervskontakt.cases.selectors import case_get, case_missing, draft_get
from erhvervskontakt.cases.services.drafts import (
    draft_add_document,
    draft_create,
    draft_submit,
    draft_update,
)
from erhvervskontakt.cases.services.lifecycle import case_withdraw
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_business_and_coordinator_exchange_messages_on_the_timeline(submit, owner, karen):
    case = submit()

    case_message_post(case=case, actor=owner, body="Kan vi stille parasoller op?")
    case_message_post(case=case, actor=karen, body="Ja, inden for arealet.")

    seen = case_get(user=owner, reference=case.reference)
    assert [m.body for m in seen.messages.all()] == [
        "Kan vi stille parasoller op?",
        "Ja, inden for arealet.",
    ]
    # The messages are the dialogue; the business's history does not repeat them (issue 14,
    # item 9), while the staff's full log has an entry for each.
    assert [e for e in seen.events.all() if e.kind == "message"] == []
    as_staff = case_get(user=karen, reference=case.reference)
    assert [e.text for e in as_staff.events.all() if e.kind == "message"] == [
        "Besked fra virksomheden.",
        "Besked fra kommunen (Karen Kofoed).",
    ]


def test_an_internal_note_is_never_shown_to_the_business(submit, owner, karen):
    case = submit()

    case_message_post(case=case, actor=karen, body="Naboklage i 2024", internal=True)

    as_business = case_get(user=owner, reference=case.reference)
    assert list(as_business.messages.all()) == []
    assert all(not e.internal for e in as_business.events.all())
    assert "notat" not in " ".join(e.text for e in as_business.events.all())
    as_staff = case_get(user=karen, reference=case.reference)
    assert [m.body for m in as_staff.messages.all()] == ["Naboklage i 2024"]
    assert [e.text for e in as_staff.events.all() if e.internal] == ["Internt notat tilføjet."]


def test_a_business_user_cannot_write_an_internal_note(submit, owner):
    case = submit()

    with pytest.raises(Forbidden):
        case_message_post(case=case, actor=owner, body="hemmeligt", internal=True)

    assert Message.objects.count() == 0


def test_another_business_cannot_write_on_the_case(submit, other_owner):
    case = submit()
    events = Event.objects.count()

    with pytest.raises(NotFound):
        case_message_post(case=case, actor=other_owner, body="Hej")

    assert (Message.objects.count(), Event.objects.count()) == (0, events)


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_overlong_message_is_refused(submit, owner, body):
    case = submit()

    with pytest.raises(ValidationFailed) as refused:
        case_message_post(case=case, actor=owner, body=body)

    assert list(refused.value.errors) == ["body"]
    assert Message.objects.count() == 0


def test_no_messages_on_a_withdrawn_case(submit, owner):
    case = case_withdraw(case=submit(), actor=owner)

    with pytest.raises(IllegalTransition):
        case_message_post(case=case, actor=owner, body="Hej igen")


# --- drafts ------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_draft_keeps_each_step_and_becomes_a_portal_case(owner, business, catalogue, pdf_bytes):
    draft = draft_create(actor=owner, business=business)
    draft_update(
        draft=draft,
        actor=owner,
        service_types=["byggetilladelse-erhverv", "udeservering"],
        description="Ny lagerhal og borde ude",
        step=2,
    )
    draft_update(
        draft=draft,
        actor=owner,
        answers={"matrikel": "12a", "etageareal": 900, "areal": 10, "ibrugtagning": ""},
        contact={"name": "Eva Ejer", "email": "eva@fynsk.dk"},
        step=3,
    )
    draft_add_document(
        draft=draft,
        actor=owner,
        upload=upload("tegning.pdf", pdf_bytes),
        requirement_key="tegninger",
    )

    # a reload reads back what was saved
    again = draft_get(user=owner, pk=draft.pk)
    assert again.step == 3
    assert again.data["answers"] == {"matrikel": "12a", "etageareal": 900, "areal": 10}

    case = draft_submit(draft=again, actor=owner)

    assert case.channel == Channel.PORTAL
    assert [st.code for st in case.service_types.all()] == [
        "byggetilladelse-erhverv",
        "udeservering",
    ]
    assert case_missing(case) == []
    assert Document.objects.get(case=case).requirement_key == "tegninger"
    assert case.fully_informed_on is not None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "received" and "document_added" in kinds


def test_submitting_a_draft_twice_makes_one_case(owner, business, catalogue):
    draft = draft_create(actor=owner, business=business)
    draft_update(
        draft=draft,
        actor=owner,
        service_types=["raadgivning"],
        description="Hvor må vi ligge?",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
    )

    first = draft_submit(draft=draft, actor=owner)
    second = draft_submit(draft=draft, actor=owner)

    assert second.pk == first.pk
    assert Case.objects.count() == 1


def test_a_draft_with_a_missing_document_is_submitted_and_says_what_is_missing(
    owner, business, catalogue
):
    draft = draft_create(actor=owner, business=business)
    draft_update(
        draft=draft,
        actor=owner,
        service_types=["byggetilladelse-erhverv"],
        description="Ny hal",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
        answers={"matrikel": "12a", "etageareal": 900},
    )

    case = draft_submit(draft=draft, actor=owner)

    assert [m.key for m in case_missing(case)] == ["tegninger"]


def test_a_new_upload_for_a_requirement_replaces_the_earlier_one(
    owner, business, catalogue, pdf_bytes, png_bytes
):
    draft = draft_create(actor=owner, business=business)
    draft_update(draft=draft, actor=owner, service_types=["byggetilladelse-erhverv"])
    draft_add_document(
        draft=draft, actor=owner, upload=upload("a.pdf", pdf_bytes), requirement_key="tegninger"
    )
    draft_add_document(
        draft=draft, actor=owner, upload=upload("b.png", png_bytes), requirement_key="tegninger"
    )
    draft_update(
        draft=draft,
        actor=owner,
        description="Hal",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
        answers={"matrikel": "1", "etageareal": 1},
    )

    case = draft_submit(draft=draft, actor=owner)

    assert list(Document.objects.filter(case=case).values_list("original_name", flat=True)) == [
        "b.png"
    ]


def test_answers_of_a_deselected_service_type_are_dropped(owner, business, catalogue):
    draft = draft_create(actor=owner, business=business)
    draft_update(draft=draft, actor=owner, service_types=["udeservering"])
    draft_update(draft=draft, actor=owner, answers={"areal": 12})

    draft_update(draft=draft, actor=owner, service_types=["raadgivning"])

    assert draft_get(user=owner, pk=draft.pk).data["answers"] == {}


def test_a_bad_answer_in_a_draft_is_refused_and_the_draft_kept(owner, business, catalogue):
    draft = draft_create(actor=owner, business=business)
    draft_update(draft=draft, actor=owner, service_types=["udeservering"])
    draft_update(draft=draft, actor=owner, answers={"areal": 12})

    with pytest.raises(ValidationFailed) as refused:
        draft_update(draft=draft, actor=owner, answers={"areal": "tolv"})

    assert list(refused.value.errors) == ["answers.areal"]
    assert draft_get(user=owner, pk=draft.pk).data["answers"] == {"areal": 12}


def test_a_draft_is_its_authors_alone(owner, other_owner, business, catalogue):
    draft = draft_create(actor=owner, business=business)

    with pytest.raises(NotFound):
        draft_get(user=other_owner, pk=draft.pk)
    with pytest.raises(NotFound):
        draft_update(draft=draft, actor=other_owner, description="overtaget")
    with pytest.raises(NotFound):
        draft_create(actor=other_owner, business=business)
