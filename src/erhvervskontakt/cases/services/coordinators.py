"""The case's coordinator (tovholder): the least loaded active coordinator, the coordinator
who becomes the business's fixed contact person, and another coordinator later
(``case_change_coordinator``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.services import business_set_contact_person
from erhvervskontakt.common.errors import IllegalTransition, ValidationFailed

from ..models import OPEN_STATUSES, Case, CaseStatus
from .core import _event, _lock, _require_coordinating, _reread, _save


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
def case_change_coordinator(
    *, case: Case, actor: User, coordinator: User | str, reason: str = ""
) -> Case:
    """Give the case another coordinator (the business's fixed contact person is unchanged)."""
    _require_coordinating(actor, "skifte tovholder", case)
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
        business_text=gettext_noop("%(name)s er nu jeres tovholder på sagen."),
        business_args={"name": coordinator.display_name},
        old=before.username if before else None,
        new=coordinator.username,
    )
    _save(case, "coordinator")
    return _reread(case)
