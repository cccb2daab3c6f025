"""The case list and the case detail run a constant number of SQL queries.

In-process (Django's test client), not over the live server: query capture only sees the
queries of this thread. Each measured request uses a fresh token, so each includes the one
write that records a token's first use.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.cases.models import Case, Deliverable, Event, Task
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen

from .support import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db

# Token lookup and first-use write, the page (and its count, for the list), then one query per
# prefetched relation: service types, requirements, answers, documents, deliverables, tasks,
# tasks' service types (and events, for the detail), and for staff the personal-data read
# log's one INSERT (audit). 12 today for staff; one spare.
MAX_QUERIES = 13


def _rich_case(owner, karen, business) -> Case:
    """A screened case of three departments: 3 tasks, 8 deliverables, documents, ~20 events."""
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse", "udeservering"],
        description="Ny fabrikshal med udeservering til kantinen",
        contact={"name": "Ejer", "email": "ejer@fynsk.dk"},
        answers={"matrikel": "12a"},
    )
    case = case_screen(case=case, actor=karen)
    case_supply_answers(
        case=case, actor=owner, answers={"etageareal": 1200, "areal": 30, "listepunkt": "K206"}
    )
    case_add_document(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("tegninger.pdf", PDF_BYTES),
        requirement_key="tegninger",
    )
    case_add_document(
        case=case,
        actor=owner,
        upload=SimpleUploadedFile("skema.pdf", PDF_BYTES),
        requirement_key="ansoegningsskema",
    )
    return case


def _grow(case: Case, owner) -> None:
    """More events, answers and documents on ``case``."""
    for area in (31, 32, 33):
        case_supply_answers(case=case, actor=owner, answers={"areal": area})
    case_add_document(case=case, actor=owner, upload=SimpleUploadedFile("foto.png", PNG_BYTES))


def _measure(client, token_for, user, url: str) -> tuple[int, Any]:
    token = token_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


@pytest.mark.parametrize("url", ["/api/v1/cases", "/api/v1/cases?expand=plan"])
@pytest.mark.parametrize("persona", ["karen", "owner"])
def test_case_list_runs_the_same_queries_for_one_case_as_for_twenty_five(
    request, client, token_for, owner, karen, business, catalogue, persona, url
):
    user = request.getfixturevalue(persona)
    _rich_case(owner, karen, business)
    one, page = _measure(client, token_for, user, url)
    assert page["count"] == 1

    for _ in range(24):
        _rich_case(owner, karen, business)
    many, page = _measure(client, token_for, user, url)

    assert page["count"] == len(page["items"]) == 25
    assert Deliverable.objects.count() == 25 * 8
    assert Task.objects.count() == 25 * 3
    assert many == one
    assert one <= MAX_QUERIES
    assert (page["items"][0]["tasks"] is None) == ("expand" not in url)


def test_the_lean_list_reads_less_than_the_list_with_the_plan(
    client, token_for, owner, karen, business, catalogue
):
    _rich_case(owner, karen, business)
    lean, _ = _measure(client, token_for, karen, "/api/v1/cases")
    planned, _ = _measure(client, token_for, karen, "/api/v1/cases?expand=plan")

    assert lean < planned


def test_filtered_case_list_runs_the_same_queries_for_one_case_as_for_twenty_five(
    client, token_for, owner, karen, business, catalogue
):
    url = f"/api/v1/cases?status=in_progress&coordinator=karen&cvr={business.cvr}&overdue=false"
    _rich_case(owner, karen, business)
    one, page = _measure(client, token_for, karen, url)
    assert page["count"] == 1

    for _ in range(24):
        _rich_case(owner, karen, business)
    many, page = _measure(client, token_for, karen, url)

    assert page["count"] == 25
    assert many == one
    assert one <= MAX_QUERIES


@pytest.mark.parametrize("persona", ["karen", "owner"])
def test_case_detail_runs_the_same_queries_however_many_cases_and_events_there_are(
    request, client, token_for, owner, karen, business, catalogue, persona
):
    user = request.getfixturevalue(persona)
    case = _rich_case(owner, karen, business)
    url = f"/api/v1/cases/{case.reference}"
    events = Event.objects.filter(case=case)
    if persona == "owner":  # a business reads the history written for it
        events = events.exclude(business_text="").filter(internal=False)
    events_before = events.count()
    one, shown = _measure(client, token_for, user, url)
    assert len(shown["timeline"]) == events_before

    for _ in range(24):
        _rich_case(owner, karen, business)
    _grow(case, owner)
    many, shown = _measure(client, token_for, user, url)

    assert len(shown["timeline"]) > events_before
    assert many == one
    assert one <= MAX_QUERIES


# --- the work on a case (issue 18): each list costs the same for 1 row as for 25 ------------


def _case_work_lists(case: Case, business) -> list[str]:
    task = Task.objects.filter(case=case).order_by("id").first()
    assert task is not None
    return [
        f"/api/v1/cases/{case.reference}/messages",
        f"/api/v1/cases/{case.reference}/deliverables",
        f"/api/v1/cases/{case.reference}/tasks",
        f"/api/v1/cases/{case.reference}/documents",
        f"/api/v1/tasks?department={task.department.code}",
        "/api/v1/tasks",
        "/api/v1/businesses",
    ]


@pytest.mark.parametrize("persona", ["karen", "owner"])
def test_case_work_lists_run_the_same_queries_for_one_row_as_for_many(
    request, client, token_for, owner, karen, business, catalogue, persona
):
    from erhvervskontakt.businesses.tests.factories import BusinessFactory
    from erhvervskontakt.cases.services.messages import case_message_post

    user = request.getfixturevalue(persona)
    case = _rich_case(owner, karen, business)
    case_message_post(case=case, actor=owner, body="Første besked")
    urls = _case_work_lists(case, business)
    if persona == "owner":  # a business has no task list across cases
        urls = [u for u in urls if not u.startswith("/api/v1/tasks")]
    before = {url: _measure(client, token_for, user, url)[0] for url in urls}

    for n in range(24):
        _rich_case(owner, karen, business)
        case_message_post(case=case, actor=karen, body=f"Besked {n}")
        BusinessFactory()
    _grow(case, owner)
    after = {url: _measure(client, token_for, user, url)[0] for url in urls}

    assert after == before
    assert max(before.values()) <= MAX_QUERIES
