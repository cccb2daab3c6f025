"""Reads of the service catalogue and the municipality's settings."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from .models import Department, Municipality, Requirement, ServiceType


def municipality() -> Municipality:
    """The municipality's settings; defaults when none are stored yet."""
    found = Municipality.objects.filter(pk=1).first()
    return found or Municipality(pk=1)


def service_type_list(*, active_only: bool = True) -> QuerySet[ServiceType]:
    """The catalogue with department and requirements (three queries in all)."""
    queryset = ServiceType.objects.select_related("department").prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("position", "id"))
    )
    return queryset.filter(active=True) if active_only else queryset


def service_types_by_codes(codes: Iterable[str]) -> dict[str, ServiceType]:
    """Active service types by code, with requirements; unknown codes are simply absent."""
    return {st.code: st for st in service_type_list().filter(code__in=list(codes))}


def department_list() -> QuerySet[Department]:
    """Active departments by name."""
    return Department.objects.filter(active=True).order_by("name", "code")
