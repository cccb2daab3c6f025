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


def service_type_search_text(service_type: ServiceType) -> str:
    """What a search among the catalogue looks in, case-folded: both names, the description,
    the department and the questions asked (prefetched by ``service_type_list``)."""
    parts = [
        service_type.name,
        service_type.name_en,
        service_type.description,
        service_type.description_en,
        service_type.department.name,
        *(r.label for r in service_type.requirements.all()),
        *(r.label_en for r in service_type.requirements.all()),
    ]
    return " ".join(part for part in parts if part).casefold()


def search_words(query: str) -> list[str]:
    """The words of a catalogue search (at most 10, each at most 50 characters)."""
    return [word[:50] for word in query.casefold().split()][:10]


def service_type_matches(service_type: ServiceType, words: Iterable[str]) -> bool:
    """Whether every word of a search occurs in the service type's search text."""
    text = service_type_search_text(service_type)
    return all(word in text for word in words)
