"""The inspection staff pages' tests use the inspections suite's fixtures."""

from __future__ import annotations

import pytest

from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.inspections.tests.conftest import register
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type

__all__ = ["register"]


@pytest.fixture
def unit(register, owner):  # type: ignore[no-untyped-def]
    """A category-2 unit of ``business`` (whose ``owner`` is its member)."""
    return register("2", name="Lakeriet")


@pytest.fixture
def inspection_type(catalogue) -> ServiceType:  # type: ignore[no-untyped-def]
    """The catalogue's "Miljøtilsyn" (the municipality opens these cases itself)."""
    return ensure_inspection_service_type()
