"""A case's life apart from intake and screening: a case the municipality opens itself (an
inspection visit, ``case_open_by_municipality``), closing a case (``case_close``) and
withdrawing one (``case_withdraw``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

from ..models import Case, CaseStatus, Channel, Deliverable, Task
from .coordinators import _is_active_coordinator, _least_loaded_coordinator, _make_fixed_contact
from .core import (
    _collect,
    _event,
    _lock,
    _refresh_task_dues,
    _require_access,
    _require_coordinating,
    _require_staff,
    _reread,
    _save,
    _set_status,
)
from .intake import _clean_contact, _clean_description, _next_reference
from .tasks import _works_for

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
        business_text=gettext_noop("Kommunen har oprettet sagen: %(service)s."),
        business_args={"service": service_type.name},
        channel=channel,
        service_types=[service_type.code],
    )
    _event(
        case,
        "coordinator_appointed",
        actor,
        f"Tovholder: {coordinator.display_name} ({why}); orienteret om sagen.",
        business_text=gettext_noop("%(name)s er jeres tovholder på sagen."),
        business_args={"name": coordinator.display_name},
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
    _refresh_task_dues(case)
    return _reread(case)


@transaction.atomic
def case_close(*, case: Case, actor: User, note: str = "") -> Case:
    _require_coordinating(actor, "afslutte sager", case)
    case = _lock(case)
    _set_status(case, CaseStatus.CLOSED, actor, note.strip())
    case.closed_at = clock.now()
    _save(case, "status", "closed_at")
    return _reread(case)


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
    return _reread(case)
