"""Messages on a case (``case_message_post``), and the internal notes staff write that the
business never sees.
"""

from __future__ import annotations

from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed

from ..announcements import CaseChanged
from ..models import Case, CaseStatus, Event, Message
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
    event = _event(case, "message", actor, summary, message=message.pk)
    if internal:
        Event.objects.filter(pk=event.pk).update(internal=True)
    _save(case)
    if actor.is_staff and not internal:
        announcements.announce(CaseChanged(kind="staff_message", case=case.pk, message=message.pk))
    return message
