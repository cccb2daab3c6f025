"""Writes of cases: intake, screening, material from the business, decision, close, withdraw.

Each service is the only way its change happens. It checks the actor, locks the case row,
validates everything before it writes, and writes the timeline events in the same
transaction, so a refused request changes nothing and an accepted one is fully recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import normalise_cvr
from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.businesses.services import (
    business_get_or_create,
    business_set_contact_person,
)
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import municipality, service_types_by_codes
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)

from . import rules
from .announcements import CaseChanged
from .models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Answer,
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Document,
    DraftDocument,
    Event,
    IdempotencyKey,
    InquiryDraft,
    Message,
    ReferenceCounter,
    Task,
)
from .selectors import case_missing, case_queryset, case_requirements

T = TypeVar("T")

ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.oasis.opendocument.text": "ODT",
}
MAX_DESCRIPTION = 10_000


# --- small helpers -----------------------------------------------------------------------


def _event(case: Case, kind: str, actor: User | None, text: str, **data: Any) -> Event:
    return Event.objects.create(
        case=case, at=clock.now(), kind=kind, actor=actor, text=text, data=data
    )


def _require_staff(actor: User, action: str) -> None:
    if not (actor.is_active and actor.is_staff):
        raise Forbidden(f"Kun kommunens medarbejdere kan {action}.")


def _require_access(case: Case, actor: User) -> None:
    """Defence in depth: interfaces read through visible_to, services check again."""
    if actor.is_staff and actor.is_active:
        return
    member = Membership.objects.filter(
        user=actor, business_id=case.business_id, active=True
    ).exists()
    if not (actor.is_active and member):
        raise NotFound(f"Sagen {case.reference} findes ikke.")


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock (PostgreSQL); SQLite's IMMEDIATE mode serialises."""
    return (
        case_queryset(user=_SYSTEM, with_timeline=False)
        .select_for_update(of=("self",))
        .get(pk=case.pk)
    )


class _System:
    """A reader who sees everything, for services that already checked access."""

    is_authenticated = True
    is_active = True
    is_staff = True


_SYSTEM: Any = _System()


def _set_status(case: Case, new: str, actor: User | None, why: str = "") -> None:
    old = case.status
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(
            f"En sag med status »{CaseStatus(old).label}« kan ikke få status "
            f"»{CaseStatus(new).label}«."
        )
    case.status = new
    text = f"Status: {CaseStatus(old).label} → {CaseStatus(new).label}."
    if why:
        text += f" {why}"
    _event(case, "status_changed", actor, text, old=old, new=new)


def _save(case: Case, *fields: str) -> None:
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])


def _size(size: int) -> str:
    """A file size as a Dane writes it: 1,5 MB, 300 KB, 12 byte."""
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".", ",").replace(",0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


# --- intake ------------------------------------------------------------------------------


def _next_reference(year: int) -> tuple[int, str]:
    """The next number of the year, unique under concurrent intake.

    The UPDATE takes the counter row's lock until commit (PostgreSQL), and SQLite runs one
    writing transaction at a time, so two intakes can never read the same number.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, last=0)], ignore_conflicts=True
    )
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return number, f"EK-{year}-{number:05d}"


def _collect(errors: dict[str, str], clean: Callable[[Any], T], value: Any) -> T | None:
    """Run one check; on failure add its field errors, so all are reported at once."""
    try:
        return clean(value)
    except ValidationFailed as error:
        errors.update(error.errors)
        return None


def _clean_description(description: object) -> str:
    if not isinstance(description, str) or not description.strip():
        raise ValidationFailed.field(
            "description", "Beskriv kort, hvad henvendelsen drejer sig om."
        )
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed.field(
            "description", f"Beskrivelsen må højst være {MAX_DESCRIPTION} tegn."
        )
    return description.strip()


def _clean_contact(contact: object) -> dict[str, str]:
    if not isinstance(contact, Mapping):
        raise ValidationFailed.field("contact", "Angiv en kontaktperson med navn og e-mail.")
    errors = {}
    name = contact.get("name")
    email = contact.get("email")
    phone = contact.get("phone") or ""
    if not isinstance(name, str) or not name.strip():
        errors["contact.name"] = "Angiv kontaktpersonens navn."
    elif len(name) > 150:
        errors["contact.name"] = "Navnet må højst være 150 tegn."
    if not isinstance(email, str) or not email.strip():
        errors["contact.email"] = "Angiv kontaktpersonens e-mail."
    else:
        try:
            validate_email(email.strip())
        except DjangoValidationError:
            errors["contact.email"] = "E-mailadressen er ikke gyldig."
    if not isinstance(phone, str) or len(phone) > 30:
        errors["contact.phone"] = "Telefonnummeret må højst være 30 tegn."
    if errors:
        raise ValidationFailed("Kontaktpersonen er ikke udfyldt korrekt.", errors=errors)
    return {
        "name": str(name).strip(),
        "email": str(email).strip(),
        "phone": str(phone).strip(),
    }


def _clean_service_types(codes: object) -> list[ServiceType]:
    if not isinstance(codes, list | tuple) or not codes:
        raise ValidationFailed.field("service_types", "Vælg mindst én ydelse.")
    if not all(isinstance(code, str) for code in codes):
        raise ValidationFailed.field("service_types", "Ydelser angives med deres kode.")
    unique = list(OrderedDict.fromkeys(code.strip() for code in codes))
    found = service_types_by_codes(unique)
    unknown = [code for code in unique if code not in found]
    # Service types the municipality opens cases for itself (an inspection) are not asked for.
    own = list(
        ServiceType.objects.filter(code__in=unknown, active=True, requestable=False).values_list(
            "name", flat=True
        )
    )
    if own:
        raise ValidationFailed.field(
            "service_types",
            f"{', '.join(own)} kan ikke vælges i en henvendelse; "
            "kommunen opretter selv den slags sager.",
        )
    if unknown:
        raise ValidationFailed.field("service_types", f"Ukendt ydelse: {', '.join(unknown)}.")
    return [found[code] for code in unique]


def _fingerprint(payload: Mapping[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def inquiry_submit(
    *,
    actor: User,
    cvr: str,
    service_types: list[str],
    description: str,
    contact: Mapping[str, Any],
    business_name: str = "",
    answers: Mapping[str, Any] | None = None,
    channel: str | None = None,
    received_at: dt.datetime | None = None,
    default_channel: str = Channel.API,
    idempotency_key: str | None = None,
) -> Case:
    """Register an inquiry: the case, its reference, its screening deadline, its answers.

    ``channel`` and ``received_at`` are for staff registering an inquiry that arrived
    earlier by phone, e-mail, letter or meeting; the clock starts at ``received_at``.
    With an ``idempotency_key`` the same request again returns the same case.
    """
    if not actor.is_active:
        raise Forbidden("Brugeren er ikke aktiv.")
    errors: dict[str, str] = {}
    number = _collect(errors, normalise_cvr, cvr) or ""
    if not actor.is_staff:
        if channel is not None:
            errors["channel"] = "Kun medarbejdere kan angive kanal."
        if received_at is not None:
            errors["received_at"] = "Kun medarbejdere kan angive modtagelsestidspunkt."
        if (
            not errors
            and not Membership.objects.filter(
                user=actor, business__cvr=number, active=True
            ).exists()
        ):
            raise Forbidden("Du kan kun sende henvendelser for din egen virksomhed.")
    moment = clock.now()
    if received_at is not None and "received_at" not in errors:
        if received_at.tzinfo is None:
            errors["received_at"] = "Angiv tidspunktet med tidszone, fx 2026-11-27T09:30:00+01:00."
        elif received_at > moment:
            errors["received_at"] = "Modtagelsestidspunktet kan ikke ligge i fremtiden."
        elif received_at < moment - dt.timedelta(days=366):
            errors["received_at"] = "Modtagelsestidspunktet ligger mere end et år tilbage."
    if channel is not None and channel not in Channel.values:
        errors["channel"] = f"Ukendt kanal; brug en af: {', '.join(Channel.values)}."
    chosen = _collect(errors, _clean_service_types, service_types) or []
    _collect(errors, _clean_description, description)
    person = _collect(errors, _clean_contact, contact) or {}
    if errors:
        raise ValidationFailed("Henvendelsen er ikke udfyldt korrekt.", errors=errors)
    pairs = [(st.code, list(st.requirements.all())) for st in chosen]
    cleaned = rules.clean_answers(answers, rules.requirements_by_key(pairs))
    fingerprint = _fingerprint(
        {
            "cvr": number,
            "business_name": business_name,
            "service_types": [st.code for st in chosen],
            "description": description.strip(),
            "contact": person,
            "answers": cleaned,
            "channel": channel,
            "received_at": received_at.astimezone(dt.UTC).isoformat() if received_at else None,
        }
    )
    with transaction.atomic():
        key_row = None
        if idempotency_key:
            key_row, replay = _claim_idempotency_key(actor, idempotency_key, fingerprint)
            if replay is not None:
                return replay
        business, _ = business_get_or_create(cvr=number, name=business_name)
        received = received_at or moment
        year = clock.local_date(moment).year
        seq, reference = _next_reference(year)
        calendar = working_calendar()
        settings_row = municipality()
        case = Case.objects.create(
            reference=reference,
            year=year,
            number=seq,
            business=business,
            contact_name=person["name"],
            contact_email=person["email"],
            contact_phone=person["phone"],
            description=description.strip(),
            channel=channel or default_channel,
            received_at=received,
            screening_due=rules.screening_due(
                received, calendar, settings_row.screening_working_days
            ),
            created_by=actor,
            **Case.membership(chosen),  # the service types as the dashboard filters them
        )
        case.service_types.set(chosen)
        Answer.objects.bulk_create(
            Answer(case=case, key=key, value=value, provided_by=actor, provided_at=moment)
            for key, value in cleaned.items()
        )
        who = "medarbejder" if actor.is_staff else "virksomheden"
        _event(
            case,
            "received",
            actor,
            f"Henvendelse modtaget ({Channel(case.channel).label.lower()}, registreret af {who}). "
            f"Ydelser: {', '.join(st.name for st in chosen)}. "
            f"Screening senest {_fmt(case.screening_due)}.",
            channel=case.channel,
            received_at=received.isoformat(),
            service_types=[st.code for st in chosen],
        )
        if received_at is not None:
            _event(
                case,
                "receipt_backdated",
                actor,
                f"Modtaget {clock.local_date(received):%d.%m.%Y} – registreret senere; "
                "fristen regnes fra modtagelsen.",
            )
        full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
        fields = _after_material(full, actor, calendar=calendar, at_intake=True)
        if fields:
            full.save(update_fields=fields)
        if key_row is not None:
            key_row.case = case
            key_row.save(update_fields=["case"])
        announcements.announce(CaseChanged(kind="received", case=case.pk))
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


def _claim_idempotency_key(
    actor: User, key: str, fingerprint: str
) -> tuple[IdempotencyKey | None, Case | None]:
    """Reserve ``key`` for this request, or return the case an earlier identical one made.

    Inserted before the case is made, so two concurrent requests with one key cannot both
    create a case: the loser's insert waits for the winner's commit and then fails.
    """
    if len(key) > 255:
        raise ValidationFailed.field("Idempotency-Key", "Nøglen må højst være 255 tegn.")
    existing = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=actor, key=key, fingerprint=fingerprint
                ), None
        except IntegrityError:
            existing = IdempotencyKey.objects.get(user=actor, key=key)
    if existing.fingerprint != fingerprint:
        raise Conflict(
            "Idempotency-Key er allerede brugt til en anden henvendelse.",
            errors={"Idempotency-Key": "Brug en ny nøgle til en ny henvendelse."},
        )
    if existing.case_id is None:
        raise Conflict("En henvendelse med samme Idempotency-Key er ved at blive oprettet.")
    case = case_queryset(user=_SYSTEM).get(pk=existing.case_id)
    case.replayed = True
    return None, case


# --- material from the business ---------------------------------------------------------


def _after_material(
    case: Case,
    actor: User | None,
    *,
    calendar: WorkingCalendar,
    at_intake: bool = False,
    resumed: str = "Materialet fra virksomheden er modtaget.",
) -> list[str]:
    """What follows new answers or documents: deliverables met, fully informed, resumed.

    ``case`` must be freshly read with its relations (case_queryset) inside the transaction.
    """
    missing = case_missing(case)
    missing_keys = {item.key for item in missing}
    moment = clock.now()
    today = clock.local_date(moment)
    for deliverable in case.deliverables.all():
        if (
            deliverable.party == Deliverable.Party.BUSINESS
            and deliverable.status == Deliverable.Status.PENDING
            and deliverable.requirement_key
            and deliverable.requirement_key not in missing_keys
        ):
            deliverable.status = Deliverable.Status.DELIVERED
            deliverable.delivered_at = moment
            deliverable.save(update_fields=["status", "delivered_at"])
            late = " (efter fristen)" if deliverable.due_date < today else ""
            _event(
                case,
                "deliverable_delivered",
                actor,
                f"Leveret af virksomheden: {deliverable.title}{late}.",
                deliverable=deliverable.pk,
            )
    if missing:
        return []
    fields: list[str] = []
    if case.fully_informed_on is None:
        # Complete at intake: informed from receipt (a backdated letter counts from its date).
        case.fully_informed_on = clock.local_date(case.received_at) if at_intake else today
        fields.append("fully_informed_on")
        target = rules.service_target_days(case.service_types.all())
        if target is not None:
            case.service_target_date = rules.service_target_date(
                case.fully_informed_on, target, case.service_target_waiting_days
            )
            fields.append("service_target_date")
            _event(
                case,
                "fully_informed",
                actor,
                f"Sagen er fuldt oplyst {_fmt(case.fully_informed_on)}. "
                f"Nationalt servicemål: afgørelse senest {_fmt(case.service_target_date)} "
                f"({target} kalenderdage).",
            )
        else:
            _event(
                case,
                "fully_informed",
                actor,
                f"Sagen er fuldt oplyst {_fmt(case.fully_informed_on)}.",
            )
    if case.status == CaseStatus.AWAITING_BUSINESS:
        fields += _resume(case, actor, calendar=calendar, today=today, reason=resumed)
    return fields


def _resume(
    case: Case,
    actor: User | None,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    reason: str = "Materialet fra virksomheden er modtaget.",
) -> list[str]:
    """Back to in progress: the answer estimate moves by the working days that were paused."""
    paused_from = case.paused_since or today
    paused = max(0, calendar.working_days_between(paused_from, today))
    fields = ["status", "paused_since", "paused_working_days"]
    _set_status(case, CaseStatus.IN_PROGRESS, actor, reason)
    case.paused_since = None
    case.paused_working_days += paused
    if case.fully_informed_on is not None and case.fully_informed_on < today:
        # Waiting after the case was fully informed is deducted from the national target.
        waited = (today - max(paused_from, case.fully_informed_on)).days
        if waited > 0 and case.service_target_date is not None:
            case.service_target_waiting_days += waited
            case.service_target_date += dt.timedelta(days=waited)
            fields += ["service_target_waiting_days", "service_target_date"]
            _event(
                case,
                "service_target_moved",
                actor,
                f"Servicemålsdato flyttet {waited} kalenderdage til {_fmt(case.service_target_date)}: "
                "ventetid på virksomheden fratrækkes.",
                days=waited,
            )
    if paused and case.estimated_answer_date is not None:
        before = case.estimated_answer_date
        case.estimated_answer_date = calendar.add_working_days(before, paused)
        fields.append("estimated_answer_date")
        _move_municipality_deliverables(case, before, case.estimated_answer_date)
        moved = _event(
            case,
            "estimate_moved",
            actor,
            f"Forventet svar flyttet fra {_fmt(before)} til {_fmt(case.estimated_answer_date)}: "
            f"sagen ventede {paused} arbejdsdage på materiale fra virksomheden "
            f"(fra {_fmt(paused_from)} til {_fmt(today)}).",
            old=before.isoformat(),
            new=case.estimated_answer_date.isoformat(),
            paused_working_days=paused,
        )
        announcements.announce(CaseChanged(kind="estimate_moved", case=case.pk, event=moved.pk))
    if paused and case.promised_answer_date is not None:
        # The promise measured (issue 7) moves by the waiting for the business only, never
        # by an estimate set by hand.
        case.promised_answer_date = calendar.add_working_days(case.promised_answer_date, paused)
        fields.append("promised_answer_date")
    return fields


def _move_municipality_deliverables(case: Case, before: dt.date, after: dt.date) -> None:
    Deliverable.objects.filter(
        case=case,
        party=Deliverable.Party.MUNICIPALITY,
        status=Deliverable.Status.PENDING,
        due_date=before,
    ).update(due_date=after)


@transaction.atomic
def case_supply_answers(*, case: Case, actor: User, answers: Mapping[str, Any]) -> Case:
    """The business (or staff on its behalf) answers questions; missing items may be met."""
    _require_access(case, actor)
    case = _lock(case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes svar."
        )
    if not answers:
        raise ValidationFailed.field("answers", "Angiv mindst ét svar.")
    cleaned = rules.clean_answers(answers, case_requirements(case))
    moment = clock.now()
    current = {a.key: a for a in case.answers.all()}
    requirements = case_requirements(case)
    changed = False
    for key, value in cleaned.items():
        label = requirements[key].label
        existing = current.get(key)
        if existing is None:
            Answer.objects.create(
                case=case, key=key, value=value, provided_by=actor, provided_at=moment
            )
            _event(case, "answer_added", actor, f"Svar på »{label}«: {value}", key=key, value=value)
            changed = True
        elif existing.value != value:
            changed = True
            old = existing.value
            existing.value = value
            existing.provided_by = actor
            existing.provided_at = moment
            existing.save(update_fields=["value", "provided_by", "provided_at"])
            _event(
                case,
                "answer_changed",
                actor,
                f"Svar på »{label}« ændret fra {old} til {value}.",
                key=key,
                old=old,
                new=value,
            )
    if not changed:
        return case  # the same answers again: nothing happened, nothing to record
    case = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    _save(case, *_after_material(case, actor, calendar=working_calendar()))
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """(content type judged from the bytes, not the name; sha256 of the whole file)."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return (kind.mime if kind else "application/octet-stream"), digest.hexdigest()


@transaction.atomic
def case_add_document(
    *, case: Case, actor: User, upload: UploadedFile, requirement_key: str = ""
) -> Document:
    """Attach a file (checked for size and type by content), possibly meeting a requirement."""
    _require_access(case, actor)
    case = _lock(case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes dokumenter."
        )
    checked = _check_upload(upload)
    requirements = case_requirements(case)
    key = _check_document_requirement(requirement_key, requirements)
    document = _store_document(case, actor, checked, upload, key, requirements)
    case = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    _save(case, *_after_material(case, actor, calendar=working_calendar()))
    return document


@dataclass(frozen=True)
class _CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _check_upload(upload: UploadedFile) -> _CheckedUpload:
    """Size and type (by content, not by name) of an uploaded file, or ValidationFailed."""
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed.field("file", "Filen er tom.")
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationFailed.field(
            "file", f"Filen er for stor ({_size(size)}); den må højst fylde {_size(limit)}."
        )
    content_type, sha256 = _sniff(upload)
    if content_type not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationFailed.field(
            "file",
            "Filtypen kan ikke modtages; send PDF, billede (PNG, JPEG, TIFF), Word, Excel eller ODT.",
        )
    name = (upload.name or "dokument").replace("/", "_").replace("\\", "_")[-200:]
    return _CheckedUpload(name=name, content_type=content_type, size=size, sha256=sha256)


def _check_document_requirement(requirement_key: str, requirements: Mapping[str, Any]) -> str:
    key = (requirement_key or "").strip()
    if key:
        requirement = requirements.get(key)
        if requirement is None:
            raise ValidationFailed.field("requirement", f"Sagen har intet krav »{key}«.")
        if requirement.kind != "document":
            raise ValidationFailed.field(
                "requirement", f"»{requirement.label}« besvares med tekst, ikke et dokument."
            )
    return key


def _store_document(
    case: Case,
    actor: User | None,
    checked: _CheckedUpload,
    content: Any,
    key: str,
    requirements: Mapping[str, Any],
) -> Document:
    """Save the file and its row, and write the timeline event."""
    document = Document(
        case=case,
        requirement_key=key,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    document.file.save(checked.name, content, save=False)
    document.save()
    what = f" til »{requirements[key].label}«" if key else ""
    _event(
        case,
        "document_added",
        actor,
        f"Dokument modtaget{what}: {checked.name} "
        f"({ALLOWED_DOCUMENT_TYPES[checked.content_type]}, {_size(checked.size)}).",
        document=document.pk,
        requirement=key,
    )
    return document


# --- screening ---------------------------------------------------------------------------


def _make_fixed_contact(case: Case, coordinator: User, actor: User, *, reason: str) -> None:
    """The case's coordinator becomes its business's fixed contact person (it had no active
    one), on the business's history and the case's timeline."""
    business_set_contact_person(
        business=case.business, contact_person=coordinator, actor=actor, reason=reason
    )
    _event(
        case,
        "contact_person_changed",
        actor,
        f"{coordinator.display_name} er nu virksomhedens faste kontaktperson.",
        coordinator=coordinator.username,
    )


def _least_loaded_coordinator() -> User | None:
    """The active coordinator with the fewest open cases; ties by username, then id."""
    return (
        User.objects.coordinators()
        .annotate(
            open_cases=Count(
                "coordinated_cases", filter=Q(coordinated_cases__status__in=OPEN_STATUSES)
            )
        )
        .order_by("open_cases", "username", "id")
        .first()
    )


def _coordinator_by_username(username: str) -> User:
    found = User.objects.coordinators().filter(username=username).first()
    if found is None:
        raise ValidationFailed.field("coordinator", f"{username} er ikke en aktiv tovholder.")
    return found


def _is_active_coordinator(user: User | None) -> bool:
    return bool(user and user.is_active and user.is_staff and user.is_coordinator)


@transaction.atomic
def case_screen(
    *, case: Case, actor: User, coordinator: User | str | None = None, note: str = ""
) -> Case:
    """Screen an inquiry: completeness, coordinator, answer estimate, delivery plan, tasks.

    The coordinator is the one given, else the business's fixed contact person if active,
    else the least loaded active coordinator — who then becomes the fixed contact person.
    """
    _require_staff(actor, "screene henvendelser")
    case = _lock(case)
    if case.status != CaseStatus.RECEIVED:
        raise IllegalTransition(
            f"Sagen er allerede screenet (status »{CaseStatus(case.status).label}«)."
        )
    if isinstance(coordinator, str):
        coordinator = _coordinator_by_username(coordinator)
    elif coordinator is not None and not _is_active_coordinator(coordinator):
        raise ValidationFailed.field(
            "coordinator", f"{coordinator.username} er ikke en aktiv tovholder."
        )
    if note and len(note) > 2000:
        raise ValidationFailed.field("note", "Noten må højst være 2000 tegn.")
    business: Business = case.business
    fixed = business.contact_person
    chosen: User
    if coordinator is not None:
        chosen, why = coordinator, "valgt af medarbejderen"
    elif case.coordinator is not None and _is_active_coordinator(case.coordinator):
        chosen, why = case.coordinator, "valgt før screeningen"
    elif fixed is not None and _is_active_coordinator(fixed):
        chosen, why = fixed, "virksomhedens faste kontaktperson"
    else:
        least = _least_loaded_coordinator()
        if least is None:
            raise ValidationFailed.field(
                "coordinator", "Der er ingen aktive tovholdere; opret en i administrationen."
            )
        chosen, why = least, "tovholderen med færrest åbne sager"
    calendar = working_calendar()
    settings_row = municipality()
    moment = clock.now()
    today = clock.local_date(moment)
    service_types = list(case.service_types.all())
    missing = case_missing(case)

    case.screened_at = moment
    case.screened_by = actor
    case.coordinator = chosen
    estimate = rules.answer_estimate(today, service_types, calendar)
    case.estimated_answer_date = estimate
    case.estimate_at_screening = estimate
    # Measured by the promise dashboard (issue 7): the screening and the promise it gives.
    case.screened_on = today
    case.screening_working_days = calendar.working_days_between(
        clock.local_date(case.received_at), today
    )
    case.promised_answer_date = estimate
    late = today > case.screening_due
    verdict = (
        "Alle oplysninger er modtaget."
        if not missing
        else f"Mangler {len(missing)}: " + "; ".join(item.label for item in missing) + "."
    )
    _event(
        case,
        "screened",
        actor,
        f"Screenet {_fmt(today)}{' (efter fristen)' if late else ''}. {verdict}"
        + (f" Note: {note.strip()}" if note.strip() else ""),
        complete=not missing,
        missing=[item.key for item in missing],
        on_time=not late,
    )
    _event(
        case,
        "coordinator_appointed",
        actor,
        f"Tovholder: {chosen.display_name} ({why}).",
        coordinator=chosen.username,
    )
    if not _is_active_coordinator(fixed):
        _make_fixed_contact(
            case, chosen, actor, reason=f"Udpeget ved screening af {case.reference}."
        )
    longest = max(service_types, key=lambda st: st.target_working_days)
    _event(
        case,
        "estimate_set",
        actor,
        f"Forventet svar {_fmt(estimate)}: {longest.target_working_days} arbejdsdage "
        f"efter screeningen ({longest.name} har den længste svartid).",
        new=estimate.isoformat(),
    )
    due_business = calendar.add_working_days(today, settings_row.business_deliverable_working_days)
    plan = [
        Deliverable(
            case=case,
            party=Deliverable.Party.MUNICIPALITY,
            title=f"Svar: {st.name}",
            service_type=st,
            due_date=estimate,
            created_at=moment,
        )
        for st in service_types
    ] + [
        Deliverable(
            case=case,
            party=Deliverable.Party.BUSINESS,
            title=f"{'Send' if item.kind == 'document' else 'Oplys'}: {item.label}",
            requirement_key=item.key,
            due_date=due_business,
            created_at=moment,
        )
        for item in missing
    ]
    Deliverable.objects.bulk_create(plan)
    _event(
        case,
        "delivery_plan",
        actor,
        f"Leveranceplan: kommunen leverer {len(service_types)}, "
        f"virksomheden {len(missing)}" + (f" (senest {_fmt(due_business)})." if missing else "."),
    )
    by_department: dict[int, list[ServiceType]] = {}
    for st in service_types:
        by_department.setdefault(st.department_id, []).append(st)
    for department_id, sts in by_department.items():
        task = Task.objects.create(case=case, department_id=department_id, created_at=moment)
        task.service_types.set(sts)
        _event(
            case,
            "task_created",
            actor,
            f"Opgave til {sts[0].department.name}: {', '.join(st.name for st in sts)}.",
            department=sts[0].department.code,
        )
    if missing:
        _set_status(case, CaseStatus.AWAITING_BUSINESS, actor, "Der mangler materiale.")
        case.paused_since = today
    else:
        _set_status(case, CaseStatus.IN_PROGRESS, actor)
    _save(
        case,
        "screened_at",
        "screened_by",
        "coordinator",
        "estimated_answer_date",
        "estimate_at_screening",
        "screened_on",
        "screening_working_days",
        "promised_answer_date",
        "status",
        "paused_since",
    )
    announcements.announce(CaseChanged(kind="screened", case=case.pk))
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


# --- cases the municipality opens itself (an inspection visit) ---------------------------


def _may_handle(user: User, department_id: int) -> bool:
    """Active staff who may be given a department's task."""
    return bool(user.is_active and user.is_staff and _works_for(user, department_id))


@transaction.atomic
def case_open_by_municipality(
    *,
    business: Business,
    actor: User,
    service_type: ServiceType,
    description: str,
    contact_name: str,
    contact_email: str,
    caseworker: User,
    channel: str = Channel.INSPECTION,
    opened: str = "",
) -> Case:
    """Open a case the municipality starts itself (an environmental inspection visit).

    It is not an inquiry: nothing was received and nothing is screened, so the case starts in
    progress, screened when it was opened, with no answer estimate (the municipality promised
    no answer date). The service type's department task is given to ``caseworker``; the
    coordinator is the business's fixed contact person if an active coordinator, else the
    least loaded active coordinator, who then becomes the fixed contact person (as at
    screening). The timeline says the coordinator is informed. ``opened`` is the first
    sentence of the timeline (what was opened and why).
    """
    _require_staff(actor, "oprette sager på kommunens initiativ")
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = f"Ukendt kanal; brug en af: {', '.join(Channel.values)}."
    if not service_type.active:
        errors["service_type"] = f"Ydelsen »{service_type.name}« er ikke aktiv."
    text = _collect(errors, _clean_description, description) or ""
    person = _collect(errors, _clean_contact, {"name": contact_name, "email": contact_email}) or {}
    if not _may_handle(caseworker, service_type.department_id):
        errors["caseworker"] = (
            f"{caseworker.display_name} kan ikke få opgaver for {service_type.department.name}."
        )
    fixed = business.contact_person
    coordinator: User | None
    if fixed is not None and _is_active_coordinator(fixed):
        coordinator, why = fixed, "virksomhedens faste kontaktperson"
    else:
        coordinator, why = _least_loaded_coordinator(), "tovholderen med færrest åbne sager"
        if coordinator is None:
            errors["coordinator"] = "Der er ingen aktive tovholdere; opret en i administrationen."
    if errors:
        raise ValidationFailed("Sagen kan ikke oprettes.", errors=errors)
    assert coordinator is not None
    moment = clock.now()
    today = clock.local_date(moment)
    year = today.year
    seq, reference = _next_reference(year)
    case = Case.objects.create(
        reference=reference,
        year=year,
        number=seq,
        business=business,
        contact_name=person["name"],
        contact_email=person["email"],
        description=text,
        channel=channel,
        status=CaseStatus.IN_PROGRESS,
        received_at=moment,
        screening_due=today,
        screened_at=moment,
        screened_by=actor,
        screened_on=today,
        screening_working_days=0,
        coordinator=coordinator,
        fully_informed_on=today,
        created_by=actor,
        **Case.membership([service_type]),
    )
    case.service_types.set([service_type])
    _event(
        case,
        "opened",
        actor,
        (opened.strip() + " " if opened.strip() else "")
        + f"Sagen er oprettet af kommunen ({Channel(channel).label.lower()}): "
        f"{service_type.name}.",
        channel=channel,
        service_types=[service_type.code],
    )
    _event(
        case,
        "coordinator_appointed",
        actor,
        f"Tovholder: {coordinator.display_name} ({why}); orienteret om sagen.",
        coordinator=coordinator.username,
    )
    if not _is_active_coordinator(fixed):
        _make_fixed_contact(
            case, coordinator, actor, reason=f"Udpeget ved oprettelsen af {reference}."
        )
    task = Task.objects.create(
        case=case,
        department_id=service_type.department_id,
        status=Task.Status.IN_PROGRESS,
        assignee=caseworker,
        created_at=moment,
    )
    task.service_types.set([service_type])
    _event(
        case,
        "task_assigned",
        actor,
        f"Opgaven for {service_type.department.name} er givet til {caseworker.display_name}.",
        task=task.pk,
        assignee=caseworker.username,
    )
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


@transaction.atomic
def case_add_generated_document(
    *, case: Case, actor: User, name: str, content: bytes, content_type: str = "application/pdf"
) -> Document:
    """Store a document the municipality made (an inspection report) on the case.

    Staff only; the case must not be closed or withdrawn. The timeline says it was added.
    """
    _require_staff(actor, "tilføje dokumenter")
    case = _lock(case)
    if case.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes dokumenter."
        )
    if content_type not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationFailed.field("file", "Filtypen kan ikke gemmes på sagen.")
    if not content:
        raise ValidationFailed.field("file", "Filen er tom.")
    checked = _CheckedUpload(
        name=name.replace("/", "_").replace("\\", "_")[-200:],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document = _store_document(case, actor, checked, ContentFile(content), "", {})
    _save(case)
    return document


# --- coordinator, decision, close, withdraw -----------------------------------------------


@transaction.atomic
def case_change_coordinator(
    *, case: Case, actor: User, coordinator: User | str, reason: str = ""
) -> Case:
    """Give the case another coordinator (the business's fixed contact person is unchanged)."""
    _require_staff(actor, "skifte tovholder")
    case = _lock(case)
    if case.status not in OPEN_STATUSES and case.status != CaseStatus.ANSWERED:
        raise IllegalTransition("En afsluttet sag får ikke ny tovholder.")
    if isinstance(coordinator, str):
        coordinator = _coordinator_by_username(coordinator)
    elif not _is_active_coordinator(coordinator):
        raise ValidationFailed.field(
            "coordinator", f"{coordinator.username} er ikke en aktiv tovholder."
        )
    if case.coordinator_id == coordinator.pk:
        return case
    before = case.coordinator
    case.coordinator = coordinator
    _event(
        case,
        "coordinator_changed",
        actor,
        f"Tovholder: {coordinator.display_name} (før: {before.display_name if before else 'ingen'})."
        + (f" Begrundelse: {reason.strip()}" if reason.strip() else ""),
        old=before.username if before else None,
        new=coordinator.username,
    )
    _save(case, "coordinator")
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


def _require_may_answer(case: Case, actor: User) -> None:
    """Who may give the case its answer (docs/decisions/0006-who-records-the-answer.md).

    The answer closes every department's task, so it is the coordinator's to give, or a
    head of unit's or an administrator's. A caseworker may record it when the case is their
    department's alone: every task still open is theirs (their department's or given to
    them) — the common one-permit case, without a detour through the coordinator.
    """
    department_id = actor.department_id
    if department_id is None or actor.is_superuser or actor.is_coordinator or actor.is_head_of_unit:
        return
    others = (
        Task.objects.filter(case=case, status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS])
        .exclude(department_id=department_id)
        .exclude(assignee=actor)
        .select_related("department")
        .order_by("id")
    )
    names = sorted({task.department.name for task in others})
    if names:
        raise Forbidden(
            f"{', '.join(names)} har stadig åbne opgaver på sagen; "
            "tovholderen giver svaret, når alle afdelinger er færdige."
        )
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise Forbidden("Sagen er ikke din afdelings; tovholderen giver svaret.")


def _measure_answer(case: Case, today: dt.date) -> list[str]:
    """What the promise dashboard measures of an answer (issue 7); the fields it set.

    A late answer is at least one working day late, also when it is given on the weekend
    after the promised Friday, so "on time" and "deviation <= 0" always agree.
    """
    calendar = working_calendar()
    case.answered_on = today
    if case.screened_on is not None:
        case.answer_working_days = max(0, calendar.working_days_between(case.screened_on, today))
    if case.promised_answer_date is not None:
        deviation = calendar.working_days_between(case.promised_answer_date, today)
        if today > case.promised_answer_date:
            deviation = max(1, deviation)
        case.estimate_deviation_working_days = deviation
    if case.service_target_date is not None:
        case.service_target_met = today <= case.service_target_date
    return [
        "answered_on",
        "answer_working_days",
        "estimate_deviation_working_days",
        "service_target_met",
    ]


@transaction.atomic
def case_record_decision(*, case: Case, actor: User, summary: str) -> Case:
    """The municipality's answer (decision, permit, advice) is delivered: the case is answered."""
    _require_staff(actor, "give svar på sager")
    case = _lock(case)
    _require_may_answer(case, actor)
    if not isinstance(summary, str) or not summary.strip():
        raise ValidationFailed.field("summary", "Skriv kort, hvad svaret/afgørelsen er.")
    if len(summary) > 10_000:
        raise ValidationFailed.field("summary", "Svaret må højst være 10.000 tegn.")
    if case.status == CaseStatus.AWAITING_BUSINESS:
        raise IllegalTransition(
            "Sagen venter på materiale fra virksomheden; den kan ikke besvares endnu."
        )
    _set_status(case, CaseStatus.ANSWERED, actor)
    moment = clock.now()
    today = clock.local_date(moment)
    case.answered_at = moment
    case.decision_summary = summary.strip()
    measured = _measure_answer(case, today)
    for deliverable in case.deliverables.all():
        if (
            deliverable.party == Deliverable.Party.MUNICIPALITY
            and deliverable.status == Deliverable.Status.PENDING
        ):
            deliverable.status = Deliverable.Status.DELIVERED
            deliverable.delivered_at = moment
            deliverable.save(update_fields=["status", "delivered_at"])
    Task.objects.filter(case=case, status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS]).update(
        status=Task.Status.DONE, done_at=moment
    )
    # The promise is the estimate as it stands: it has moved only by the working days the
    # case waited for the business, which do not count against the municipality.
    promised = case.estimated_answer_date or case.estimate_at_screening
    kept = promised is None or today <= promised
    _event(
        case,
        "answered",
        actor,
        f"Svar givet {_fmt(today)}"
        + (
            f" ({'inden' if kept else 'efter'} den lovede dato {_fmt(promised)})"
            if promised
            else ""
        )
        + f": {case.decision_summary}",
        on_time=kept,
    )
    _save(case, "status", "answered_at", "decision_summary", *measured)
    announcements.announce(CaseChanged(kind="answered", case=case.pk))
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


@transaction.atomic
def case_close(*, case: Case, actor: User, note: str = "") -> Case:
    _require_staff(actor, "afslutte sager")
    case = _lock(case)
    _set_status(case, CaseStatus.CLOSED, actor, note.strip())
    case.closed_at = clock.now()
    _save(case, "status", "closed_at")
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


@transaction.atomic
def case_withdraw(*, case: Case, actor: User, reason: str = "") -> Case:
    """The business (or staff for it) withdraws the inquiry; open promises are waived."""
    _require_access(case, actor)
    case = _lock(case)
    if case.channel == Channel.INSPECTION and not actor.is_staff:
        raise Forbidden(
            "Et tilsynsbesøg kan ikke trækkes tilbage; skriv til kommunen på sagen, "
            "hvis der er noget, der ikke passer."
        )
    _set_status(
        case,
        CaseStatus.WITHDRAWN,
        actor,
        ("Trukket tilbage. " + reason.strip()).strip() if reason.strip() else "Trukket tilbage.",
    )
    moment = clock.now()
    case.withdrawn_at = moment
    case.paused_since = None
    Deliverable.objects.filter(case=case, status=Deliverable.Status.PENDING).update(
        status=Deliverable.Status.WAIVED, note="Sagen er trukket tilbage."
    )
    Task.objects.filter(case=case, status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS]).update(
        status=Task.Status.CANCELLED, done_at=moment
    )
    _save(case, "status", "withdrawn_at", "paused_since")
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


# --- messages ----------------------------------------------------------------------------

MAX_MESSAGE = 5000


@transaction.atomic
def case_message_post(*, case: Case, actor: User, body: str, internal: bool = False) -> Message:
    """A message on the case; staff may write an internal note the business never sees."""
    _require_access(case, actor)
    if internal and not actor.is_staff:
        raise Forbidden("Kun kommunens medarbejdere kan skrive interne notater.")
    case = _lock(case)
    if case.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; skriv til kommunen om en ny sag."
        )
    text = (body or "").strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationFailed.field("body", "Skriv en besked.")
    if len(text) > MAX_MESSAGE:
        raise ValidationFailed.field("body", f"Beskeden må højst være {MAX_MESSAGE} tegn.")
    message = Message.objects.create(
        case=case, author=actor, body=text, internal=internal, created_at=clock.now()
    )
    if internal:
        summary = "Internt notat tilføjet."
    elif actor.is_staff:
        summary = f"Besked fra kommunen ({actor.display_name})."
    else:
        summary = "Besked fra virksomheden."
    event = _event(case, "message", actor, summary, message=message.pk)
    if internal:
        Event.objects.filter(pk=event.pk).update(internal=True)
    _save(case)
    if actor.is_staff and not internal:
        announcements.announce(CaseChanged(kind="staff_message", case=case.pk, message=message.pk))
    return message


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
    document.file.save(checked.name, upload, save=False)
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
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


# --- workbench ---------------------------------------------------------------------------
#
# Staff edits from the workbench. Each takes the ``expected_version`` of the case (or task)
# the person saw: when someone else saved in between, the change is refused with Conflict
# and nothing is written, so the second of two concurrent edits never silently wins.

STALE_CASE = (
    "Sagen er ændret af en anden, siden du åbnede den – genindlæs siden og prøv igen. "
    "Det, du skrev, er bevaret nedenfor."
)
STALE_TASK = "Opgaven er ændret af en anden, siden du åbnede den – genindlæs siden og prøv igen."
MAX_REASON = 500


def _expect_version(case: Case, expected_version: int | None) -> None:
    """Refuse when the (locked) case is no longer the version the user saw."""
    if expected_version is not None and case.version != expected_version:
        raise Conflict(STALE_CASE, errors={"version": STALE_CASE})


def _clean_reason(reason: object, *, required: bool = True) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise ValidationFailed.field("reason", "Skriv en begrundelse.")
    if len(text) > MAX_REASON:
        raise ValidationFailed.field("reason", f"Begrundelsen må højst være {MAX_REASON} tegn.")
    return text


def _require_open(case: Case, what: str) -> None:
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; {what} kan ikke ændres."
        )


@transaction.atomic
def case_update_checked(
    *, case: Case, expected_version: int | None, change: Callable[[Case], T]
) -> T:
    """Run one case service only if the case is still the version the user saw.

    The row is locked first, so no other writer can slip in between the check and the
    change; ``change`` (a service call) runs in the same transaction.
    """
    locked = _lock(case)
    _expect_version(locked, expected_version)
    return change(locked)


@transaction.atomic
def requirement_mark_not_needed(
    *,
    case: Case,
    actor: User,
    requirement_key: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Staff decide a missing mandatory requirement is not needed for this case (with a reason).

    Stored as a waived business deliverable for the requirement, which ``case_missing``
    treats as met; a pending one for it is waived instead. If nothing else is missing, the
    case becomes fully informed (and resumes if it was waiting), as when material arrives.
    """
    _require_staff(actor, "frafalde krav")
    case = _lock(case)
    _expect_version(case, expected_version)
    _require_open(case, "kravene")
    text = _clean_reason(reason)
    full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    missing = {item.key: item for item in case_missing(full)}
    key = (requirement_key or "").strip()
    if key not in missing:
        raise ValidationFailed.field("requirement", f"Kravet »{key}« mangler ikke på sagen.")
    moment = clock.now()
    pending = Deliverable.objects.filter(
        case=case,
        party=Deliverable.Party.BUSINESS,
        requirement_key=key,
        status=Deliverable.Status.PENDING,
    ).first()
    if pending is not None:
        pending.status = Deliverable.Status.WAIVED
        pending.note = text
        pending.save(update_fields=["status", "note"])
    else:
        Deliverable.objects.create(
            case=case,
            party=Deliverable.Party.BUSINESS,
            title=f"Ikke nødvendigt: {missing[key].label}",
            requirement_key=key,
            due_date=clock.local_date(moment),
            status=Deliverable.Status.WAIVED,
            note=text,
            created_at=moment,
        )
    _event(
        case,
        "requirement_not_needed",
        actor,
        f"»{missing[key].label}« er ikke nødvendig. Begrundelse: {text}",
        key=key,
        reason=text,
    )
    full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    # Also before screening: a case whose last missing item is not needed is fully informed
    # from today (the national target's clock starts), and screening finds nothing missing.
    fields = _after_material(
        full, actor, calendar=working_calendar(), resumed="Der mangler ikke længere materiale."
    )
    _save(full, *fields)
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


def _parse_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed.field(field, "Angiv en dato, fx 2026-12-01.") from error


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
    _require_staff(actor, "ændre den forventede svardato")
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
        old=before.isoformat() if before else None,
        new=day.isoformat(),
        reason=text,
    )
    _save(case, "estimated_answer_date")
    if announce:
        announcements.announce(CaseChanged(kind="estimate_moved", case=case.pk, event=moved.pk))
    return case_queryset(user=_SYSTEM).get(pk=case.pk)


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
    expected_version: int | None = None,
) -> Deliverable:
    """Staff confirm a pending deliverable is delivered (e.g. the inspector has seen an agreed
    solution in place). A deliverable for a requirement is delivered by the material itself
    (answer or document), so it is refused here."""
    _require_staff(actor, "ændre leveranceplanen")
    case, deliverable = _lock_deliverable(deliverable)
    _expect_version(case, expected_version)
    _require_open(case, "leveranceplanen")
    if deliverable.status != Deliverable.Status.PENDING:
        raise IllegalTransition("Kun en afventende leverance kan markeres som leveret.")
    if deliverable.requirement_key:
        raise IllegalTransition(
            "Leverancen er et krav; den er leveret, når oplysningen eller dokumentet er modtaget."
        )
    text = _clean_reason(note, required=False)
    moment = clock.now()
    deliverable.status = Deliverable.Status.DELIVERED
    deliverable.delivered_at = moment
    if text:
        deliverable.note = text
    deliverable.save(update_fields=["status", "delivered_at", "note"])
    late = " (efter fristen)" if deliverable.due_date < clock.local_date(moment) else ""
    party = Deliverable.Party(deliverable.party).label.lower()
    _event(
        case,
        "deliverable_delivered",
        actor,
        f"Leveret af {party}: {deliverable.title}{late}." + (f" {text}" if text else ""),
        deliverable=deliverable.pk,
    )
    _save(case)
    return deliverable


def _lock_task(task: Task, expected_version: int | None) -> tuple[Case, Task]:
    case = _lock(task.case)
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department", "assignee")
        .get(pk=task.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(STALE_TASK, errors={"version": STALE_TASK})
    if locked.status not in (Task.Status.OPEN, Task.Status.IN_PROGRESS):
        raise IllegalTransition(f"Opgaven er {Task.Status(locked.status).label.lower()}.")
    return case, locked


def _works_for(user: User, department_id: int) -> bool:
    """Whose work a department's task may be: its own staff, coordinators, heads, admins."""
    return bool(
        user.is_superuser
        or user.is_coordinator
        or user.is_head_of_unit
        or user.department_id == department_id
    )


def _may_work_on(task: Task, user: User) -> bool:
    return _works_for(user, task.department_id)


def _save_task(task: Task, *fields: str) -> None:
    task.version = F("version") + 1
    task.save(update_fields=[*fields, "version"])
    task.refresh_from_db(fields=["version"])


def _hand_task(
    case: Case, task: Task, actor: User, assignee: User, *, kind: str, text: str
) -> Task:
    """The task is ``assignee``'s and in progress; the case's timeline says who did it."""
    task.assignee = assignee
    task.status = Task.Status.IN_PROGRESS
    _save_task(task, "assignee", "status")
    _event(case, kind, actor, text, task=task.pk, assignee=assignee.username)
    return task


@transaction.atomic
def task_claim(*, task: Task, actor: User, expected_version: int | None = None) -> Task:
    """A caseworker takes a department task: it is theirs and in progress."""
    _require_staff(actor, "tage opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    if task.assignee_id == actor.pk and task.status == Task.Status.IN_PROGRESS:
        return task
    return _hand_task(
        case,
        task,
        actor,
        actor,
        kind="task_claimed",
        text=f"{actor.display_name} har taget opgaven for {task.department.name}.",
    )


@transaction.atomic
def task_assign(
    *, task: Task, actor: User, assignee: User, expected_version: int | None = None
) -> Task:
    """Give a department task to a colleague (staff of that department or a coordinator)."""
    _require_staff(actor, "fordele opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    if not (assignee.is_active and assignee.is_staff and _may_work_on(task, assignee)):
        raise ValidationFailed.field(
            "assignee", f"{assignee.display_name} kan ikke få opgaver for {task.department.name}."
        )
    if task.assignee_id == assignee.pk:
        return task
    return _hand_task(
        case,
        task,
        actor,
        assignee,
        kind="task_assigned",
        text=f"Opgaven for {task.department.name} er givet til {assignee.display_name}.",
    )


@transaction.atomic
def task_complete(
    *, task: Task, actor: User, note: str = "", expected_version: int | None = None
) -> Task:
    """The department's share is done; the coordinator sees it in the timeline."""
    _require_staff(actor, "afslutte opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    text = _clean_reason(note, required=False)
    task.status = Task.Status.DONE
    task.done_at = clock.now()
    if task.assignee_id is None:
        task.assignee = actor
    _save_task(task, "status", "done_at", "assignee")
    _event(
        case,
        "task_done",
        actor,
        f"Opgaven for {task.department.name} er færdig ({actor.display_name})."
        + (f" {text}" if text else ""),
        task=task.pk,
    )
    return task


@transaction.atomic
def case_record_decision_with_document(
    *,
    case: Case,
    actor: User,
    summary: str,
    upload: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Case:
    """Record the answer/decision, attaching the decision document (afgørelse) if given.

    Everything is checked before the file is stored, so a refused answer stores nothing.
    """
    _require_staff(actor, "give svar på sager")
    case = _lock(case)
    _expect_version(case, expected_version)
    if CaseStatus.ANSWERED not in TRANSITIONS[case.status]:
        raise IllegalTransition(
            "Sagen venter på materiale fra virksomheden; den kan ikke besvares endnu."
            if case.status == CaseStatus.AWAITING_BUSINESS
            else f"En sag med status »{CaseStatus(case.status).label}« kan ikke besvares."
        )
    if not isinstance(summary, str) or not summary.strip():
        raise ValidationFailed.field("summary", "Skriv kort, hvad svaret/afgørelsen er.")
    if upload is not None:
        checked = _check_upload(upload)
        _store_document(case, actor, checked, upload, "", {})
    return case_record_decision(case=case, actor=actor, summary=summary)


MAX_ADDED_PLAN_LINES = 50


@dataclass(frozen=True)
class PlanLine:
    """One line of the delivery plan (leverance) as the coordinator confirmed it at screening.

    A proposed line names what screening proposes it for: ``service_type`` (a service type's
    code: the municipality's answer) or ``requirement_key`` (a missing requirement: the
    business's material). A line naming neither is one the coordinator adds; it needs
    ``party``, ``title`` and ``due_date``. On a proposed line ``None`` keeps the proposal, so
    an answer line whose date is not set follows the estimate; ``leave_out`` drops the line
    (it is waived, and ``reason`` is required).
    """

    service_type: str = ""
    requirement_key: str = ""
    party: str = ""
    title: str | None = None
    due_date: dt.date | str | None = None
    leave_out: bool = False
    reason: str = ""

    @property
    def added(self) -> bool:
        return not (self.service_type or self.requirement_key)

    @property
    def source(self) -> tuple[str, str]:
        if self.service_type:
            return ("service_type", self.service_type)
        return ("requirement", self.requirement_key)


@dataclass(frozen=True)
class _PlanEdit:
    """A plan line that passed validation: what to apply once the case is screened."""

    line: PlanLine
    title: str | None
    due_date: dt.date | None
    reason: str

    @property
    def changes(self) -> bool:
        """A proposed line kept, with a new title or date (may equal the proposal)."""
        return not (self.line.added or self.line.leave_out) and (
            self.title is not None or self.due_date is not None
        )


def _check_plan_line_date(value: object, at: str, errors: dict[str, str]) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[f"{at}.due_date"] = "Angiv, hvornår det skal leveres."
        return None
    day = _collect(errors, lambda v: _parse_date(v, f"{at}.due_date"), value)
    if day is not None and day < clock.today():
        errors[f"{at}.due_date"] = "Datoen kan ikke ligge i fortiden."
        return None
    return day


def _check_plan(case: Case, plan: list[PlanLine], errors: dict[str, str]) -> list[_PlanEdit]:
    """Validate the confirmed plan against what screening will propose, all lines at once.

    ``case`` must be read with its relations (``_lock``). Errors are keyed
    ``plan.<index>.<field>`` after the line's place in ``plan``.
    """
    proposed: dict[tuple[str, str], str] = {
        ("service_type", st.code): Deliverable.Party.MUNICIPALITY for st in case.service_types.all()
    }
    proposed.update(
        {("requirement", item.key): Deliverable.Party.BUSINESS for item in case_missing(case)}
    )
    if sum(1 for line in plan if line.added) > MAX_ADDED_PLAN_LINES:
        errors["plan"] = f"Tilføj højst {MAX_ADDED_PLAN_LINES} nye linjer ad gangen."
    seen: set[tuple[str, str]] = set()
    edits: list[_PlanEdit] = []
    for index, line in enumerate(plan):
        at = f"plan.{index}"
        if line.added:
            if line.leave_out:
                continue  # an added line left out is simply not added
            if line.party not in Deliverable.Party.values:
                errors[f"{at}.party"] = "Vælg, hvem der leverer: kommunen eller virksomheden."
        else:
            if (line.service_type and line.requirement_key) or line.source not in proposed:
                errors[at] = "Linjen findes ikke i forslaget til leveranceplan."
                continue
            if line.source in seen:
                errors[at] = "Linjen står to gange i leveranceplanen."
                continue
            seen.add(line.source)
            if line.party and line.party != proposed[line.source]:
                errors[f"{at}.party"] = "En foreslået linje kan ikke skifte part."
        reason = line.reason.strip() if isinstance(line.reason, str) else ""
        if len(reason) > MAX_REASON:
            errors[f"{at}.reason"] = f"Begrundelsen må højst være {MAX_REASON} tegn."
        if line.leave_out:
            if not reason:
                errors[f"{at}.reason"] = "Skriv, hvorfor linjen udelades."
            edits.append(_PlanEdit(line, None, None, reason))
            continue
        title: str | None = None
        if line.added or line.title is not None:
            title = line.title.strip() if isinstance(line.title, str) else ""
            if not title:
                errors[f"{at}.title"] = "Skriv, hvad der skal leveres."
            elif len(title) > 250:
                errors[f"{at}.title"] = "Teksten må højst være 250 tegn."
        day = None
        if line.added or line.due_date is not None:
            day = _check_plan_line_date(line.due_date, at, errors)
        edits.append(_PlanEdit(line, title, day, reason))
    return edits


def _apply_plan(case: Case, actor: User, edits: list[_PlanEdit]) -> None:
    """Apply the confirmed plan to the just screened case through the deliverable services,
    so the timeline shows each change with its reason, as when the plan is edited later.

    Lines left out are waived last: waiving the last missing requirement makes the case
    fully informed and resumes it, and that should follow the other changes.
    """
    codes = {st.pk: st.code for st in case.service_types.all()}
    lines: dict[tuple[str, str], Deliverable] = {}
    for deliverable in case.deliverables.all():
        if deliverable.status != Deliverable.Status.PENDING:
            continue
        if deliverable.service_type_id in codes:
            lines[("service_type", codes[deliverable.service_type_id])] = deliverable
        elif deliverable.requirement_key:
            lines[("requirement", deliverable.requirement_key)] = deliverable
    for edit in edits:
        if edit.changes:
            deliverable_change(
                deliverable=lines[edit.line.source],
                actor=actor,
                title=edit.title,
                due_date=edit.due_date,
                reason=edit.reason or "Ændret ved screeningen.",
            )
    for edit in edits:
        if edit.line.added:
            assert edit.title is not None and edit.due_date is not None
            deliverable_add(
                case=case,
                actor=actor,
                party=edit.line.party,
                title=edit.title,
                due_date=edit.due_date,
                reason=edit.reason or "Tilføjet ved screeningen.",
            )
    for edit in edits:
        if edit.line.leave_out and not edit.line.added:
            deliverable_waive(deliverable=lines[edit.line.source], actor=actor, reason=edit.reason)


@transaction.atomic
def case_screen_checked(
    *,
    case: Case,
    actor: User,
    coordinator: User | str | None = None,
    note: str = "",
    estimate: dt.date | str | None = None,
    estimate_reason: str = "",
    business_due: dt.date | str | None = None,
    plan: list[PlanLine] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Screen as the workbench's screening view was confirmed, in one transaction.

    The case must be the version the coordinator saw. An estimate they edited replaces the
    proposed one (with a reason); the municipality's answer lines follow it unless their date
    was set in ``plan``. ``business_due`` is the deadline for the business's lines whose date
    ``plan`` does not set. ``plan`` edits the proposed delivery plan (see ``PlanLine``).
    Everything is validated before anything is written, and all errors are reported at once.
    """
    _require_staff(actor, "screene henvendelser")
    locked = _lock(case)
    _expect_version(locked, expected_version)
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for field, value in (("estimate", estimate), ("business_due", business_due)):
        day = None
        if value is not None and value != "":
            try:
                day = _parse_date(value, field)
            except ValidationFailed as error:
                errors.update(error.errors)
        if day is not None and day < clock.today():
            errors[field] = "Datoen kan ikke ligge i fortiden."
            day = None
        days[field] = day
    # A case that is no longer waiting for screening is refused by case_screen below.
    edits = _check_plan(locked, plan or [], errors) if locked.status == CaseStatus.RECEIVED else []
    if errors:
        messages = list(errors.values())
        raise ValidationFailed(
            messages[0] if len(messages) == 1 else "Screeningen er ikke udfyldt korrekt.",
            errors=errors,
        )
    screened = case_screen(case=locked, actor=actor, coordinator=coordinator, note=note)
    new_estimate = days["estimate"]
    if new_estimate is not None and new_estimate != screened.estimated_answer_date:
        screened = case_set_estimate(
            case=screened,
            actor=actor,
            estimate=new_estimate,
            reason=estimate_reason.strip() or "Ændret ved screeningen.",
            announce=False,
        )
        # What was promised at screening is the date the coordinator confirmed.
        Case.objects.filter(pk=screened.pk).update(
            estimate_at_screening=new_estimate, promised_answer_date=new_estimate
        )
        screened.estimate_at_screening = new_estimate
        screened.promised_answer_date = new_estimate
    deadline = days["business_due"]
    if deadline is not None:
        own = {
            edit.line.requirement_key
            for edit in edits
            if edit.line.requirement_key and (edit.due_date is not None or edit.line.leave_out)
        }
        for line in screened.deliverables.all():
            if (
                line.party == Deliverable.Party.BUSINESS
                and line.status == Deliverable.Status.PENDING
                and line.due_date != deadline
                and line.requirement_key not in own
            ):
                deliverable_change(
                    deliverable=line,
                    actor=actor,
                    due_date=deadline,
                    reason="Frist sat ved screeningen.",
                )
    edits = [edit for edit in edits if edit.line.added or edit.line.leave_out or edit.changes]
    if edits:
        screened = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=screened.pk)
        _apply_plan(screened, actor, edits)
    if deadline is not None or edits:
        screened = case_queryset(user=_SYSTEM).get(pk=screened.pk)
    return screened


# --- survey follow-up ---


@transaction.atomic
def task_create_follow_up(*, case: Case, assignee: User, reason: str) -> Task:
    """A task for ``assignee`` to follow up on a dissatisfied business, in the case's timeline.

    Called by ``surveys.services.response_submit`` when the overall answer is negative (the
    business answered through its link, so there is no actor). The task belongs to the
    assignee's department, else the coordinator's, else the department of the case's first
    service type. A case has one task per department: if it already has one there (the
    department's own share, long done), that task is reopened and given to ``assignee``.
    The event is internal: it names staff and is about the business's answer.
    """
    if not (assignee.is_active and assignee.is_staff):
        raise ValidationFailed.field(
            "assignee", f"{assignee.display_name} er ikke en aktiv medarbejder."
        )
    text = _clean_reason(reason)
    case = _lock(case)
    coordinator = case.coordinator
    department_id = (
        assignee.department_id
        or (coordinator.department_id if coordinator is not None else None)
        or ServiceType.objects.filter(cases=case)
        .order_by("position", "id")
        .values_list("department_id", flat=True)
        .first()
    )
    if department_id is None:
        raise IllegalTransition("Sagen har ingen afdeling, som opfølgningen kan høre til.")
    moment = clock.now()
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(case=case, department_id=department_id)
        .first()
    )
    if task is None:
        task = Task.objects.create(
            case=case,
            department_id=department_id,
            status=Task.Status.OPEN,
            assignee=assignee,
            created_at=moment,
        )
        task = Task.objects.select_related("department").get(pk=task.pk)
        kind, done = "follow_up_task_created", "oprettet"
    else:
        task.status = Task.Status.OPEN
        task.assignee = assignee
        task.done_at = None
        _save_task(task, "status", "assignee", "done_at")
        kind, done = "follow_up_task_reopened", "genåbnet"
    Event.objects.create(
        case=case,
        at=moment,
        kind=kind,
        actor=None,
        text=f"Opfølgningsopgave {done} for {task.department.name}, givet til "
        f"{assignee.display_name}. {text}",
        data={"task": task.pk, "assignee": assignee.username},
        internal=True,
    )
    _save(case)
    return task
