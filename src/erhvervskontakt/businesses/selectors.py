"""Reads of businesses, always through ``Business.objects.visible_to``."""

from __future__ import annotations

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.errors import NotFound

from .cvr import normalise_cvr
from .models import Business


def business_get(*, user: User, cvr: str) -> Business:
    """A business the user may see, or NotFound (also for one that exists but is not theirs)."""
    number = normalise_cvr(cvr)
    business = (
        Business.objects.visible_to(user)
        .select_related("contact_person")
        .filter(cvr=number)
        .first()
    )
    if business is None:
        raise NotFound("Virksomheden findes ikke.")
    return business


def business_cvrs_for(user: User) -> set[str]:
    """The CVR numbers a business user may act for."""
    return set(Business.objects.visible_to(user).values_list("cvr", flat=True))


def business_list(*, user: User) -> list[Business]:
    """The businesses the user may see (for a business user: those it acts for), by name."""
    return list(Business.objects.visible_to(user).order_by("name", "cvr"))
