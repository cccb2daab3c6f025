"""Every staff page and every API read either logs its reads of personal data or is exempt
with a reason (``web.readlog.EXEMPT``), and each logging page writes exactly one row per
successful request, about the right subject and for the right purpose.

The test is of the interfaces' wiring and lives with the log it checks. It reaches the
interfaces through the URL resolver and by name (``import_string``), so the domain package
keeps no import of interface code (the import contracts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.inspections.services.reporting import visit_report_send

pytestmark = pytest.mark.django_db

EXEMPT: dict[str, str] = import_string("erhvervskontakt.web.readlog.EXEMPT")


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern.callback


def staff_pages() -> dict[str, Any]:
    """Every workbench URL by its name, with its view (``@wraps`` keeps the rule visible)."""
    return {
        name: callback
        for name, callback in _walk(get_resolver().url_patterns)
        if name.startswith("workbench:")
    }


def api_reads() -> dict[str, Any]:
    """Every GET operation of the API by its URL name, with what runs it."""
    api = import_string("erhvervskontakt.api.urls.api")
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if "GET" in operation.methods:
                    name = getattr(operation, "url_name", None) or operation.view_func.__name__
                    found[f"{api.urls_namespace}:{name}"] = operation.run
    return found


def _logs(view: Any) -> bool:
    return getattr(view, "personal_data_read", None) is not None


def test_every_staff_page_and_api_read_logs_or_is_exempt():
    everything = {**staff_pages(), **api_reads()}
    neither = sorted(
        name for name, view in everything.items() if not _logs(view) and name not in EXEMPT
    )
    both = sorted(name for name, view in everything.items() if _logs(view) and name in EXEMPT)

    assert neither == [], "log these reads (web.readlog) or say in EXEMPT why not"
    assert both == []
    assert set(EXEMPT) <= set(everything), "EXEMPT names a URL that is gone"


# --- each logging page: one row, the right subject and purpose ----------------------------


@dataclass(frozen=True)
class Expect:
    use: str
    purpose: str
    subject: str  # "case", "business" or "list"
    criterion: str = ""


@pytest.fixture
def world(a_case, received_case, ready, soeren, karen, client_for, unit) -> dict[str, Any]:
    sent = visit_report_send(visit=ready, actor=soeren)
    document = a_case.documents.get()
    client = client_for(karen)
    table = client.get("/medarbejder/maal/").context["tables"][0].slug
    return {
        "case": a_case,
        "received": received_case,
        "visit": sent,
        "document": document,
        "table": table,
        "unit": unit,
        "staff": {"karen": client, "soeren": client_for(soeren)},
    }


# URL name → (who, the URL from the world, what the row must say)
PAGES: dict[str, tuple[str, Callable[[dict[str, Any]], str], Expect]] = {
    "workbench:screening_queue": (
        "karen",
        lambda w: "/medarbejder/screening/",
        Expect("view", "screening", "list"),
    ),
    "workbench:screening": (
        "karen",
        lambda w: f"/medarbejder/screening/{w['received'].reference}/",
        Expect("view", "screening", "received"),
    ),
    "workbench:my_cases": (
        "karen",
        lambda w: "/medarbejder/mine-sager/?vis=all&side=2",
        Expect("view", "case_handling", "list", "vis=all"),
    ),
    "workbench:inbox": (
        "karen",
        lambda w: "/medarbejder/afdeling/?status=open",
        Expect("view", "case_handling", "list", "status=open"),
    ),
    "workbench:search": (
        "karen",
        lambda w: "/medarbejder/soeg/?q=borde",
        Expect("search", "case_handling", "list", "q=borde"),
    ),
    "workbench:case": (
        "karen",
        lambda w: f"/medarbejder/sager/{w['case'].reference}/",
        Expect("view", "case_handling", "case"),
    ),
    "workbench:case_document": (
        "karen",
        lambda w: f"/medarbejder/sager/{w['case'].reference}/dokumenter/{w['document'].pk}/",
        Expect("document", "case_handling", "case"),
    ),
    "workbench:business": (
        "karen",
        lambda w: f"/medarbejder/virksomheder/{w['case'].business.cvr}/",
        Expect("view", "case_handling", "business"),
    ),
    "workbench:surveys_staff:comments": (
        "karen",
        lambda w: "/medarbejder/tilfredshed/",
        Expect("view", "statistics", "list"),
    ),
    "workbench:measures_staff:dashboard": (
        "karen",
        lambda w: "/medarbejder/maal/",
        Expect("view", "statistics", "list"),
    ),
    "workbench:measures_staff:cases": (
        "karen",
        lambda w: "/medarbejder/maal/sager/?tal=backlog.open",
        Expect("view", "statistics", "list", "tal=backlog.open"),
    ),
    "workbench:measures_staff:csv": (
        "karen",
        lambda w: f"/medarbejder/maal/csv/{w['table']}/",
        Expect("export", "statistics", "list"),
    ),
    "workbench:inspections_staff:register": (
        "soeren",
        lambda w: "/medarbejder/tilsyn/",
        Expect("view", "inspection", "list"),
    ),
    "workbench:inspections_staff:unit": (
        "soeren",
        lambda w: f"/medarbejder/tilsyn/enheder/{w['unit'].p_number}/",
        Expect("view", "inspection", "business", "p=1017300001"),
    ),
    "workbench:inspections_staff:plan": (
        "soeren",
        lambda w: "/medarbejder/tilsyn/plan/2026/",
        Expect("view", "inspection", "list"),
    ),
    "workbench:inspections_staff:visits": (
        "soeren",
        lambda w: "/medarbejder/tilsyn/besoeg/?vis=all",
        Expect("view", "inspection", "list", "vis=all"),
    ),
    "workbench:inspections_staff:visit_new": (
        "soeren",
        lambda w: f"/medarbejder/tilsyn/besoeg/ny/?p={w['unit'].p_number}",
        Expect("view", "inspection", "business", "p=1017300001"),
    ),
    "workbench:inspections_staff:visit": (
        "soeren",
        lambda w: f"/medarbejder/tilsyn/besoeg/{w['visit'].pk}/",
        Expect("view", "inspection", "visit"),
    ),
    "workbench:inspections_staff:visit_preview": (
        "soeren",
        lambda w: f"/medarbejder/tilsyn/besoeg/{w['visit'].pk}/udkast.pdf",
        Expect("document", "inspection", "visit"),
    ),
    "workbench:inspections_staff:visit_report": (
        "soeren",
        lambda w: f"/medarbejder/tilsyn/besoeg/{w['visit'].pk}/rapport.pdf",
        Expect("document", "inspection", "visit"),
    ),
}

API: dict[str, tuple[Callable[[dict[str, Any]], str], Expect]] = {
    "api-v1:list_cases": (
        lambda w: "/api/v1/cases?status=in_progress&limit=5",
        Expect("api_read", "case_handling", "list", "limit=5&status=in_progress"),
    ),
    "api-v1:get_case": (
        lambda w: f"/api/v1/cases/{w['case'].reference}",
        Expect("api_read", "case_handling", "case"),
    ),
    "api-v1:get_business": (
        lambda w: f"/api/v1/businesses/{w['case'].business.cvr}",
        Expect("api_read", "case_handling", "business"),
    ),
    "api-v1:promise_stats": (
        lambda w: "/api/v1/stats/promises?coordinator=karen",
        Expect("api_read", "statistics", "list", "coordinator=karen"),
    ),
    "api-v1:accuracy_stats": (
        lambda w: "/api/v1/stats/accuracy",
        Expect("api_read", "statistics", "list"),
    ),
    # The work on a case (issue 18).
    "api-v1:list_messages": (
        lambda w: f"/api/v1/cases/{w['case'].reference}/messages",
        Expect("api_read", "case_handling", "case"),
    ),
    "api-v1:list_deliverables": (
        lambda w: f"/api/v1/cases/{w['case'].reference}/deliverables",
        Expect("api_read", "case_handling", "case"),
    ),
    "api-v1:list_case_tasks": (
        lambda w: f"/api/v1/cases/{w['case'].reference}/tasks",
        Expect("api_read", "case_handling", "case"),
    ),
    # GET and POST share the path and its URL name.
    "api-v1:case_documents": (
        lambda w: f"/api/v1/cases/{w['case'].reference}/documents",
        Expect("api_read", "case_handling", "case"),
    ),
    "api-v1:download_document": (
        lambda w: f"/api/v1/cases/{w['case'].reference}/documents/{w['document'].pk}",
        Expect("document", "case_handling", "case"),
    ),
    "api-v1:list_tasks": (
        lambda w: "/api/v1/tasks?status=open&limit=5",
        Expect("api_read", "case_handling", "list", "limit=5&status=open"),
    ),
    "api-v1:get_task": (
        lambda w: f"/api/v1/tasks/{w['case'].tasks.order_by('id').first().pk}",
        Expect("api_read", "case_handling", "case"),
    ),
    "api-v1:list_businesses": (
        lambda w: "/api/v1/businesses?name=Fynsk",
        Expect("search", "case_handling", "list", "name=Fynsk"),
    ),
    "api-v1:get_contact_person": (
        lambda w: f"/api/v1/businesses/{w['case'].business.cvr}/contact-person",
        Expect("api_read", "case_handling", "business"),
    ),
    # Inspection visits (issue 18).
    "api-v1:list_visits": (
        lambda w: "/api/v1/visits?state=unpublished&limit=5",
        Expect("api_read", "inspection", "list", "limit=5&state=unpublished"),
    ),
    "api-v1:get_visit": (
        lambda w: f"/api/v1/visits/{w['visit'].pk}",
        Expect("api_read", "inspection", "visit"),
    ),
    "api-v1:download_report": (
        lambda w: f"/api/v1/visits/{w['visit'].pk}/report",
        Expect("document", "inspection", "visit"),
    ),
    "api-v1:list_events": (
        lambda w: "/api/v1/events?limit=5&kind=received",
        Expect("api_read", "case_handling", "list", "kind=received&limit=5"),
    ),
}


def test_every_logging_page_and_api_read_is_tested_here():
    logging = {name for name, view in {**staff_pages(), **api_reads()}.items() if _logs(view)}
    assert logging == set(PAGES) | set(API)


def _check(row: PersonalDataRead, expect: Expect, world: dict[str, Any], user: Any) -> None:
    assert (row.use, row.purpose, row.user_id) == (expect.use, expect.purpose, user.pk)
    assert row.criterion == expect.criterion
    assert row.request_id
    case = {"case": world["case"], "received": world["received"]}.get(expect.subject)
    if expect.subject == "visit":
        case = world["visit"].case
    if case is not None:
        assert (row.case_id, row.business_id, row.person) == (
            case.pk,
            case.business_id,
            case.contact_email.casefold(),
        )
    elif expect.subject == "business":
        assert (row.case_id, row.business_id, row.person) == (None, world["case"].business_id, "")
    else:
        assert (row.case_id, row.business_id, row.person) == (None, None, "")


@pytest.mark.usefixtures("friday")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_staff_page_writes_one_row_about_its_subject(request, name, world):
    who, url, expect = PAGES[name]
    user = request.getfixturevalue(who)
    before = set(PersonalDataRead.objects.values_list("pk", flat=True))

    response = world["staff"][who].get(url(world))

    assert response.status_code == 200, (name, response.status_code)
    new = list(PersonalDataRead.objects.exclude(pk__in=before))
    assert len(new) == 1, name
    assert new[0].route == name
    _check(new[0], expect, world, user)


@pytest.mark.usefixtures("friday")
@pytest.mark.parametrize("name", sorted(API))
def test_an_api_read_by_an_integrator_writes_one_row(client, token_for, karen, name, world):
    url, expect = API[name]
    before = PersonalDataRead.objects.count()

    response = client.get(url(world), HTTP_AUTHORIZATION=f"Bearer {token_for(karen)}")

    assert response.status_code == 200, response.content
    assert PersonalDataRead.objects.count() == before + 1
    row = PersonalDataRead.objects.latest("id")
    assert row.route == name
    _check(row, expect, world, karen)


# --- what is not a read by the municipality -------------------------------------------------


@pytest.mark.usefixtures("friday")
def test_a_business_user_reading_its_own_case_is_not_logged(client, token_for, owner, a_case):
    token = token_for(owner)
    for url in (f"/api/v1/cases/{a_case.reference}", "/api/v1/cases",
                f"/api/v1/businesses/{a_case.business.cvr}"):  # fmt: skip
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert PersonalDataRead.objects.count() == 0


def test_a_refused_or_missing_read_is_not_logged(
    client, client_for, token_for, karen, owner, a_case
):
    staff = client_for(karen)
    assert staff.get("/medarbejder/sager/EK-2000-99999/").status_code == 404
    assert staff.get(f"/medarbejder/sager/{a_case.reference}/dokumenter/999999/").status_code == 404
    assert staff.get("/medarbejder/virksomheder/12345678/").status_code == 404
    assert client_for(owner).get(f"/medarbejder/sager/{a_case.reference}/").status_code == 403
    assert client_for(None).get(f"/medarbejder/sager/{a_case.reference}/").status_code == 302
    auth = f"Bearer {token_for(karen)}"
    assert client.get("/api/v1/cases/EK-2000-99999", HTTP_AUTHORIZATION=auth).status_code == 404
    assert client.get(f"/api/v1/cases/{a_case.reference}").status_code == 401

    assert PersonalDataRead.objects.count() == 0


def test_a_search_for_an_e_mail_address_names_that_person(client_for, karen, a_case):
    client_for(karen).get("/medarbejder/soeg/?q=Eva@Fynsk.dk")

    row = PersonalDataRead.objects.get()
    assert (row.use, row.criterion, row.person) == ("search", "q=Eva@Fynsk.dk", "eva@fynsk.dk")


def test_a_chosen_purpose_is_logged_where_the_page_offers_the_choice(client_for, karen, a_case):
    client = client_for(karen)
    cvr = a_case.business.cvr
    client.get(f"/medarbejder/virksomheder/{cvr}/?formaal=inspection")
    client.get(f"/medarbejder/virksomheder/{cvr}/?formaal=statistics")  # not offered here
    client.get(f"/medarbejder/sager/{a_case.reference}/?formaal=inspection")  # nor here

    assert list(PersonalDataRead.objects.order_by("id").values_list("purpose", flat=True)) == [
        "inspection",
        "case_handling",
        "case_handling",
    ]


def test_the_cases_behind_a_figure_as_csv_are_an_export(client_for, karen, a_case):
    response = client_for(karen).get("/medarbejder/maal/sager/?tal=backlog.open&format=csv")

    assert response.status_code == 200
    row = PersonalDataRead.objects.get()
    assert (row.use, row.purpose, row.criterion) == (
        "export",
        "statistics",
        "format=csv&tal=backlog.open",
    )
