"""The portal's inquiry drafts: created for one of the user's businesses, kept step by step,
given documents, and submitted as a case through ``inquiry_submit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.catalogue.selectors import service_types_by_codes
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound, ValidationFailed

from .. import rules
from ..models import Case, Channel, DraftDocument, InquiryDraft
from ..selectors import case_queryset, case_requirements
from .core import _SYSTEM, _reread, _save
from .documents import (
    _check_document_requirement,
    _check_upload,
    _CheckedUpload,
    _save_file,
    _store_document,
)
from .intake import _clean_contact, _clean_description, _clean_service_types, inquiry_submit
from .material import _after_material

# --- portal drafts -----------------------------------------------------------------------


def _require_draft_owner(draft: InquiryDraft, actor: User) -> None:
    if draft.user_id != actor.pk or draft.submitted_case_id is not None:
        raise NotFound("Kladden findes ikke.")


@transaction.atomic
def draft_create(*, actor: User, business: Business) -> InquiryDraft:
    """A new, empty inquiry draft for one of the user's businesses."""
    if not Membership.objects.filter(user=actor, business=business, active=True).exists():
        raise NotFound("Virksomheden findes ikke.")
    moment = clock.now()
    return InquiryDraft.objects.create(
        user=actor,
        business=business,
        data={"service_types": [], "description": "", "contact": {}, "answers": {}},
        created_at=moment,
        updated_at=moment,
    )


@transaction.atomic
def draft_update(
    *,
    draft: InquiryDraft,
    actor: User,
    service_types: list[str] | None = None,
    description: str | None = None,
    contact: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    step: int | None = None,
) -> InquiryDraft:
    """Keep what one step of the portal flow collected; each part is checked as it comes.

    Answers are checked against the chosen service types; answers to questions no chosen
    service type asks any more are dropped. Empty answers are allowed (not answered yet).
    """
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    _require_draft_owner(draft, actor)
    data = dict(draft.data)
    if service_types is not None:
        data["service_types"] = [st.code for st in _clean_service_types(service_types)]
    if description is not None:
        data["description"] = _clean_description(description)
    if contact is not None:
        data["contact"] = _clean_contact(contact)
    chosen = list(service_types_by_codes(data.get("service_types", [])).values())
    requirements = rules.requirements_by_key(
        [(st.code, list(st.requirements.all())) for st in chosen]
    )
    kept = {k: v for k, v in (data.get("answers") or {}).items() if k in requirements}
    if answers is not None:
        given = {k: v for k, v in answers.items() if v not in (None, "")}
        kept.update(rules.clean_answers(given, requirements))
        for key, value in answers.items():
            if value in (None, "") and key in kept:
                del kept[key]
    data["answers"] = kept
    draft.data = data
    if step is not None:
        draft.step = max(1, min(int(step), 5))
    draft.updated_at = clock.now()
    draft.save(update_fields=["data", "step", "updated_at"])
    return draft


@dataclass(frozen=True)
class DraftKept:
    """What one submit of a step kept: the saved draft, and what it refused (error key, such
    as ``answers.areal`` or ``contact.email``, to the Danish message)."""

    draft: InquiryDraft
    refused: dict[str, str]


def _contact_parts(contact: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The contact's usable fields (an emptied one as empty), and the errors of the others."""
    try:
        return _clean_contact(contact), {}
    except ValidationFailed as error:
        refused = dict(error.errors)
    kept = {}
    for name in ("name", "email", "phone"):
        value = contact.get(name)
        text = value.strip() if isinstance(value, str) else ""
        if f"contact.{name}" not in refused or not text:
            kept[name] = text
    return kept, refused


@transaction.atomic
def draft_keep_answers(
    *,
    draft: InquiryDraft,
    actor: User,
    answers: Mapping[str, Any],
    contact: Mapping[str, Any] | None = None,
) -> DraftKept:
    """Keep every valid answer (and contact field) of one submit of the questions step.

    Unlike ``draft_update`` this refuses value by value, not the whole step: one answer the
    rules refuse ("ca. 600 m2" for a number) must not throw away the cadastral number typed
    beside it. A refused value leaves what was stored for it as it was; the caller shows the
    refused ones at their fields. An empty answer removes the stored one (not answered yet).
    """
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    _require_draft_owner(draft, actor)
    data = dict(draft.data)
    chosen = list(service_types_by_codes(data.get("service_types", [])).values())
    requirements = rules.requirements_by_key(
        [(st.code, list(st.requirements.all())) for st in chosen]
    )
    kept = {k: v for k, v in (data.get("answers") or {}).items() if k in requirements}
    given = {k: v for k, v in answers.items() if v not in (None, "")}
    cleaned, refused = rules.sort_answers(given, requirements)
    kept.update(cleaned)
    for key, value in answers.items():
        if value in (None, "") and key in kept:
            del kept[key]
    data["answers"] = kept
    if contact is not None:
        contact_kept, contact_refused = _contact_parts(contact)
        stored = dict(data.get("contact") or {})
        stored.update(contact_kept)
        data["contact"] = stored
        refused.update(contact_refused)
    draft.data = data
    draft.updated_at = clock.now()
    draft.save(update_fields=["data", "updated_at"])
    return DraftKept(draft=draft, refused=refused)


@transaction.atomic
def draft_add_document(
    *, draft: InquiryDraft, actor: User, upload: UploadedFile, requirement_key: str
) -> DraftDocument:
    """A file for a document requirement of the draft; a new one replaces the earlier one."""
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    _require_draft_owner(draft, actor)
    chosen = list(service_types_by_codes(draft.data.get("service_types", [])).values())
    requirements = rules.requirements_by_key(
        [(st.code, list(st.requirements.all())) for st in chosen]
    )
    checked = _check_upload(upload)
    key = _check_document_requirement(requirement_key, requirements)
    moment = clock.now()
    DraftDocument.objects.filter(draft=draft, requirement_key=key, replaced=False).update(
        replaced=True
    )
    document = DraftDocument(
        draft=draft,
        requirement_key=key,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_at=moment,
    )
    _save_file(document, checked, upload)
    document.save()
    draft.updated_at = moment
    draft.save(update_fields=["updated_at"])
    return document


@transaction.atomic
def draft_submit(*, draft: InquiryDraft, actor: User) -> Case:
    """Turn the draft into a case (channel: portal), with its answers and documents.

    Submitting the same draft twice (a double click, a reload) returns the same case.
    """
    draft = InquiryDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.user_id == actor.pk and draft.submitted_case_id is not None:
        case = case_queryset(user=_SYSTEM).get(pk=draft.submitted_case_id)
        case.replayed = True
        return case
    _require_draft_owner(draft, actor)
    data = draft.data
    case = inquiry_submit(
        actor=actor,
        cvr=draft.business.cvr,
        service_types=list(data.get("service_types") or []),
        description=data.get("description") or "",
        contact=data.get("contact") or {},
        answers=data.get("answers") or {},
        default_channel=Channel.PORTAL,
    )
    requirements = case_requirements(case)
    for upload in draft.documents.filter(replaced=False).order_by("uploaded_at", "id"):
        if upload.requirement_key and upload.requirement_key not in requirements:
            continue  # its service type was deselected after the upload
        checked = _CheckedUpload(
            name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        with upload.file.open("rb") as content:
            _store_document(case, actor, checked, content, upload.requirement_key, requirements)
    case = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    _save(case, *_after_material(case, actor, calendar=working_calendar(), at_intake=True))
    draft.submitted_case = case
    draft.step = 5
    draft.updated_at = clock.now()
    draft.save(update_fields=["submitted_case", "step", "updated_at"])
    return _reread(case)
