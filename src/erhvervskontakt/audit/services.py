"""The read log's two writes: a read recorded, old reads pruned."""

from __future__ import annotations

import datetime as dt

from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.common import clock

from .models import RETENTION, PersonalDataRead, Purpose, Use

# The sweep prunes a day after the database would allow it: the application's clock (moved
# by the demo loader, ahead by a few seconds on one machine) never asks for a refused delete.
PRUNE_AFTER = RETENTION + dt.timedelta(days=1)

_CRITERION_MAX = PersonalDataRead._meta.get_field("criterion").max_length or 1000
_ROUTE_MAX = PersonalDataRead._meta.get_field("route").max_length or 200


def normalise_person(value: str) -> str:
    """The form a data subject is logged and found by: an e-mail trimmed and case-folded."""
    return value.strip().casefold()[:254]


def _storable(text: str) -> str:
    """What was typed into a search or a query string, as text every database stores: a NUL
    (PostgreSQL refuses it) and lone surrogates shown as the replacement character. The log
    keeps that something odd was asked, and never fails the read it records."""
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text)


def personal_data_read_record(
    *,
    user: User | None,
    use: str,
    purpose: str,
    business: Business | None = None,
    case: Case | None = None,
    person: str = "",
    criterion: str = "",
    route: str = "",
    request_id: str = "",
) -> PersonalDataRead:
    """Log one use of personal data: one INSERT and nothing else (no SELECT).

    No ``transaction.atomic``: one statement is atomic by itself, and a savepoint would cost
    two more round trips on every staff request. A case brings its business (by id, so no
    query) and, unless ``person`` says otherwise, its contact person's e-mail. A user who is
    not logged in is stored as none.
    """
    if use not in Use.values or purpose not in Purpose.values:
        raise ValueError(f"Unknown use or purpose: {use!r}, {purpose!r}")
    row = PersonalDataRead(
        at=clock.now(),
        user=user if user is not None and user.is_authenticated else None,
        use=use,
        purpose=purpose,
        case=case,
        person=_storable(
            normalise_person(person or (case.contact_email if case is not None else ""))
        ),
        criterion=_storable(criterion)[:_CRITERION_MAX],
        route=_storable(route)[:_ROUTE_MAX],
        request_id=_storable(request_id)[:64],
    )
    if business is not None:
        row.business = business
    elif case is not None:
        row.business_id = case.business_id
    row.save(force_insert=True)
    return row


def personal_data_reads_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the reads older than 6 months (and a day); returns how many.

    Older by ``now`` (the sweep's clock) *and* by the database's own clock, which is the one
    its guard judges by: a clock moved ahead (the demo loader, a test) prunes nothing the
    database would refuse, instead of failing the sweep.
    """
    now = now or clock.now()
    database_cutoff = ExpressionWrapper(Now() - PRUNE_AFTER, output_field=DateTimeField())
    deleted, _by_model = (
        PersonalDataRead.objects.filter(at__lt=now - PRUNE_AFTER)
        .filter(at__lt=database_cutoff)
        .delete()
    )
    return deleted
