"""What surveys does when another domain app announces a change (subscribed in ``apps.py``)."""

from __future__ import annotations

from erhvervskontakt.cases.announcements import CaseAnonymised

from .services import invitations_anonymise_contact


def case_anonymised(anonymised: CaseAnonymised) -> None:
    """Retention took the contact out of a case: its survey invitations forget the address."""
    invitations_anonymise_contact(case_id=anonymised.case, email=anonymised.email)
