"""Reads of businesses, always through ``Business.objects.visible_to``."""

from __future__ import annotations

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.errors import NotFound

from .cvr import normalise_cvr
from .models import Business, ProductionUnit


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


def production_units_for(*, user: User, business: Business) -> list[ProductionUnit]:
    """The business's production units (active first, then by name); one query."""
    return list(
        ProductionUnit.objects.visible_to(user)
        .filter(business=business)
        .order_by("-active", "name", "p_number")
    )


def production_unit_get(*, user: User, p_number: str) -> ProductionUnit:
    """A production unit the user may see, or NotFound."""
    unit = (
        ProductionUnit.objects.visible_to(user)
        .select_related("business")
        .filter(p_number=(p_number or "").strip())
        .first()
    )
    if unit is None:
        raise NotFound("Produktionsenheden findes ikke.")
    return unit


def business_page(
    *, user: User, name: str = "", cvr: str = "", after: str | None = None, limit: int = 50
) -> tuple[list[Business], bool]:
    """Businesses the user may see by CVR number, after the CVR ``after`` (keyset), a name
    containing ``name`` and/or exactly ``cvr``: (the page, whether there are more)."""
    businesses = Business.objects.visible_to(user).select_related("contact_person")
    if name.strip():
        businesses = businesses.filter(name__icontains=" ".join(name.split()))
    if cvr:
        businesses = businesses.filter(cvr=normalise_cvr(cvr))
    if after is not None:
        businesses = businesses.filter(cvr__gt=after)
    rows = list(businesses.order_by("cvr")[: limit + 1])
    return rows[:limit], len(rows) > limit
