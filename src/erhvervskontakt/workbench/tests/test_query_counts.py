"""Every workbench list runs the same number of queries for 1 case as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.tasks import task_claim

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def grow(make_case, building_case, karen, bodil):
    """``grow(n)``: n more received cases and n more screened building cases (Karen's)."""

    def make(n: int) -> None:
        for _ in range(n):
            make_case()
            case = building_case(screen=True)
            task_claim(task=case.tasks.get(), actor=bodil)

    return make


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("karen", "/medarbejder/screening/"),
        ("karen", "/medarbejder/mine-sager/"),
        ("karen", "/medarbejder/mine-sager/?vis=all&sorter=received"),
        ("karen", "/medarbejder/soeg/?q=borde"),
        ("karen", "/medarbejder/virksomheder/{cvr}/"),
        ("bodil", "/medarbejder/afdeling/"),
        ("bodil", "/medarbejder/mine-sager/"),
    ],
)
def test_lists_run_a_constant_number_of_queries(request, client_for, grow, business, persona, url):
    client = client_for(request.getfixturevalue(persona))
    url = url.format(cvr=business.cvr)
    grow(1)
    one = queries(client, url)

    grow(19)
    twenty = queries(client, url)

    assert twenty == one


def test_the_case_view_runs_a_constant_number_of_queries(client_for, karen, building_case):
    case = building_case(screen=True)
    client = client_for(karen)
    url = f"/medarbejder/sager/{case.reference}/"
    first = queries(client, url)
    for n in range(5):
        case_message_post(case=case, actor=karen, body=f"Notat {n}", internal=True)

    assert queries(client, url) == first


def test_the_case_view_pages_its_timeline_and_messages_in_constant_queries(
    client_for, karen, owner, building_case
):
    from .test_case_view_pages import add_events, add_messages

    case = building_case(screen=True)
    client = client_for(karen)
    url = f"/medarbejder/sager/{case.reference}/"
    few = queries(client, url)
    older = queries(client, url + "?tidslinje=2")

    add_events(case, 300)
    add_messages(case, karen, 120, internal=True)
    add_messages(case, owner, 120, internal=False)
    client.get(url)  # the coordinator's first look reads the business's messages (a write)

    assert queries(client, url) == few
    assert queries(client, url + "?tidslinje=5&notater=3&dialog=2") == few
    assert queries(client, url + "?tidslinje=2") == older


def test_an_older_page_for_htmx_runs_a_constant_number_of_queries(client_for, karen, building_case):
    from .test_case_view_pages import add_events

    case = building_case(screen=True)
    client = client_for(karen)
    url = f"/medarbejder/sager/{case.reference}/?tidslinje=2"
    add_events(case, 30)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    first = len(captured)

    add_events(case, 200)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200

    assert len(captured) == first


def test_the_case_view_runs_the_same_queries_for_one_department_task_as_for_two(
    client_for, karen, make_case
):
    one = make_case(service_types=["udeservering"], screen=True)
    two = make_case(
        service_types=["udeservering", "byggetilladelse-erhverv"],
        answers={"areal": 12, "matrikel": "12a", "etageareal": 400},
        screen=True,
    )
    assert (one.tasks.count(), two.tasks.count()) == (1, 2)
    client = client_for(karen)

    assert queries(client, f"/medarbejder/sager/{two.reference}/") == queries(
        client, f"/medarbejder/sager/{one.reference}/"
    )
