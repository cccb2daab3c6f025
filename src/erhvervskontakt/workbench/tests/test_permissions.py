"""The workbench permission matrix: persona × page × action.

Coordinators (karen) and administrators see and do everything; a caseworker (bodil, Byggeri)
sees cases with a Byggeri task and works on them, but cannot screen, change coordinator or
close; business users (owner) are refused (403) and anonymous visitors sent to the staff
login. A refused request changes nothing.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import Case

from .conftest import snapshot

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "owner", "karen", "bodil", "admin_user")


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/medarbejder/log-ind/" in response["Location"]


# page: (which case, path); status per persona (302 = to the staff login)
PAGES = {
    "home": (None, "/medarbejder/"),
    "screening_queue": (None, "/medarbejder/screening/"),
    "screening_road": ("received_road", "/medarbejder/screening/{ref}/"),
    "register": (None, "/medarbejder/ny-henvendelse/"),
    "my_cases": (None, "/medarbejder/mine-sager/"),
    "inbox": (None, "/medarbejder/afdeling/"),
    "search": (None, "/medarbejder/soeg/?q=borde"),
    "case_road": ("road", "/medarbejder/sager/{ref}/"),
    "case_building": ("building", "/medarbejder/sager/{ref}/"),
    "business": (None, "/medarbejder/virksomheder/{cvr}/"),
}
#                       anonymous owner karen bodil admin
PAGE_STATUS = {
    "home": (302, 403, 302, 302, 302),
    "screening_queue": (302, 403, 200, 200, 200),
    "screening_road": (302, 403, 200, 404, 200),
    "register": (302, 403, 200, 200, 200),
    "my_cases": (302, 403, 200, 200, 200),
    "inbox": (302, 403, 200, 200, 200),
    "search": (302, 403, 200, 200, 200),
    "case_road": (302, 403, 200, 404, 200),
    "case_building": (302, 403, 200, 200, 200),
    "business": (302, 403, 200, 200, 200),
}


@pytest.fixture
def cases(make_case, building_case):
    return {
        "received_road": make_case(),
        "road": make_case(screen=True),
        "building": building_case(screen=True),
    }


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        pytest.param(page, persona, statuses[i], id=f"{page}-{persona}-{statuses[i]}")
        for page, statuses in PAGE_STATUS.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_page_matrix(request, client_for, cases, business, page, persona, expected):
    which, path = PAGES[page]
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    url = path.format(ref=cases[which].reference if which else "", cvr=business.cvr)

    response = client_for(user).get(url)

    assert response.status_code == expected, url
    if persona == "anonymous":
        assert _login_redirect(response)


def test_a_caseworker_does_not_find_other_departments_cases_in_lists(client_for, bodil, cases):
    client = client_for(bodil)
    queue = client.get("/medarbejder/screening/").content.decode()
    found = client.get("/medarbejder/soeg/?q=borde").content.decode()

    assert cases["received_road"].reference not in queue
    assert cases["road"].reference not in found


# action: (which case, path, data); status per persona
ACTIONS = {
    "screen": ("received_road", "/medarbejder/screening/{ref}/", {}),
    "not_needed": (
        "received_building",
        "/medarbejder/screening/{ref}/",
        {"action": "not_needed", "requirement": "tegninger", "reason": "Ikke nødvendigt"},
    ),
    "note": ("building", "/medarbejder/sager/{ref}/notat/", {"body": "Internt"}),
    "coordinator": ("building", "/medarbejder/sager/{ref}/tovholder/", {"coordinator": "lars"}),
    "estimate": (
        "building",
        "/medarbejder/sager/{ref}/svardato/",
        {"estimate": "2099-01-05", "reason": "Høring"},
    ),
    "deliverable_add": (
        "building",
        "/medarbejder/sager/{ref}/leverance-ny/",
        {"party": "business", "title": "Brandplan", "due_date": "2099-01-05"},
    ),
    "decision": ("road", "/medarbejder/sager/{ref}/svar/", {"summary": "Tilladelse"}),
    "note_road": ("road", "/medarbejder/sager/{ref}/notat/", {"body": "Internt"}),
    "claim": ("building", "task", {}),
    "contact_person": ("building", "/medarbejder/virksomheder/{cvr}/", {"coordinator": "lars"}),
}
#                         anonymous owner karen bodil admin
ACTION_STATUS = {
    # an unscreened case has no department task yet, so a caseworker does not see it
    "screen": (302, 403, 302, 404, 302),
    "not_needed": (302, 403, 302, 404, 302),
    "note": (302, 403, 302, 302, 302),
    "coordinator": (302, 403, 302, 403, 302),
    "estimate": (302, 403, 302, 403, 302),
    "deliverable_add": (302, 403, 302, 302, 302),
    "decision": (302, 403, 302, 404, 302),
    "note_road": (302, 403, 302, 404, 302),
    "claim": (302, 403, 302, 302, 302),
    "contact_person": (302, 403, 302, 403, 302),
}


@pytest.mark.parametrize(
    ("action", "persona", "expected"),
    [
        pytest.param(action, persona, statuses[i], id=f"{action}-{persona}-{statuses[i]}")
        for action, statuses in ACTION_STATUS.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_action_matrix(
    request, client_for, make_case, building_case, business, lars, action, persona, expected
):
    cases = {
        "received_road": make_case(),
        "received_building": building_case(),
        "road": make_case(screen=True),
        "building": building_case(screen=True),
    }
    which, path, data = ACTIONS[action]
    case = cases[which]
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if path == "task":
        task = case.tasks.get()
        url = f"/medarbejder/opgaver/{task.pk}/tag/"
        data = {"version": task.version}
    else:
        url = path.format(ref=case.reference, cvr=business.cvr)
        data = {"version": Case.objects.get(pk=case.pk).version, **data}
    before = snapshot(case)

    response = client_for(user).post(url, data)

    assert response.status_code == expected, (url, response.content.decode()[:2000])
    if persona == "anonymous":
        assert _login_redirect(response)
    if expected >= 400 or persona == "anonymous":
        assert snapshot(case) == before, "a refused request changed the database"
    else:
        assert snapshot(case) != before, "an accepted action changed nothing"
