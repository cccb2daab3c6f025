"""Writes for businesses: registration, portal access and the fixed contact person."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

from .cvr import normalise_cvr
from .models import Business, BusinessEvent, Membership, ProductionUnit


def business_get_or_create(*, cvr: str, name: str = "") -> tuple[Business, bool]:
    """The business with this CVR, registered now if it is new.

    Safe under concurrent intake: a second writer that loses the race on the unique CVR
    reads the winner's row (the savepoint keeps the outer transaction usable).
    """
    number = normalise_cvr(cvr)
    existing = Business.objects.filter(cvr=number).first()
    if existing is not None:
        return existing, False
    clean_name = (name or "").strip()
    if not clean_name:
        raise ValidationFailed.field(
            "business_name", "Virksomheden er ny for os: angiv virksomhedens navn."
        )
    try:
        with transaction.atomic():
            return Business.objects.create(cvr=number, name=clean_name[:200]), True
    except IntegrityError:
        return Business.objects.get(cvr=number), False


@transaction.atomic
def business_set_contact_person(
    *, business: Business, contact_person: User | None, actor: User | None, reason: str = ""
) -> Business:
    """Make ``contact_person`` the business's fixed contact person (logged)."""
    if contact_person is not None and not (
        contact_person.is_active and contact_person.is_staff and contact_person.is_coordinator
    ):
        raise ValidationFailed.field(
            "coordinator", f"{contact_person.username} er ikke en aktiv tovholder."
        )
    if business.contact_person_id == (contact_person.pk if contact_person else None):
        return business
    before = business.contact_person
    business.contact_person = contact_person
    business.save(update_fields=["contact_person"])
    text = (
        f"Fast kontaktperson: {contact_person.display_name if contact_person else 'ingen'}"
        f" (før: {before.display_name if before else 'ingen'})."
    )
    if reason:
        text += f" Begrundelse: {reason}"
    BusinessEvent.objects.create(
        business=business, at=clock.now(), kind="contact_person_changed", actor=actor, text=text
    )
    return business


@transaction.atomic
def business_user_add(
    *, cvr: str, email: str, name: str = "", business_name: str = "", password: str = ""
) -> User:
    """Give the person with ``email`` portal access to the business (user = the e-mail).

    Without a password the user cannot log in to the portal until one is set (API tokens
    work regardless).
    """
    address = BaseUserManager.normalize_email((email or "").strip())
    if "@" not in address or len(address) > 150:
        raise ValidationFailed.field("email", "Angiv en gyldig e-mailadresse.")
    business, _ = business_get_or_create(cvr=cvr, name=business_name)
    user = User.objects.filter(username__iexact=address).first()
    if user is None:
        first, _, last = (name or "").strip().partition(" ")
        user = User.objects.create_user(
            username=address.lower(), email=address, first_name=first, last_name=last
        )
    elif user.is_staff:
        raise ValidationFailed.field("email", "En medarbejder kan ikke være virksomhedsbruger.")
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    membership, created = Membership.objects.get_or_create(user=user, business=business)
    if not created and membership.active:
        return user  # already had access: nothing to record
    if not created:
        membership.active = True
        membership.save(update_fields=["active"])
    BusinessEvent.objects.create(
        business=business,
        at=clock.now(),
        kind="member_added",
        actor=None,
        text=f"{user.username} kan handle for virksomheden.",
    )
    return user


@transaction.atomic
def memberships_confirm_from_login(
    *, user: User, grants: dict[str, tuple[str, str]], source: str, moment: dt.datetime
) -> list[Business]:
    """What a login from an identity provider says the person may act for, made so.

    ``grants`` maps each CVR to (the business's name as the provider gave it, the role:
    employee for the CVR logged in with, adviser for a CVR given by a privilege scoped to it).
    A business new to us is registered from the name. Memberships from the same source that
    the login no longer carries are deactivated; those the municipality created are left as
    they are. Each access given or taken is written in the business's history.
    """
    businesses: list[Business] = []
    for cvr, (name, role) in grants.items():
        business, _ = business_get_or_create(cvr=cvr, name=name or f"CVR {cvr}")
        existing = (
            Membership.objects.select_for_update().filter(user=user, business=business).first()
        )
        if existing is None:
            Membership.objects.create(
                user=user, business=business, role=role, source=source, last_confirmed_at=moment
            )
            _member_event(business, f"{user.display_name} kan handle for virksomheden ({role}).")
        else:
            changed = not existing.active
            existing.active = True
            existing.last_confirmed_at = moment
            fields = ["active", "last_confirmed_at"]
            if existing.source == source and existing.role != role:
                existing.role = role
                fields.append("role")
            existing.save(update_fields=fields)
            if changed:
                _member_event(business, f"{user.display_name} kan igen handle for virksomheden.")
        businesses.append(business)
    stale = Membership.objects.filter(user=user, source=source, active=True).exclude(
        business__cvr__in=list(grants)
    )
    for membership in stale.select_related("business"):
        membership.active = False
        membership.save(update_fields=["active"])
        _member_event(
            membership.business,
            f"{user.display_name} kan ikke længere handle for virksomheden "
            "(log-in viste ikke længere adgangen).",
        )
    return businesses


def _member_event(business: Business, text: str) -> None:
    BusinessEvent.objects.create(
        business=business, at=clock.now(), kind="member_changed", actor=None, text=text
    )


# --- workbench ---------------------------------------------------------------------------


@transaction.atomic
def business_change_contact_person(
    *, business: Business, actor: User, username: str, reason: str = ""
) -> Business:
    """A coordinator gives the business another fixed contact person (logged with reason).

    The business row is locked so two coordinators changing it at once are serialised.
    """
    if not (
        actor.is_active
        and actor.is_staff
        and (actor.is_coordinator or actor.is_head_of_unit or actor.is_superuser)
    ):
        raise Forbidden("Kun tovholdere kan skifte fast kontaktperson.")
    text = (reason or "").strip()
    if len(text) > 500:
        raise ValidationFailed.field("reason", "Begrundelsen må højst være 500 tegn.")
    chosen = User.objects.coordinators().filter(username=(username or "").strip()).first()
    if chosen is None:
        raise ValidationFailed.field("coordinator", "Vælg en aktiv tovholder.")
    locked = Business.objects.select_for_update().get(pk=business.pk)
    return business_set_contact_person(
        business=locked, contact_person=chosen, actor=actor, reason=text
    )


# --- production units (P-enheder) --------------------------------------------------------

_P_NUMBER = re.compile(r"\d{10}")


def normalise_p_number(value: object, *, field: str = "p_number") -> str:
    """The 10-digit P-number, accepting spaces; refuses anything else with a Danish reason.

    P-numbers carry no public check digit, so only the form is checked.
    """
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationFailed.field(field, "P-nummeret skal være en tekst med 10 cifre.")
    text = re.sub(r"\s+", "", str(value))
    if not text.isascii() or not text.isdigit():
        raise ValidationFailed.field(
            field, "P-nummeret må kun bestå af 10 cifre (mellemrum er tilladt)."
        )
    if not _P_NUMBER.fullmatch(text):
        raise ValidationFailed.field(field, "P-nummeret skal have 10 cifre.")
    return text


def _unit_event(unit: ProductionUnit, *, kind: str, actor: User | None, text: str) -> None:
    BusinessEvent.objects.create(
        business_id=unit.business_id, at=clock.now(), kind=kind, actor=actor, text=text
    )


@transaction.atomic
def production_unit_register(
    *,
    business: Business,
    p_number: str,
    name: str,
    address: str = "",
    started_on: dt.date | None = None,
    actor: User | None,
) -> ProductionUnit:
    """Register a production unit of ``business`` (logged on the business).

    The unique P-number is checked first for a clear message; the constraint still decides
    under a race (the savepoint keeps the caller's transaction usable).
    """
    number = normalise_p_number(p_number)
    clean_name = (name or "").strip()
    errors: dict[str, str] = {}
    if not clean_name:
        errors["name"] = "Angiv produktionsenhedens navn."
    elif len(clean_name) > 200:
        errors["name"] = "Navnet må højst være 200 tegn."
    if len((address or "").strip()) > 200:
        errors["address"] = "Adressen må højst være 200 tegn."
    if ProductionUnit.objects.filter(p_number=number).exists():
        errors["p_number"] = f"P-nummer {number} er allerede registreret."
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    try:
        with transaction.atomic():
            unit = ProductionUnit.objects.create(
                business=business,
                p_number=number,
                name=clean_name,
                address=(address or "").strip(),
                started_on=started_on,
            )
    except IntegrityError as error:
        raise ValidationFailed.field(
            "p_number", f"P-nummer {number} er allerede registreret."
        ) from error
    _unit_event(
        unit,
        kind="unit_registered",
        actor=actor,
        text=f"Produktionsenhed registreret: {unit.name} (P-nummer {unit.p_number}).",
    )
    return unit


@transaction.atomic
def production_unit_set_active(
    *, unit: ProductionUnit, active: bool, actor: User | None, reason: str = ""
) -> ProductionUnit:
    """Deactivate (or reactivate) a unit; units are never deleted. Logged with the reason."""
    text = (reason or "").strip()
    if not active and not text:
        raise ValidationFailed.field("reason", "Angiv hvorfor produktionsenheden lukkes.")
    if len(text) > 500:
        raise ValidationFailed.field("reason", "Begrundelsen må højst være 500 tegn.")
    locked = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    if locked.active == active:
        return locked
    locked.active = active
    locked.save(update_fields=["active"])
    what = "genåbnet" if active else "lukket"
    _unit_event(
        locked,
        kind="unit_activated" if active else "unit_deactivated",
        actor=actor,
        text=f"Produktionsenhed {locked.p_number} {what}."
        + (f" Begrundelse: {text}" if text else ""),
    )
    return locked
