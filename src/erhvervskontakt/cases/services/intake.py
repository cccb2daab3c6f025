"""Intake (``inquiry_submit``): the inquiry's checks, its reference, its screening deadline,
and the ``Idempotency-Key`` that makes a retried request return the same case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import normalise_cvr
from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.businesses.services import business_get_or_create
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import municipality, service_types_by_codes
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Conflict, Forbidden, ValidationFailed

from .. import rules
from ..announcements import CaseChanged
from ..models import Answer, Case, Channel, IdempotencyKey, ReferenceCounter
from ..selectors import case_queryset
from .core import _SYSTEM, _collect, _event, _fmt, _reread
from .material import _after_material

MAX_DESCRIPTION = 10_000


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
            raise Forbidden("I kan kun sende henvendelser for jeres egen virksomhed.")
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
            business_text=gettext_noop(
                "Vi har modtaget jeres henvendelse om %(services)s. Vi gennemgår den senest "
                "%(screening_date)s og fortæller jer, hvem der er jeres tovholder, og hvornår I "
                "får svar."
            ),
            business_args={
                "services": ", ".join(st.name for st in chosen),
                "screening_date": case.screening_due,
            },
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
    return _reread(case)


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
