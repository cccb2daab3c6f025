"""Survey test set-up: the default questions, answered cases made through the real services,
a head of unit, and a snapshot that says "nothing changed".

Personas from ``src/conftest.py``: ``karen`` and ``lars`` are coordinators (here in the
Erhvervskontakt department), ``bodil`` a caseworker in Byggeri, ``owner`` a business user.
``hanne`` is head of unit of Erhvervskontakt. Dates are local to Europe/Copenhagen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, Event, Task
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Department, ServiceType
from erhvervskontakt.notifications.tests.conftest import (  # noqa: F401  (fixtures)
    _empty_queue,
    deliver_all,
    smtp,
)
from erhvervskontakt.surveys.models import Answer, Invitation
from erhvervskontakt.surveys.services import questions_seed_defaults

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An instant in Copenhagen local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture(autouse=True)
def _default_questions(request: pytest.FixtureRequest) -> None:
    """The questions the data migration stores (again after a transactional test's flush)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not set(request.fixturenames) & {"db", "transactional_db"}:
        return
    request.getfixturevalue("_municipality_defaults")
    questions_seed_defaults()


@pytest.fixture
def erhverv(catalogue: dict[str, ServiceType]) -> Department:
    return catalogue["raadgivning"].department


@pytest.fixture
def hanne(erhverv: Department) -> User:
    return StaffFactory(
        username="hanne",
        first_name="Hanne",
        last_name="Skov",
        department=erhverv,
        is_head_of_unit=True,
    )


@pytest.fixture
def coordinators(karen: User, lars: User, erhverv: Department) -> tuple[User, User]:
    """Karen and Lars work in Erhvervskontakt, as coordinators do."""
    for user in (karen, lars):
        user.department = erhverv
        user.save(update_fields=["department"])
    return karen, lars


CONTACT = {"name": "Eva Ejer", "email": "ejer@fynsk.dk", "phone": "+45 12 34 56 78"}
ANSWERS = {"udeservering": {"areal": 12}, "raadgivning": {}}


@pytest.fixture
def answered_case(
    catalogue: dict[str, ServiceType],
    owner: User,
    business: Business,
    coordinators: tuple[User, User],
) -> Callable[..., Case]:
    """``answered_case(codes=..., coordinator=...)``: an inquiry submitted, screened and
    answered through the services, at the clock's current time."""

    def make(
        codes: tuple[str, ...] = ("udeservering",),
        coordinator: User | None = None,
        email: str = CONTACT["email"],
    ) -> Case:
        answers: dict[str, Any] = {}
        for code in codes:
            answers.update(ANSWERS[code])
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=list(codes),
            description="Seks borde foran caféen på Vestergade.",
            contact={**CONTACT, "email": email},
            answers=answers,
        )
        chosen = coordinator or coordinators[0]
        case = case_screen(case=case, actor=chosen, coordinator=chosen)
        return case_record_decision(case=case, actor=chosen, summary="Tilladelse givet.")

    return make


def snapshot() -> dict[str, Any]:
    """What an answer could have changed; equal before and after a refusal."""
    return {
        "answers": list(Answer.objects.values_list("pk", flat=True)),
        "invitations": list(
            Invitation.objects.values_list("pk", "responded_at", "follow_up_task_id")
        ),
        "events": Event.objects.count(),
        "tasks": list(Task.objects.values_list("pk", "status", "assignee_id")),
        "versions": list(Case.objects.values_list("pk", "version")),
    }
