"""Demo staff, businesses and portal users.

Passwords: every demo login shares one password. It is hashed once and the hash is reused,
because hashing it per user (PBKDF2, about 0.3 s each) would dominate the load time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.services import business_get_or_create, business_user_add
from erhvervskontakt.catalogue.models import Department

from .content import BUSINESSES, HEAD_USERNAME, INTEGRATION_USERNAME, STAFF, BusinessSpec

# Seeds for the demo businesses' CVR numbers (far from the ones tests and volume data use).
CVR_SEED_BASE = 2009_000


def demo_cvrs() -> list[str]:
    """One valid, distinct CVR number per demo business, the same on every run."""
    found: list[str] = []
    seed = CVR_SEED_BASE
    while len(found) < len(BUSINESSES):
        number = synthetic_cvr(seed)
        seed += 1
        if number not in found:
            found.append(number)
    return found


@transaction.atomic
def load_staff(password_hash: str) -> dict[str, User]:
    """Admin, head of unit, coordinators, caseworkers and the API integration user."""
    departments = {d.code: d for d in Department.objects.all()}
    users: dict[str, User] = {}
    for spec in STAFF:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "title": spec.title,
                "phone": spec.phone,
                "department": departments.get(spec.department) if spec.department else None,
                "is_staff": True,
                "is_coordinator": spec.coordinator,
                "is_superuser": spec.superuser,
                "is_head_of_unit": spec.username == HEAD_USERNAME,
                "password": password_hash,
            },
        )
        users[spec.username] = user
    integration, created = User.objects.get_or_create(
        username=INTEGRATION_USERNAME,
        defaults={
            "first_name": "Fagsystem",
            "last_name": "(API)",
            "email": f"{INTEGRATION_USERNAME}@demo-kommune.example",
            "title": "Integration: Byg og Miljø / Virk",
            "is_staff": True,
        },
    )
    if created:
        integration.set_unusable_password()
        integration.save(update_fields=["password"])
    users[INTEGRATION_USERNAME] = integration
    return users


@dataclass
class DemoBusiness:
    spec: BusinessSpec
    business: Business
    portal_user: User | None


@transaction.atomic
def load_businesses(password_hash: str) -> list[DemoBusiness]:
    """The demo businesses (valid CVR numbers) and their portal users (business_user_add)."""
    loaded = []
    for spec, cvr in zip(BUSINESSES, demo_cvrs(), strict=True):
        business, created = business_get_or_create(cvr=cvr, name=spec.name)
        if created:
            business.address = spec.address
            business.postcode = spec.postcode
            business.city = spec.city
            business.industry = spec.industry
            business.save(update_fields=["address", "postcode", "city", "industry"])
        user = None
        if spec.portal_user:
            user = business_user_add(cvr=cvr, email=spec.portal_email, name=spec.portal_user)
            if not user.has_usable_password():
                user.password = password_hash
                user.save(update_fields=["password"])
        loaded.append(DemoBusiness(spec, business, user))
    return loaded
