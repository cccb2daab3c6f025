"""Catalogue rows that some tests need beyond the standard catalogue."""

from __future__ import annotations

from erhvervskontakt.catalogue.models import Department, ServiceType


def ensure_inspection_service_type() -> ServiceType:
    found, _ = ServiceType.objects.get_or_create(
        code="miljoetilsyn",
        defaults={
            "name": "Miljøtilsyn",
            "group": ServiceType.Group.ENVIRONMENT,
            "department": Department.objects.get(code="miljoe"),
            "target_working_days": 40,
            "requestable": False,
        },
    )
    return found
