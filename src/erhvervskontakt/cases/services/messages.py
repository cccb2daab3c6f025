"""Messages on a case (``case_message_post``), and the internal notes staff write that the
business never sees.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed

from ..announcements import CaseChanged
from ..models import Case, CaseStatus, Message, Task
from .core import _event, _lock, _require_access, _save

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
    _event(case, "message", actor, summary, internal=internal, message=message.pk)
    _save(case)
    if actor.is_staff and not internal:
        announcements.announce(CaseChanged(kind="staff_message", case=case.pk, message=message.pk))
    elif not actor.is_staff:
        # The coordinator (and a caseworker with a task on the case) is told at once.
        announcements.announce(
            CaseChanged(kind="business_message", case=case.pk, message=message.pk)
        )
    return message


def _unread_from_business(case: Case) -> QuerySet[Message]:
    """The business's messages on the case that no one responsible for it has read."""
    return Message.objects.filter(
        case=case, internal=False, read_at__isnull=True, author__is_staff=False
    )


def _responsible_for(case: Case, actor: User) -> bool:
    """The case's coordinator, or the assignee of one of its tasks."""
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        return False
    return (
        case.coordinator_id == actor.pk or Task.objects.filter(case=case, assignee=actor).exists()
    )


@transaction.atomic
def case_messages_mark_read(*, case: Case, actor: User) -> int:
    """The business's unread messages are read once the case's coordinator (or the assignee
    of one of its tasks) opens the case: returns how many became read.

    Anyone else opening the case (a colleague looking something up) changes nothing, so the
    badge stays until one of the people the messages were meant for has seen them. Not a
    change to the case itself (its version stays, so a form open elsewhere still saves); the
    read is in the staff's timeline, never in the business's history. Two opens at once mark
    each message once: the UPDATE only takes rows still unread.
    """
    if not _responsible_for(case, actor):
        return 0
    moment = clock.now()
    ids = list(_unread_from_business(case).values_list("pk", flat=True))
    if not ids:
        return 0
    read = Message.objects.filter(pk__in=ids, read_at__isnull=True).update(
        read_at=moment, read_by=actor
    )
    if read:
        _event(
            case,
            "messages_read",
            actor,
            f"{read} besked{'er' if read > 1 else ''} fra virksomheden læst af "
            f"{actor.display_name}.",
            internal=True,
            messages=ids,
        )
    return read
