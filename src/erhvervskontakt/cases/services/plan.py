"""The delivery plan (leverancer) and the answer estimate: lines staff add, change, waive
or confirm delivered, and the estimate set by hand (``case_set_estimate``), which the
municipality's lines due on it follow.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed

from ..announcements import CaseChanged
from ..models import Case, CaseStatus, Channel, Deliverable
from ..selectors import case_queryset
from .core import (
    _SYSTEM,
    MAX_REASON,
    _clean_reason,
    _collect,
    _event,
    _expect_version,
    _fmt,
    _lock,
    _move_municipality_deliverables,
    _parse_date,
    _require_access,
    _require_coordinating,
    _require_open,
    _require_staff,
    _reread,
    _save,
)
from .documents import _check_upload, _store_document
from .material import _after_material


@transaction.atomic
def case_set_estimate(
    *,
    case: Case,
    actor: User,
    estimate: dt.date,
    reason: str,
    expected_version: int | None = None,
    announce: bool = True,
) -> Case:
    """Staff set the answer estimate by hand (with a reason); the municipality's pending
    deliverables due on the old estimate move with it. The business is told by e-mail unless
    ``announce`` is off (at screening, where the screening e-mail already gives the date)."""
    _require_coordinating(actor, "ændre den forventede svardato", case)
    case = _lock(case)
    _expect_version(case, expected_version)
    if case.status not in (CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_BUSINESS):
        raise IllegalTransition("Svardatoen kan kun ændres på en screenet, åben sag.")
    day = _parse_date(estimate, "estimate")
    text = _clean_reason(reason)
    if day < clock.today():
        raise ValidationFailed.field(
            "estimate", "Den forventede svardato kan ikke ligge i fortiden."
        )
    before = case.estimated_answer_date
    if before == day:
        return case
    case.estimated_answer_date = day
    if before is not None:
        _move_municipality_deliverables(case, before, day)
    moved = _event(
        case,
        "estimate_moved",
        actor,
        f"Forventet svar ændret fra {_fmt(before)} til {_fmt(day)}. Begrundelse: {text}",
        business_text=gettext_noop(
            "Vi forventer nu at svare jer senest %(new_date)s (før %(old_date)s). "
            "Begrundelse: %(reason)s"
        )
        if before
        else gettext_noop("Vi forventer at svare jer senest %(new_date)s."),
        business_args={"new_date": day, "old_date": before, "reason": text}
        if before
        else {"new_date": day},
        old=before.isoformat() if before else None,
        new=day.isoformat(),
        reason=text,
    )
    _save(case, "estimated_answer_date")
    if announce:
        announcements.announce(CaseChanged(kind="estimate_moved", case=case.pk, event=moved.pk))
    return _reread(case)


def _lock_deliverable(deliverable: Deliverable) -> tuple[Case, Deliverable]:
    case = _lock(deliverable.case)
    return case, Deliverable.objects.select_for_update().get(pk=deliverable.pk)


@transaction.atomic
def deliverable_add(
    *,
    case: Case,
    actor: User,
    party: str,
    title: str,
    due_date: dt.date,
    reason: str = "",
    expected_version: int | None = None,
    tell_business: bool = True,
) -> Deliverable:
    """A new line in the delivery plan, on either side."""
    _require_staff(actor, "ændre leveranceplanen")
    case = _lock(case)
    _expect_version(case, expected_version)
    _require_open(case, "leveranceplanen")
    errors: dict[str, str] = {}
    if party not in Deliverable.Party.values:
        errors["party"] = "Vælg, hvem der leverer."
    name = title.strip() if isinstance(title, str) else ""
    if not name:
        errors["title"] = "Skriv, hvad der skal leveres."
    elif len(name) > 250:
        errors["title"] = "Teksten må højst være 250 tegn."
    day = _collect(errors, lambda v: _parse_date(v, "due_date"), due_date)
    text = _collect(errors, lambda v: _clean_reason(v, required=False), reason) or ""
    if errors:
        raise ValidationFailed("Leverancen er ikke udfyldt korrekt.", errors=errors)
    assert day is not None
    deliverable = Deliverable.objects.create(
        case=case, party=party, title=name, due_date=day, note=text, created_at=clock.now()
    )
    _event(
        case,
        "deliverable_added",
        actor,
        f"Ny leverance ({Deliverable.Party(party).label.lower()}): {name}, senest {_fmt(day)}."
        + (f" Begrundelse: {text}" if text else ""),
        business_text=""
        if not tell_business
        else gettext_noop("Vi har bedt jer om: %(title)s, senest %(due_date)s.")
        if party == Deliverable.Party.BUSINESS
        else gettext_noop("Kommunen leverer: %(title)s, senest %(due_date)s."),
        business_args={"title": name, "due_date": day},
        deliverable=deliverable.pk,
    )
    _save(case)
    return deliverable


@transaction.atomic
def deliverable_change(
    *,
    deliverable: Deliverable,
    actor: User,
    reason: str,
    title: str | None = None,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
    tell_business: bool = True,
) -> Deliverable:
    """Change a pending deliverable's text or due date; the reason goes in the timeline."""
    _require_staff(actor, "ændre leveranceplanen")
    case, deliverable = _lock_deliverable(deliverable)
    _expect_version(case, expected_version)
    _require_open(case, "leveranceplanen")
    if deliverable.status != Deliverable.Status.PENDING:
        raise IllegalTransition("Kun en afventende leverance kan ændres.")
    errors: dict[str, str] = {}
    name = deliverable.title
    if title is not None:
        name = title.strip()
        if not name:
            errors["title"] = "Skriv, hvad der skal leveres."
        elif len(name) > 250:
            errors["title"] = "Teksten må højst være 250 tegn."
    day = deliverable.due_date
    if due_date is not None:
        day = _collect(errors, lambda v: _parse_date(v, "due_date"), due_date) or day
    text = _collect(errors, _clean_reason, reason) or ""
    if errors:
        raise ValidationFailed("Leverancen er ikke udfyldt korrekt.", errors=errors)
    if name == deliverable.title and day == deliverable.due_date:
        return deliverable
    changes = []
    if name != deliverable.title:
        changes.append(f"tekst »{deliverable.title}« → »{name}«")
    if day != deliverable.due_date:
        changes.append(f"frist {_fmt(deliverable.due_date)} → {_fmt(day)}")
    old_due = deliverable.due_date
    deliverable.title = name
    deliverable.due_date = day
    deliverable.save(update_fields=["title", "due_date"])
    _event(
        case,
        "deliverable_changed",
        actor,
        f"Leverance ændret: {'; '.join(changes)}. Begrundelse: {text}",
        business_text=gettext_noop("Ændret i leveranceplanen: %(title)s, senest %(due_date)s.")
        if tell_business
        else "",
        business_args={"title": name, "due_date": day},
        deliverable=deliverable.pk,
        old_due=old_due.isoformat(),
        new_due=day.isoformat(),
    )
    _save(case)
    return deliverable


@transaction.atomic
def deliverable_waive(
    *,
    deliverable: Deliverable,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    tell_business: bool = True,
) -> Deliverable:
    """A pending deliverable is no longer needed (frafaldet), with the reason logged.

    Waiving a business deliverable for a requirement counts as "not needed" for that
    requirement, so the case may become fully informed and resume.
    """
    _require_staff(actor, "ændre leveranceplanen")
    case, deliverable = _lock_deliverable(deliverable)
    _expect_version(case, expected_version)
    _require_open(case, "leveranceplanen")
    if deliverable.status != Deliverable.Status.PENDING:
        raise IllegalTransition("Kun en afventende leverance kan frafaldes.")
    text = _clean_reason(reason)
    deliverable.status = Deliverable.Status.WAIVED
    deliverable.note = text
    deliverable.save(update_fields=["status", "note"])
    _event(
        case,
        "deliverable_waived",
        actor,
        f"Leverance frafaldet: {deliverable.title}. Begrundelse: {text}",
        business_text=""
        if not tell_business
        else gettext_noop("Udgår af leveranceplanen: %(title)s.")
        if deliverable.party == Deliverable.Party.MUNICIPALITY
        else gettext_noop("Det behøver I ikke at levere: %(title)s."),
        business_args={"title": deliverable.title},
        deliverable=deliverable.pk,
        reason=text,
    )
    full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    fields = (
        _after_material(
            full,
            actor,
            calendar=working_calendar(),
            resumed="Der mangler ikke længere materiale fra virksomheden.",
        )
        if deliverable.requirement_key and full.status != CaseStatus.RECEIVED
        else []
    )
    _save(full, *fields)
    return deliverable


@transaction.atomic
def deliverable_mark_delivered(
    *,
    deliverable: Deliverable,
    actor: User,
    note: str = "",
    upload: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Deliverable:
    """A pending line of the delivery plan is delivered.

    Staff confirm any line (e.g. the inspector has seen an agreed solution in place; a
    department has given its answer). The business delivers its own lines from its case page
    (not an inspection's agreed solutions, which the inspector confirms):
    with a document sent against the line (``upload``, checked like any document and linked
    to the line), a short answer (``note``), or simply marked as delivered. A line for a
    requirement is delivered by the material itself (the answer or document), so it is
    refused here.
    """
    if not actor.is_staff:
        _require_access(deliverable.case, actor)
    case, deliverable = _lock_deliverable(deliverable)
    _expect_version(case, expected_version)
    _require_open(case, "leveranceplanen")
    if not actor.is_staff and deliverable.party != Deliverable.Party.BUSINESS:
        raise Forbidden("Kun kommunen kan markere kommunens leverancer som leveret.")
    if not actor.is_staff and case.channel == Channel.INSPECTION:
        # An agreed solution from an inspection is confirmed by the inspector.
        raise Forbidden(
            "Den tilsynsførende bekræfter de aftalte løsninger. Skriv til os på sagen, når "
            "løsningen er på plads."
        )
    if deliverable.status != Deliverable.Status.PENDING:
        raise IllegalTransition("Kun en afventende leverance kan markeres som leveret.")
    if deliverable.requirement_key:
        raise IllegalTransition(
            "Leverancen er et krav; den er leveret, når oplysningen eller dokumentet er modtaget."
        )
    if isinstance(note, str) and len(note.strip()) > MAX_REASON:
        raise ValidationFailed.field("note", f"Teksten må højst være {MAX_REASON} tegn.")
    text = _clean_reason(note, required=False)
    checked = _check_upload(upload) if upload is not None else None
    moment = clock.now()
    if checked is not None:
        assert upload is not None
        document = _store_document(case, actor, checked, upload, "", {}, deliverable=deliverable)
        text = text or f"Dokument: {document.original_name}"
    deliverable.status = Deliverable.Status.DELIVERED
    deliverable.delivered_at = moment
    deliverable.delivered_by = actor
    if text:
        deliverable.note = text
    deliverable.save(update_fields=["status", "delivered_at", "delivered_by", "note"])
    late = " (efter fristen)" if deliverable.due_date < clock.local_date(moment) else ""
    party = Deliverable.Party(deliverable.party).label.lower()
    _event(
        case,
        "deliverable_delivered",
        actor,
        f"Leveret af {party}: {deliverable.title}{late}." + (f" {text}" if text else ""),
        business_text=gettext_noop("I har leveret: %(title)s.")
        if deliverable.party == Deliverable.Party.BUSINESS
        else gettext_noop("Kommunen har leveret: %(title)s."),
        business_args={"title": deliverable.title},
        deliverable=deliverable.pk,
    )
    _save(case)
    return deliverable
