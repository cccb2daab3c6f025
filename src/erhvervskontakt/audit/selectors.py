"""The lookups of one data subject, for an access request (indsigt): when their data was
used, how and why — and by whom only when asked (``with_staff``), since the data subject is
entitled to the dates and purposes, not to the staff's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from erhvervskontakt.businesses.cvr import normalise_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

from .models import PersonalDataRead, Purpose, Use
from .services import normalise_person


@dataclass(frozen=True)
class Lookup:
    """One use of the subject's data as the subject may learn it."""

    at: dt.datetime  # local time (Europe/Copenhagen)
    use: str
    use_label: str
    purpose: str
    purpose_label: str
    case_reference: str
    staff: str  # "" unless asked for with_staff

    def as_row(self, *, with_staff: bool) -> list[str]:
        row = [
            self.at.strftime("%Y-%m-%d %H:%M"),
            self.use_label,
            self.purpose_label,
            self.case_reference,
        ]
        return [*row, self.staff] if with_staff else row


def lookup_header(*, with_staff: bool) -> list[str]:
    header = ["tidspunkt", "anvendelse", "formål", "sag"]
    return [*header, "medarbejder"] if with_staff else header


def _lookups(reads: QuerySet[PersonalDataRead], *, with_staff: bool) -> Iterator[Lookup]:
    uses, purposes = dict(Use.choices), dict(Purpose.choices)
    related = ["case", "user"] if with_staff else ["case"]
    tz = clock.local_tz()
    for read in reads.select_related(*related).order_by("at", "id").iterator(chunk_size=2000):
        staff = ""
        if with_staff and read.user is not None:
            staff = f"{read.user.display_name} ({read.user.username})"
        yield Lookup(
            at=read.at.astimezone(tz),
            use=read.use,
            use_label=str(uses.get(read.use, read.use)),
            purpose=read.purpose,
            purpose_label=str(purposes.get(read.purpose, read.purpose)),
            case_reference=read.case.reference if read.case is not None else "",
            staff=staff,
        )


def personal_data_lookups_of_business(*, cvr: str, with_staff: bool = False) -> Iterator[Lookup]:
    """Every logged use of one business's data (its pages, its cases, searches for its CVR
    number), oldest first. A CVR number the municipality has never had: no lookups."""
    number = normalise_cvr(cvr)
    business_ids = list(Business.objects.filter(cvr=number).values_list("pk", flat=True))
    # The criterion is searched as text: an access request is rare, and a search by CVR
    # number is a lookup of the business even when the search found nothing.
    reads = PersonalDataRead.objects.filter(
        Q(business_id__in=business_ids) | Q(criterion__contains=number)
    )
    return _lookups(reads, with_staff=with_staff)


def personal_data_lookups_of_person(*, email: str, with_staff: bool = False) -> Iterator[Lookup]:
    """Every logged use of one person's data (the cases they are the contact person of,
    searches for their e-mail address), oldest first."""
    person = normalise_person(email)
    if "@" not in person or len(person) < 3:
        raise ValidationFailed.field("email", "Angiv personens e-mailadresse.")
    reads = PersonalDataRead.objects.filter(person=person)
    return _lookups(reads, with_staff=with_staff)
