"""Reads of the service catalogue and the municipality's settings."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from .models import Department, Municipality, Requirement, ServiceType


def municipality() -> Municipality:
    """The municipality's settings; defaults when none are stored yet."""
    found = Municipality.objects.filter(pk=1).first()
    return found or Municipality(pk=1)


def service_type_list(
    *, active_only: bool = True, requestable_only: bool | None = None
) -> QuerySet[ServiceType]:
    """The catalogue with department and requirements (three queries in all).

    By default the catalogue a business may ask for: active and ``requestable`` (not the
    service types the municipality opens cases for itself, such as an inspection visit).
    ``active_only=False`` gives every service type (filters and reports); ``requestable_only``
    follows ``active_only`` unless given.
    """
    queryset = ServiceType.objects.select_related("department").prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.order_by("position", "id"))
    )
    if active_only:
        queryset = queryset.filter(active=True)
    if active_only if requestable_only is None else requestable_only:
        queryset = queryset.filter(requestable=True)
    return queryset


def service_types_by_codes(codes: Iterable[str]) -> dict[str, ServiceType]:
    """Service types an inquiry may ask for (active, requestable) by code, with requirements;
    unknown codes are simply absent."""
    return {st.code: st for st in service_type_list().filter(code__in=list(codes))}


def service_type_by_code(code: str) -> ServiceType | None:
    """An active service type by code, also one the municipality opens cases for itself."""
    return ServiceType.objects.select_related("department").filter(code=code, active=True).first()


def department_list() -> QuerySet[Department]:
    """Active departments by name."""
    return Department.objects.filter(active=True).order_by("name", "code")
