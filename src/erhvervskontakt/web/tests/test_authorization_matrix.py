"""The authorization matrix: every URL pattern and every API operation × eight personas.

Each route of the project has one row in ``ROWS`` (pages, keyed by the pattern's namespaced
name or, without a name, by its regex) or ``API_ROWS`` (``METHOD /api/v1/path`` from the
OpenAPI document). A row says how to build the address from the world below and what each
persona must get for each method tried:

- ``OK`` 2xx, ``REDIRECT`` a 3xx that is not to a login page, ``ALLOWED`` either;
- ``LOGIN_PORTAL`` / ``LOGIN_STAFF`` / ``LOGIN_ADMIN``: a redirect to that login page;
- ``UNAUTHORIZED`` 401 (the API), ``FORBIDDEN`` 403, ``NOT_FOUND`` 404 (another business's
  case is 404, never 403 or 200), ``NOT_ALLOWED`` 405, ``REFUSED`` 400/409/422 (the request
  got past the access check and was refused for its content or the case's state).

No cell may answer 500. ``test_every_route_has_a_row`` fails when a route has no row (add
one here) or a row names a route that no longer exists (remove it).

The Django admin (``admin:*`` and its unnamed patterns) is one group rule, ``ADMIN``: every
admin route is tried (object routes with a real object of their model) and must send
anonymous visitors and business users to the admin's login; staff without model
permissions (every persona here but the administrator) get the index and their own password
page and 403 on every model page; the administrator gets what the model admin's
``has_*_permission`` allows (view always; add, change and delete where the admin allows them)
and 403 where it does not.

Every cell runs in a savepoint that is rolled back, with a fresh client logged in as its
persona, so a POST that succeeds (a withdrawal, a closing) never changes the next cell.
Login forms are only read (GET), never posted: a wrong password counts towards the lockout.

Holes the matrix found are in ``KNOWN_GAPS``: the row holds the secure answer, the cell is
expected to fail, and the summary names it; when the hole is closed the cell passes and the
test asks for its entry to be removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from erhvervskontakt.accounts.models import User
from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf_bytes
from erhvervskontakt.identity.models import ExternalIdentity
from erhvervskontakt.testing.oidc_provider import (  # noqa: F401  (fixtures)
    OidcTestProvider,
    oidc_provider_fixture,
    oidc_provider_server_fixture,
)
from erhvervskontakt.testing.routes import (
    ALLOWED,
    FORBIDDEN,
    LOGIN_ADMIN,
    LOGIN_PORTAL,
    LOGIN_STAFF,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PASSED,
    REDIRECT,
    REFUSED,
    UNAUTHORIZED,
    Tally,
    api_operations,
    client_for,
    fresh,
    run_cell,
    url_routes,
)
from erhvervskontakt.testing.saml import employee, make_world
from erhvervskontakt.web.readlog import ADMIN_WITHOUT_DATA
from erhvervskontakt.web.readlog import EXEMPT as READS_EXEMPT
from erhvervskontakt.web.tests.matrix_world import World, world_fixture  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "business_a",
    "business_b",
    "caseworker_x",
    "caseworker_y",
    "coordinator",
    "head_of_unit",
    "administrator",
)
STAFF = ("caseworker_x", "caseworker_y", "coordinator", "head_of_unit", "administrator")
COORDINATING = ("coordinator", "head_of_unit", "administrator")


# --- rows -----------------------------------------------------------------------------------

Expect = dict[str, str]
Url = Callable[[World], str]


def cells(default: str, **by: str) -> Expect:
    unknown = set(by) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {p: by.get(p, default) for p in PERSONAS}


def everyone(outcome: str) -> Expect:
    return cells(outcome)


def staff(ok: str = ALLOWED, **by: str) -> Expect:
    """A workbench page: anonymous visitors to the staff login, business users 403."""
    base = {"anonymous": LOGIN_STAFF, "business_a": FORBIDDEN, "business_b": FORBIDDEN}
    base.update(dict.fromkeys(STAFF, ok))
    base.update(by)
    return cells(ALLOWED, **base)


def staff_case(ok: str = ALLOWED, **by: str) -> Expect:
    """A workbench page about business A's case (department X's task): a caseworker of
    department Y does not see it (404)."""
    return staff(ok, **{"caseworker_y": NOT_FOUND, **by})


def staff_visit(ok: str = ALLOWED, **by: str) -> Expect:
    """A workbench page about the visit (department Y's): department X does not see it."""
    return staff(ok, **{"caseworker_x": NOT_FOUND, **by})


def portal(own: str = ALLOWED, other: str = NOT_FOUND, **by: str) -> Expect:
    """A business page about business A's things: business B gets 404; anonymous visitors
    and staff (who are not business users) go to the portal's login."""
    base = {"anonymous": LOGIN_PORTAL, "business_a": own, "business_b": other}
    base.update(dict.fromkeys(STAFF, LOGIN_PORTAL))
    base.update(by)
    return cells(ALLOWED, **base)


def api(
    own: str = OK,
    *,
    other: str = NOT_FOUND,
    staff_ok: str = OK,
    anon: str = UNAUTHORIZED,
    **by: str,
) -> Expect:
    base = {"anonymous": anon, "business_a": own, "business_b": other}
    base.update(dict.fromkeys(STAFF, staff_ok))
    base.update(by)
    return cells(OK, **base)


@dataclass(frozen=True)
class Probe:
    """One address of a route and what each method must answer (None: not tried)."""

    url: Url
    get: Expect | None = None
    post: Expect | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    label: str = ""
    json: bool = False  # API: the body as JSON (else multipart)
    patch: Expect | None = None  # API only: a PATCH with ``data`` as JSON
    put: Expect | None = None  # API only: a PUT with ``data`` as JSON


def u(name: str, **kwargs: Callable[[World], Any]) -> Url:
    return lambda w: reverse(name, kwargs={k: f(w) for k, f in kwargs.items()})


def lit(path: str) -> Url:
    return lambda w: path


REF_A: dict[str, Callable[[World], Any]] = {"reference": lambda w: w.case_a.reference}
REF_R: dict[str, Callable[[World], Any]] = {"reference": lambda w: w.received.reference}
REF_D: dict[str, Callable[[World], Any]] = {"reference": lambda w: w.answered.reference}
REF_V: dict[str, Callable[[World], Any]] = {"reference": lambda w: w.visit.case.reference}
VISIT: dict[str, Callable[[World], Any]] = {"visit_id": lambda w: w.visit.pk}
GET_ONLY_STAFF = staff(NOT_ALLOWED)


def _webhook(w: World) -> int:
    """The coordinator's webhook subscription (made once, the first time a row asks)."""
    from erhvervskontakt.integrations.models import WebhookSubscription
    from erhvervskontakt.integrations.services import webhook_subscription_create

    owner = w.users["coordinator"]
    found = WebhookSubscription.objects.filter(owner=owner).first()
    if found is None:
        found = webhook_subscription_create(
            owner=owner, name="Matrix", url="https://fagsystem.example/hook"
        ).subscription
    return found.pk


# A webhook subscription's own operations: its owner (the coordinator) only.
WEBHOOK_OWNER = api(FORBIDDEN, other=FORBIDDEN, staff_ok=NOT_FOUND, coordinator=OK)

ROWS: dict[str, list[Probe]] = {
    "healthz": [Probe(lit("/healthz"), get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "api-v1:openapi-json": [Probe(u("api-v1:openapi-json"), get=everyone(OK))],
    "api-v1:openapi-view": [Probe(u("api-v1:openapi-view"), get=everyone(OK))],
    "api-v1:api-root": [Probe(u("api-v1:api-root"), get=everyone(NOT_FOUND))],
    "^api/(?P<rest>.*)": [
        Probe(lit("/api/v2/cases"), get=everyone(NOT_FOUND), post=everyone(NOT_FOUND))
    ],
    # The admin's login (under the failure limits): read only, never posted.
    "^admin/login/": [Probe(lit("/admin/login/"), get=cells(OK, **dict.fromkeys(STAFF, ALLOWED)))],
    "set_language": [
        Probe(
            u("set_language"),
            get=everyone(ALLOWED),
            post=everyone(REDIRECT),
            data=lambda w: {"language": "en", "next": "/"},
        )
    ],
    # --- the workbench ---
    "workbench:home": [Probe(u("workbench:home"), get=staff(REDIRECT), post=staff(REDIRECT))],
    "workbench:login": [Probe(u("workbench:login"), get=everyone(ALLOWED))],
    # Entra ID: not configured in the matrix (no OIDC_ISSUER); tested with a real provider in
    # workbench/tests/test_entra_id_login.
    "workbench:sso_start": [
        Probe(u("workbench:sso_start"), get=everyone(NOT_FOUND), post=everyone(NOT_ALLOWED))
    ],
    "workbench:sso_callback": [
        Probe(u("workbench:sso_callback"), get=everyone(NOT_FOUND), post=everyone(NOT_ALLOWED))
    ],
    "workbench:logout": [
        Probe(u("workbench:logout"), get=everyone(NOT_ALLOWED), post=everyone(LOGIN_STAFF))
    ],
    "workbench:screening_queue": [Probe(u("workbench:screening_queue"), get=staff(), post=staff())],
    "workbench:screening": [
        Probe(
            u("workbench:screening", **REF_R),
            get=staff(caseworker_x=NOT_FOUND, caseworker_y=NOT_FOUND),
            post=staff(REDIRECT, caseworker_x=NOT_FOUND, caseworker_y=NOT_FOUND),
            label="an unscreened case",
        ),
        Probe(
            u("workbench:screening", **REF_A),
            get=staff_case(),
            post=staff_case(ALLOWED, caseworker_x=FORBIDDEN),
            label="a screened case",
        ),
    ],
    "workbench:screening_row": [
        Probe(
            u("workbench:screening_row", **REF_R),
            get=staff(REFUSED, caseworker_x=NOT_FOUND, caseworker_y=NOT_FOUND),
            post=staff(NOT_ALLOWED),
        )
    ],
    "workbench:register": [Probe(u("workbench:register"), get=staff(), post=staff(REFUSED))],
    "workbench:my_cases": [Probe(u("workbench:my_cases"), get=staff(), post=staff())],
    "workbench:inbox": [Probe(u("workbench:inbox"), get=staff(), post=staff())],
    "workbench:search": [
        Probe(lambda w: reverse("workbench:search") + f"?q={w.case_a.reference}", get=staff())
    ],
    "workbench:case": [
        Probe(u("workbench:case", **REF_A), get=staff_case(), post=staff_case()),
        Probe(
            u("workbench:case", reference=lambda w: w.case_b.reference),
            get=staff(caseworker_x=NOT_FOUND, caseworker_y=NOT_FOUND),
            label="business B's case (department Vej og Park)",
        ),
    ],
    "workbench:case_document": [
        Probe(
            u(
                "workbench:case_document",
                **REF_A,
                document_id=lambda w: w.document.pk,
            ),
            get=staff_case(OK),
            post=everyone(NOT_ALLOWED),
        ),
        Probe(
            u(
                "workbench:case_document",
                reference=lambda w: w.case_b.reference,
                document_id=lambda w: w.document.pk,
            ),
            get=staff(NOT_FOUND, anonymous=LOGIN_STAFF),
            label="case A's document under case B's reference",
        ),
    ],
    "workbench:case_action": [
        Probe(
            u("workbench:case_action", **REF_A, action=lambda w: "notat"),
            get=staff_case(NOT_ALLOWED, caseworker_y=NOT_ALLOWED),
            post=staff_case(REFUSED),
            label="notat (any staff who sees the case), empty body",
        ),
        Probe(
            u("workbench:case_action", **REF_D, action=lambda w: "afslut"),
            post=staff_case(REDIRECT, caseworker_x=FORBIDDEN),
            data=lambda w: {"note": "", "version": str(w.answered.version)},
            label="afslut (coordinators only), an answered case",
        ),
        Probe(
            u("workbench:case_action", **REF_A, action=lambda w: "findes-ikke"),
            post=staff_case(NOT_FOUND),
            label="an unknown action",
        ),
    ],
    "workbench:task_action": [
        Probe(
            u("workbench:task_action", task_id=lambda w: w.task.pk, action=lambda w: "tag"),
            get=staff(NOT_ALLOWED),
            post=staff_case(REDIRECT),
            label="claim department X's task",
        )
    ],
    "workbench:business": [
        Probe(
            u("workbench:business", cvr=lambda w: w.business_a.cvr),
            get=staff(),
            post=staff(FORBIDDEN, **dict.fromkeys(COORDINATING, REFUSED)),
        ),
        Probe(
            u("workbench:business", cvr=lambda w: "00000000"),
            get=staff(NOT_FOUND),
            label="an unknown CVR",
        ),
    ],
    "workbench:surveys_staff:comments": [
        Probe(u("workbench:surveys_staff:comments"), get=staff(), post=staff())
    ],
    "workbench:measures_staff:dashboard": [
        Probe(u("workbench:measures_staff:dashboard"), get=staff(), post=staff())
    ],
    "workbench:measures_staff:cases": [
        Probe(
            lambda w: reverse("workbench:measures_staff:cases") + "?tal=backlog.open",
            get=staff(),
        ),
        Probe(
            lambda w: reverse("workbench:measures_staff:cases") + "?tal=backlog.open&format=csv",
            get=staff(OK),
            label="as CSV",
        ),
    ],
    "workbench:measures_staff:csv": [
        Probe(u("workbench:measures_staff:csv", table=lambda w: "backlog"), get=staff()),
        Probe(
            u("workbench:measures_staff:csv", table=lambda w: "findes-ikke"),
            get=staff(NOT_FOUND),
            label="an unknown table",
        ),
    ],
    "workbench:inspections_staff:register": [
        Probe(u("workbench:inspections_staff:register"), get=staff(), post=GET_ONLY_STAFF)
    ],
    "workbench:inspections_staff:unit": [
        Probe(
            u("workbench:inspections_staff:unit", p_number=lambda w: w.unit.p_number),
            get=staff(),
            post=staff(REFUSED),
        )
    ],
    "workbench:inspections_staff:plan_current": [
        Probe(
            u("workbench:inspections_staff:plan_current"),
            get=staff(REDIRECT),
            post=GET_ONLY_STAFF,
        )
    ],
    "workbench:inspections_staff:plan": [
        Probe(
            u("workbench:inspections_staff:plan", year=lambda w: clock.today().year),
            get=staff(),
            post=staff(NOT_FOUND),  # no plan for the year, no action: 404
        )
    ],
    "workbench:inspections_staff:visits": [
        Probe(u("workbench:inspections_staff:visits"), get=staff(), post=GET_ONLY_STAFF)
    ],
    "workbench:inspections_staff:visit_new": [
        Probe(u("workbench:inspections_staff:visit_new"), get=staff(), post=staff(REFUSED))
    ],
    "workbench:inspections_staff:visit": [
        Probe(
            u("workbench:inspections_staff:visit", **VISIT), get=staff_visit(), post=GET_ONLY_STAFF
        )
    ],
    "workbench:inspections_staff:visit_slot_row": [
        Probe(
            u("workbench:inspections_staff:visit_slot_row", **VISIT),
            get=staff_visit(REFUSED),  # without the row's fields
            post=GET_ONLY_STAFF,
        )
    ],
    "workbench:inspections_staff:visit_preview": [
        Probe(
            u("workbench:inspections_staff:visit_preview", **VISIT),
            get=staff_visit(OK),
            post=GET_ONLY_STAFF,
        )
    ],
    "workbench:inspections_staff:visit_report": [
        Probe(
            u("workbench:inspections_staff:visit_report", **VISIT),
            get=staff_visit(OK),
            post=GET_ONLY_STAFF,
        )
    ],
    "workbench:inspections_staff:visit_action": [
        Probe(
            u("workbench:inspections_staff:visit_action", **VISIT, action=lambda w: "fokus"),
            get=staff(NOT_ALLOWED),
            post=staff_visit(REFUSED),
            label="fokus, empty body",
        )
    ],
    # --- public pages ---
    "surveys:thanks": [Probe(u("surveys:thanks"), get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "surveys:respond": [
        Probe(
            u("surveys:respond", token=lambda w: w.survey_token),
            get=everyone(OK),
            post=everyone(REFUSED),
        ),
        Probe(
            u("surveys:respond", token=lambda w: "ukendt"),
            get=everyone(NOT_FOUND),
            label="an unknown token",
        ),
    ],
    "inspections_public:reports": [
        Probe(u("inspections_public:reports"), get=everyone(OK), post=everyone(NOT_ALLOWED))
    ],
    "inspections_public:report_pdf": [
        Probe(
            u("inspections_public:report_pdf", **VISIT),
            get=everyone(OK),
            post=everyone(NOT_ALLOWED),
        )
    ],
    "measures:processing_times": [
        Probe(u("measures:processing_times"), get=everyone(OK), post=everyone(NOT_ALLOWED))
    ],
    # --- the portal ---
    "portal:front": [Probe(u("portal:front"), get=everyone(OK), post=everyone(NOT_ALLOWED))],
    "portal:login": [Probe(u("portal:login"), get=everyone(ALLOWED))],
    # MitID Erhverv: not configured in the matrix (no SAML_IDP_METADATA, DEBUG off), so the
    # SAML endpoints are not there; with it they are tested in portal/tests/test_mitid_login.
    "portal:mitid_login": [
        Probe(u("portal:mitid_login"), get=everyone(NOT_FOUND), post=everyone(NOT_ALLOWED))
    ],
    "portal:mitid_acs": [
        Probe(u("portal:mitid_acs"), get=everyone(NOT_ALLOWED), post=everyone(NOT_FOUND))
    ],
    "portal:mitid_logout": [
        Probe(u("portal:mitid_logout"), get=everyone(NOT_ALLOWED), post=everyone(REDIRECT))
    ],
    "portal:mitid_single_logout": [
        Probe(u("portal:mitid_single_logout"), get=everyone(NOT_FOUND), post=everyone(NOT_FOUND))
    ],
    "portal:mitid_metadata": [
        Probe(u("portal:mitid_metadata"), get=everyone(NOT_FOUND), post=everyone(NOT_ALLOWED))
    ],
    "portal:logout": [
        Probe(u("portal:logout"), get=everyone(NOT_ALLOWED), post=everyone(REDIRECT))
    ],
    "portal:switch_business": [
        Probe(
            u("portal:switch_business"),
            get=everyone(NOT_ALLOWED),
            post=portal(REDIRECT, REDIRECT),
        )
    ],
    "portal:inquiry_new": [
        Probe(u("portal:inquiry_new"), get=portal(OK, OK), post=portal(REDIRECT, REDIRECT))
    ],
    "portal:inquiry_step": [
        Probe(
            u("portal:inquiry_step", draft_id=lambda w: w.draft_id, step=lambda w: 1),
            get=portal(),
            post=portal(REFUSED),
        )
    ],
    "portal:inquiry_check": [
        Probe(
            u("portal:inquiry_check", draft_id=lambda w: w.draft_id),
            get=everyone(NOT_ALLOWED),
            post=portal(),
        )
    ],
    "portal:case_list": [
        Probe(u("portal:case_list"), get=portal(OK, OK), post=everyone(NOT_ALLOWED))
    ],
    "portal:case_detail": [
        Probe(u("portal:case_detail", **REF_A), get=portal(OK), post=everyone(NOT_ALLOWED)),
        Probe(
            u("portal:case_detail", reference=lambda w: "ZZ-0000-9999"),
            get=portal(NOT_FOUND),
            label="an unknown reference",
        ),
    ],
    "portal:case_receipt": [
        Probe(u("portal:case_receipt", **REF_A), get=portal(OK), post=everyone(NOT_ALLOWED))
    ],
    # The case's actions take a POST; a GET goes to the action's place on the case page.
    "portal:case_answers": [
        Probe(u("portal:case_answers", **REF_A), get=everyone(REDIRECT), post=portal())
    ],
    "portal:case_document": [
        Probe(u("portal:case_document", **REF_A), get=everyone(REDIRECT), post=portal())
    ],
    "portal:case_document_download": [
        Probe(
            u("portal:case_document_download", **REF_A, document_id=lambda w: w.document.pk),
            get=portal(OK),
            post=everyone(NOT_ALLOWED),
        ),
        Probe(
            u(
                "portal:case_document_download",
                reference=lambda w: w.case_b.reference,
                document_id=lambda w: w.document.pk,
            ),
            get=portal(NOT_FOUND, NOT_FOUND),
            label="case A's document under case B's reference",
        ),
    ],
    "portal:case_deliver": [
        Probe(
            u("portal:case_deliver", **REF_A, deliverable_id=lambda w: w.deliverable.pk),
            get=everyone(REDIRECT),
            post=portal(),
        )
    ],
    "portal:case_message": [
        Probe(u("portal:case_message", **REF_A), get=everyone(REDIRECT), post=portal())
    ],
    "portal:case_visit_slot": [
        Probe(u("portal:case_visit_slot", **REF_V), get=everyone(REDIRECT), post=portal()),
        Probe(
            u("portal:case_visit_slot", **REF_A),
            post=portal(NOT_FOUND),
            label="a case without a visit",
        ),
    ],
    "portal:case_withdraw": [
        Probe(u("portal:case_withdraw", **REF_A), get=portal(OK), post=portal())
    ],
    "portal:accessibility": [
        Probe(u("portal:accessibility"), get=everyone(OK), post=everyone(NOT_ALLOWED))
    ],
    "portal:privacy": [Probe(u("portal:privacy"), get=everyone(OK), post=everyone(NOT_ALLOWED))],
}

_A = {"reference": "case_a"}
API_ROWS: dict[str, list[Probe]] = {
    "GET /api/v1/service-types": [Probe(lit("/api/v1/service-types"), get=everyone(OK))],
    "GET /api/v1/calendar/add-working-days": [
        Probe(lit("/api/v1/calendar/add-working-days?start=2026-12-07&days=5"), get=everyone(OK))
    ],
    "POST /api/v1/inquiries": [
        Probe(
            lit("/api/v1/inquiries"),
            post=api(OK, other=FORBIDDEN),
            json=True,
            data=lambda w: {
                "cvr": w.business_a.cvr,
                "contact": {"name": "Eva Ejer", "email": "eva@fynsk.dk"},
                "service_types": ["raadgivning"],
                "description": "Rådgivning om en ny hal.",
            },
        )
    ],
    "GET /api/v1/cases": [Probe(lit("/api/v1/cases"), get=api(OK, other=OK))],
    "GET /api/v1/cases/{reference}": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "POST /api/v1/cases/{reference}/screening": [
        Probe(
            lambda w: f"/api/v1/cases/{w.received.reference}/screening",
            post=api(FORBIDDEN, caseworker_x=NOT_FOUND, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"note": "Komplet."},
        )
    ],
    "POST /api/v1/cases/{reference}/answers": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/answers",
            post=api(caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"answers": {"matrikel": "12b"}},
        )
    ],
    "POST /api/v1/cases/{reference}/documents": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/documents",
            post=api(caseworker_y=NOT_FOUND),
            data=lambda w: {
                "file": SimpleUploadedFile("bilag.pdf", pdf_bytes(), "application/pdf")
            },
        )
    ],
    "POST /api/v1/cases/{reference}/decision": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/decision",
            # Case A awaits its drawings (409): past the access check all the same.
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"summary": "Tilladelse givet."},
        )
    ],
    # Closing is the coordinator's in the workbench ("afslut" is coordinators only).
    "POST /api/v1/cases/{reference}/close": [
        Probe(
            lambda w: f"/api/v1/cases/{w.answered.reference}/close",
            post=api(FORBIDDEN, caseworker_x=FORBIDDEN, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"note": "Færdig."},
        )
    ],
    "POST /api/v1/cases/{reference}/withdraw": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/withdraw",
            post=api(caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"reason": "Ikke længere aktuelt."},
        )
    ],
    "GET /api/v1/businesses/{cvr}": [
        Probe(lambda w: f"/api/v1/businesses/{w.business_a.cvr}", get=api())
    ],
    # The work on a case (issue 18): the same services as the pages, so the same rules. A
    # caseworker of another department does not see case A (404); the plan and the task
    # are staff's to change, a business delivers its own lines and writes messages.
    "GET /api/v1/cases/{reference}/messages": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/messages",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "POST /api/v1/cases/{reference}/messages": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/messages",
            post=api(caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"body": "Hvornår kommer svaret?"},
        )
    ],
    "GET /api/v1/cases/{reference}/deliverables": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/deliverables",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "POST /api/v1/cases/{reference}/deliverables": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/deliverables",
            post=api(FORBIDDEN, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"party": "business", "title": "Brandplan", "due_date": "2027-01-15"},
        )
    ],
    "PATCH /api/v1/cases/{reference}/deliverables/{deliverable_id}": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/deliverables/{w.deliverable.pk}",
            patch=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            data=lambda w: {"due_date": "2027-01-20", "reason": "Aftalt med virksomheden."},
        )
    ],
    "POST /api/v1/cases/{reference}/deliverables/{deliverable_id}/waive": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/deliverables/{w.deliverable.pk}/waive",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"reason": "Ikke nødvendig."},
        )
    ],
    "POST /api/v1/cases/{reference}/deliverables/{deliverable_id}/delivered": [
        Probe(
            lambda w: (
                f"/api/v1/cases/{w.case_a.reference}/deliverables/{w.deliverable.pk}/delivered"
            ),
            # Case A's line is the municipality's: the business may not mark it (403); for
            # staff it is past the access check.
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"note": "Sendt."},
        )
    ],
    "GET /api/v1/cases/{reference}/tasks": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/tasks",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "GET /api/v1/tasks": [Probe(lit("/api/v1/tasks"), get=api(FORBIDDEN, other=FORBIDDEN))],
    "GET /api/v1/tasks/{task_id}": [
        Probe(
            lambda w: f"/api/v1/tasks/{w.task.pk}",
            get=api(FORBIDDEN, caseworker_y=NOT_FOUND),
        )
    ],
    "POST /api/v1/tasks/{task_id}/claim": [
        Probe(
            lambda w: f"/api/v1/tasks/{w.task.pk}/claim",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
        )
    ],
    "POST /api/v1/tasks/{task_id}/assign": [
        Probe(
            lambda w: f"/api/v1/tasks/{w.task.pk}/assign",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"assignee": "bodil"},
        )
    ],
    "POST /api/v1/tasks/{task_id}/done": [
        Probe(
            lambda w: f"/api/v1/tasks/{w.task.pk}/done",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_y=NOT_FOUND),
            json=True,
            data=lambda w: {"result": "Godkendt."},
        )
    ],
    "GET /api/v1/cases/{reference}/documents": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/documents",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "GET /api/v1/cases/{reference}/documents/{document_id}": [
        Probe(
            lambda w: f"/api/v1/cases/{w.case_a.reference}/documents/{w.document.pk}",
            get=api(caseworker_y=NOT_FOUND),
        )
    ],
    "GET /api/v1/businesses": [Probe(lit("/api/v1/businesses"), get=api(OK, other=OK))],
    "GET /api/v1/businesses/{cvr}/contact-person": [
        Probe(lambda w: f"/api/v1/businesses/{w.business_a.cvr}/contact-person", get=api())
    ],
    # Changing the fixed contact person is a coordinator's (as on the business page).
    "PUT /api/v1/businesses/{cvr}/contact-person": [
        Probe(
            lambda w: f"/api/v1/businesses/{w.business_a.cvr}/contact-person",
            put=api(FORBIDDEN, caseworker_x=FORBIDDEN, caseworker_y=FORBIDDEN),
            data=lambda w: {"coordinator": "karen", "reason": "Fast kontakt."},
        )
    ],
    # Inspection visits (issue 18): the visit (business A's, Miljø's, published) is seen by
    # whoever sees its case: department X does not (404), business B does not (404). The
    # steps are staff's (a business 403); on a published visit each is refused for its
    # state, past the access check. Choosing a time is the business's (and staff's for it).
    "GET /api/v1/visits": [Probe(lit("/api/v1/visits"), get=api(OK, other=OK))],
    "POST /api/v1/visits": [
        Probe(
            lit("/api/v1/visits"),
            post=api(FORBIDDEN, other=FORBIDDEN, staff_ok=PASSED, caseworker_x=FORBIDDEN),
            json=True,
            data=lambda w: {"p_number": w.unit.p_number, "kind": "unplanned", "focus": "Olie."},
        )
    ],
    "GET /api/v1/visits/{visit_id}": [
        Probe(lambda w: f"/api/v1/visits/{w.visit.pk}", get=api(caseworker_x=NOT_FOUND))
    ],
    "GET /api/v1/visits/{visit_id}/report": [
        Probe(lambda w: f"/api/v1/visits/{w.visit.pk}/report", get=api(caseworker_x=NOT_FOUND))
    ],
    "PUT /api/v1/visits/{visit_id}/focus": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/focus",
            put=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            data=lambda w: {"focus": "Spildbakker."},
        )
    ],
    "POST /api/v1/visits/{visit_id}/slots": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/slots",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {
                "slots": [
                    {
                        "starts_at": "2030-03-04T09:00:00+01:00",
                        "ends_at": "2030-03-04T11:00:00+01:00",
                    }
                ]
            },
        )
    ],
    "POST /api/v1/visits/{visit_id}/choice": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/choice",
            post=api(PASSED, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"slot": 1},
        )
    ],
    "POST /api/v1/visits/{visit_id}/time": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/time",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"at": "2030-03-04T09:00:00+01:00"},
        )
    ],
    "POST /api/v1/visits/{visit_id}/cancel": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/cancel",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"reason": "Virksomheden er lukket."},
        )
    ],
    "POST /api/v1/visits/{visit_id}/visited": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/visited",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"visited_on": clock.today().isoformat()},
        )
    ],
    "POST /api/v1/visits/{visit_id}/findings": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/findings",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"kind": "observation", "text": "Spildbakken mangler."},
        )
    ],
    "POST /api/v1/visits/{visit_id}/enforcements": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/enforcements",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            json=True,
            data=lambda w: {"kind": "warning", "text": "Sortér affald.", "legal_basis": "§ 68"},
        )
    ],
    "PUT /api/v1/visits/{visit_id}/report": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/report",
            put=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
            data=lambda w: {"conclusion": "Reglerne overholdes."},
        )
    ],
    "POST /api/v1/visits/{visit_id}/report/send": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/report/send",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
        )
    ],
    "POST /api/v1/visits/{visit_id}/publish": [
        Probe(
            lambda w: f"/api/v1/visits/{w.visit.pk}/publish",
            post=api(FORBIDDEN, staff_ok=PASSED, caseworker_x=NOT_FOUND),
        )
    ],
    # The figures: the dashboard's for every staff member (as its page), none for a business;
    # the public page's for everyone.
    "GET /api/v1/stats/promises": [
        Probe(lit("/api/v1/stats/promises"), get=api(FORBIDDEN, other=FORBIDDEN))
    ],
    "GET /api/v1/stats/accuracy": [
        Probe(lit("/api/v1/stats/accuracy"), get=api(FORBIDDEN, other=FORBIDDEN))
    ],
    "GET /api/v1/stats/processing-times": [
        Probe(lit("/api/v1/stats/processing-times"), get=everyone(OK))
    ],
    # The feed is everyone's own (scoped like every read); webhooks are staff's, each
    # subscription its owner's (the coordinator's here): another staff member gets 404.
    "GET /api/v1/events": [Probe(lit("/api/v1/events"), get=api(OK, other=OK))],
    "GET /api/v1/webhooks": [Probe(lit("/api/v1/webhooks"), get=api(FORBIDDEN, other=FORBIDDEN))],
    "POST /api/v1/webhooks": [
        Probe(
            lit("/api/v1/webhooks"),
            post=api(FORBIDDEN, other=FORBIDDEN),
            data=lambda w: {"name": "ESDH", "url": "https://fagsystem.example/hook"},
            json=True,
        )
    ],
    "GET /api/v1/webhooks/{subscription_id}": [
        Probe(lambda w: f"/api/v1/webhooks/{_webhook(w)}", get=WEBHOOK_OWNER)
    ],
    "PATCH /api/v1/webhooks/{subscription_id}": [
        Probe(
            lambda w: f"/api/v1/webhooks/{_webhook(w)}",
            patch=WEBHOOK_OWNER,
            data=lambda w: {"status": "paused"},
        )
    ],
    "POST /api/v1/webhooks/{subscription_id}/deactivate": [
        Probe(lambda w: f"/api/v1/webhooks/{_webhook(w)}/deactivate", post=WEBHOOK_OWNER)
    ],
    "GET /api/v1/webhooks/{subscription_id}/deliveries": [
        Probe(lambda w: f"/api/v1/webhooks/{_webhook(w)}/deliveries", get=WEBHOOK_OWNER)
    ],
}

# Cells where the code answers less securely than the row says: (row, label, persona, method)
# → what is wrong. Each is reported to the lead; the row keeps the secure answer.
# Closed: a caseworker closing a case (and screening one) through the API, which the
# workbench leaves to coordinators — the rule now lives in the services
# (cases.services.core._require_coordinating).
KNOWN_GAPS: dict[tuple[str, str, str, str], str] = {}


# --- running a cell -------------------------------------------------------------------------


def _run(
    tally: Tally,
    row: str,
    probe: Probe,
    persona: str,
    method: str,
    expected: str,
    send: Callable[[], HttpResponse],
    reader: User | None = None,
) -> None:
    where = f"{row} [{probe.label or 'default'}] {persona} {method}"
    gap = KNOWN_GAPS.get((row, probe.label, persona, method))
    run_cell(tally, where, expected, _read_logged(tally, where, method, reader, send), gap)


# The API's description of itself (OpenAPI and its documentation page): no personal data.
API_DESCRIPTION = frozenset({"api-v1:openapi-json", "api-v1:openapi-view"})


def _logs(response: HttpResponse) -> bool | None:
    """Whether the view that answered logs its reads (web.readlog): True, False when it is
    exempt, None when it is neither (the completeness test names those)."""
    match = getattr(response, "resolver_match", None)
    if match is None:
        return None
    if match.view_name in READS_EXEMPT or match.view_name in API_DESCRIPTION:
        return False
    if match.namespace == "admin":  # web.readlog.AdminReadLogMiddleware
        return match.view_name not in ADMIN_WITHOUT_DATA
    if hasattr(match.func, "personal_data_read"):
        return True
    # An API operation: every GET that is not exempt logs (audit/tests/test_completeness.py
    # checks each one is decorated); a POST is a change, in the case's timeline.
    if match.view_name.startswith("api-v1:"):
        return response.request["REQUEST_METHOD"] == "GET"  # type: ignore[attr-defined]
    return None


def _read_logged(
    tally: Tally,
    where: str,
    method: str,
    reader: User | None,
    send: Callable[[], HttpResponse],
) -> Callable[[], HttpResponse]:
    """``send``, and the read log checked in the same savepoint: a staff member's successful
    request to a page or operation that logs writes exactly one row, with that person, the
    route and a purpose (a page shown in answer to a POST is read too); everything else (a
    refusal, a redirect, a business user, an exempt page) writes none."""

    def run() -> HttpResponse:
        before = PersonalDataRead.objects.count()
        response = send()
        written = list(PersonalDataRead.objects.order_by("pk")[before:])
        staff_read = reader is not None and reader.is_staff and 200 <= response.status_code < 300
        logs = _logs(response) if staff_read else False
        tally.reads += 1 if staff_read and logs else 0
        wanted = 1 if logs else 0
        if len(written) != wanted:
            tally.failures.append(
                f"{where}: {len(written)} read-log rows, expected {wanted} "
                f"({'logs' if logs else 'does not log'})"
            )
        elif written:
            row = written[0]
            view_name = response.resolver_match.view_name  # type: ignore[attr-defined]
            if row.user_id != reader.pk or row.route != view_name or not row.purpose:  # type: ignore[union-attr]
                tally.failures.append(f"{where}: read-log row {row.user_id} {row.route!r}")
        return response

    return run


def _page_cells(
    tally: Tally,
    world: World,
    persona: str,
    client: Client | None = None,
    skip: Callable[[str], bool] = lambda row: False,
) -> None:
    client = client or client_for(world.users[persona])
    for row, probes in ROWS.items():
        if skip(row):
            continue
        for probe in probes:
            url = probe.url(world)
            data = probe.data(world) if probe.data else {}
            for method, expect in (("GET", probe.get), ("POST", probe.post)):
                if expect is None:
                    continue

                def send(
                    c: Client, method: str = method, url: str = url, data: Any = data
                ) -> HttpResponse:
                    return c.get(url) if method == "GET" else c.post(url, data)

                _run(
                    tally,
                    row,
                    probe,
                    persona,
                    method,
                    expect[persona],
                    fresh(client, send),
                    world.users[persona],
                )


def _api_cells(tally: Tally, world: World, persona: str) -> None:
    token = world.tokens.get(persona)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    for row, probes in API_ROWS.items():
        for probe in probes:
            url = probe.url(world)
            for method, expect in (
                ("GET", probe.get),
                ("POST", probe.post),
                ("PATCH", probe.patch),
                ("PUT", probe.put),
            ):
                if expect is None:
                    continue

                def send(
                    method: str = method, url: str = url, probe: Probe = probe
                ) -> HttpResponse:
                    client = Client(raise_request_exception=False)
                    if method == "GET":
                        return client.get(url, **headers)
                    data = probe.data(world) if probe.data else {}
                    if method in ("PATCH", "PUT"):
                        send_as = client.patch if method == "PATCH" else client.put
                        return send_as(
                            url, json.dumps(data), content_type="application/json", **headers
                        )
                    if probe.json:
                        return client.post(
                            url, json.dumps(data), content_type="application/json", **headers
                        )
                    return client.post(url, data, **headers)

                _run(
                    tally, row, probe, persona, method, expect[persona], send, world.users[persona]
                )


# --- the admin group ------------------------------------------------------------------------


def _admin_routes() -> list[Any]:
    return [
        r
        for r in url_routes()
        if r.key.startswith(("admin:", "^admin/")) and r.key != "^admin/login/"
    ]


def _admin_object(model_key: str) -> Any:
    """A real object of an admin's model (``cases_case``), or None."""
    for model, _model_admin in admin.site._registry.items():
        if f"{model._meta.app_label}_{model._meta.model_name}" == model_key:
            return model._default_manager.order_by("pk").first()
    return None


def _admin_probe(name: str, world: World) -> tuple[str, dict[str, str]] | None:
    """The URL of an admin route and what each persona must get, or None (not tried:
    ``admin:view_on_site`` has no object with a page of its own; ``autocomplete`` needs a
    field to complete)."""
    short = name.removeprefix("admin:")
    superuser = world.users["administrator"]
    no_admin = dict.fromkeys(("anonymous", "business_a", "business_b"), LOGIN_ADMIN)
    no_admin_redirect = dict.fromkeys(no_admin, REDIRECT)  # the logout: back to /admin/
    if short in ("index", "password_change", "password_change_done", "jsi18n"):
        return reverse(name), {**no_admin, **dict.fromkeys(STAFF, OK)}
    if short in ("login",):
        return None  # shadowed by ^admin/login/ (its own row)
    if short == "logout":
        return reverse(name), {**no_admin_redirect, **dict.fromkeys(STAFF, NOT_ALLOWED)}
    if short == "app_list":
        url = reverse(name, kwargs={"app_label": "cases"})
        return url, {**no_admin, **dict.fromkeys(STAFF, NOT_FOUND), "administrator": OK}
    if short in ("view_on_site", "autocomplete"):
        return None
    keys = {
        f"{m._meta.app_label}_{m._meta.model_name}": ma for m, ma in admin.site._registry.items()
    }
    if short == "auth_user_password_change":  # UserAdmin's own name, whatever the model
        short = f"{User._meta.app_label}_user_password_change"
    model_key = max((k for k in keys if short.startswith(k + "_")), key=len, default="")
    assert model_key, f"{name}: no model admin for it"
    model_admin = keys[model_key]
    view = short.removeprefix(model_key + "_")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    obj = _admin_object(model_key)
    if view in ("changelist", "add"):
        url = reverse(name)
    elif obj is None:
        return None  # no object of the model in the world
    else:
        url = reverse(name, args=[obj.pk])
    allowed = {
        "changelist": model_admin.has_view_or_change_permission(request),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_view_or_change_permission(request, obj),
        "history": model_admin.has_view_or_change_permission(request, obj),
        "delete": model_admin.has_delete_permission(request, obj),
    }.get(view, True)  # a model admin's own object page (the user's password): the superuser's
    expected = {
        **no_admin,
        **dict.fromkeys(STAFF, FORBIDDEN),
        "administrator": OK if allowed else FORBIDDEN,
    }
    return url, expected


def _admin_cells(tally: Tally, world: World, persona: str, skipped: set[str]) -> None:
    client = client_for(world.users[persona])
    probe = Probe(url=lit(""), label="admin")
    for route in _admin_routes():
        if route.name is None:
            continue  # the unnamed object redirects and the catch-all: tried below
        made = _admin_probe(route.name, world)
        if made is None:
            skipped.add(route.name)
            continue
        url, expect = made

        def send(c: Client, url: str = url) -> HttpResponse:
            return c.get(url)

        _run(
            tally,
            route.name,
            probe,
            persona,
            "GET",
            expect[persona],
            fresh(client, send),
            world.users[persona],
        )
    # The unnamed patterns: an object's short address and the catch-all.
    for url, staff_outcome in (
        (f"/admin/cases/case/{world.case_a.pk}/", REDIRECT),
        ("/admin/findes-ikke/", NOT_FOUND),
    ):
        expect = {
            **dict.fromkeys(("anonymous", "business_a", "business_b"), LOGIN_ADMIN),
            **dict.fromkeys(STAFF, staff_outcome),
        }

        def send_unnamed(c: Client, url: str = url) -> HttpResponse:
            return c.get(url)

        _run(
            tally,
            "^admin/ (unnamed)",
            probe,
            persona,
            "GET",
            expect[persona],
            fresh(client, send_unnamed),
            world.users[persona],
        )


# --- the tests ------------------------------------------------------------------------------


def _route_keys() -> set[str]:
    return {r.key for r in url_routes()}


def _api_route_names(schema: dict[str, Any]) -> set[str]:
    """The routes behind the OpenAPI operations (``api-v1:get_case``): every pattern of the
    path, by its key (ninja makes one per operation when a path has several methods)."""
    names = set()
    routes = [r for r in url_routes() if r.name and r.name.startswith("api-v1:")]
    for _method, path in api_operations(schema):
        sample = path.replace("{", "").replace("}", "")
        names.add(resolve(sample).view_name)
        names.update(r.key for r in routes if re.fullmatch(r.regex, sample.lstrip("/")))
    return names


_TOTALS: dict[str, int] = {}


def test_every_route_has_a_row(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operations = {f"{m} {p}" for m, p in api_operations(schema)}
    keys = _route_keys()
    covered = set(ROWS) | _api_route_names(schema)
    admin_group = {k for k in keys if k.startswith(("admin:", "^admin/"))} - {"^admin/login/"}
    missing = sorted(keys - covered - admin_group)
    gone = sorted(set(ROWS) - keys)
    missing_api = sorted(operations - set(API_ROWS))
    gone_api = sorted(set(API_ROWS) - operations)
    assert not missing, (
        f"Routes without a row in the authorization matrix: {missing}. Add a row to ROWS in "
        "web/tests/test_authorization_matrix.py saying what each persona must get."
    )
    assert not missing_api, (
        f"API operations without a row in the authorization matrix: {missing_api}. Add a row "
        "to API_ROWS in web/tests/test_authorization_matrix.py."
    )
    assert not gone, f"Rows for routes that no longer exist: {gone}. Remove them from ROWS."
    assert not gone_api, f"Rows for API operations that no longer exist: {gone_api}."


@pytest.mark.parametrize("persona", PERSONAS)
def test_authorization_matrix(persona: str, world: World) -> None:
    tally = Tally()
    skipped: set[str] = set()
    _page_cells(tally, world, persona)
    _api_cells(tally, world, persona)
    _admin_cells(tally, world, persona, skipped)
    _TOTALS[persona] = tally.cells
    summary = (
        f"{persona}: {tally.cells} cells tried, {len(tally.failures)} wrong, "
        f"{len(tally.gaps)} known gaps, {tally.reads} staff reads each logged once"
    )
    print(f"\n{summary}")
    for gap in tally.gaps:
        print(f"  known gap: {gap}")
    if len(_TOTALS) == len(PERSONAS):
        print(f"authorization matrix: {sum(_TOTALS.values())} cells in all")
    assert not tally.closed_gaps, "\n".join(tally.closed_gaps)
    assert not tally.failures, summary + "\n" + "\n".join(tally.failures)


def test_no_route_serves_the_uploaded_files(world: World) -> None:
    """MEDIA_ROOT is never served by URL (with DEBUG on, ``make run`` used to, to anyone):
    a document's file answers 404 at its storage path, whoever asks; only the views that
    check who may see it serve it."""
    assert not [key for key in _route_keys() if key.startswith("^media")]
    for persona in PERSONAS:
        response = client_for(world.users[persona]).get("/media/" + world.document.file.name)
        assert response.status_code == 404, persona


# --- the same matrix for people who came in through MitID Erhverv and Entra ID -------------

SSO_PERSONAS = [p for p in PERSONAS if p != "anonymous"]


def _app_roles(user: User) -> list[str]:
    """The Entra ID app roles that give ``user`` exactly the rights the world gave them."""
    roles = []
    if user.is_superuser:
        roles.append("EK.Administrator")
    if user.is_head_of_unit:
        roles.append("EK.Enhedsleder")
    if user.is_coordinator:
        roles.append("EK.Tovholder")
    if user.department is not None:
        roles.append(f"EK.Afdeling.{user.department.code}")
    return roles


@pytest.fixture
def sso_client(
    world: World,
    oidc_provider: OidcTestProvider,
    settings: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], Client]:
    """A persona's browser, logged in the way they would be in production: business users
    through the (local test) NemLog-in, staff through the (test) Entra ID; each linked to the
    world's user by the identity provider's key, so the world's data is theirs."""
    saml_world = make_world(tmp_path_factory.mktemp("matrix-saml"), settings)
    departments = {u.department.code for u in world.users.values() if u and u.department}
    settings.OIDC_ROLE_MAP = json.dumps(
        {
            "EK.Administrator": "administrator",
            "EK.Enhedsleder": "head_of_unit",
            "EK.Tovholder": "coordinator",
            **{f"EK.Afdeling.{code}": f"caseworker:{code}" for code in departments},
        }
    )

    def log_in(persona: str) -> Client:
        user = world.users[persona]
        assert user is not None
        client = Client(raise_request_exception=False)
        before = (
            user.is_staff,
            user.is_superuser,
            user.is_head_of_unit,
            user.is_coordinator,
            user.department_id,
        )
        if persona.startswith("business"):
            business = world.business_a if persona == "business_a" else world.business_b
            person = employee(
                business.cvr,
                org_name=business.name,
                email=user.email,
                name=user.get_full_name() or "Virksomhedsbruger",
            )
            ExternalIdentity.objects.create(
                source="mitid_erhverv",
                key=person.uuid,
                user=user,
                created_at=timezone.now(),
                last_login_at=timezone.now(),
            )
            assert saml_world.login(client, person).status_code == 302
        else:
            person = oidc_provider.sign_in_as(roles=_app_roles(user), email=user.email)
            ExternalIdentity.objects.create(
                source="entra_id",
                key=f"{oidc_provider.tenant_id}:{person.oid}".lower(),
                user=user,
                created_at=timezone.now(),
                last_login_at=timezone.now(),
            )
            started = client.get("/medarbejder/log-ind/entra-id/")
            authorize = requests.get(started["Location"], allow_redirects=False, timeout=10)
            back = urlsplit(authorize.headers["Location"])
            assert client.get(f"{back.path}?{back.query}").status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
        user.refresh_from_db()
        after = (
            user.is_staff,
            user.is_superuser,
            user.is_head_of_unit,
            user.is_coordinator,
            user.department_id,
        )
        assert after == before, (persona, before, after)
        return client

    return log_in


@pytest.mark.parametrize("persona", SSO_PERSONAS)
def test_the_page_matrix_holds_for_people_who_came_in_through_sso(
    persona: str, world: World, sso_client: Callable[[str], Client]
) -> None:
    tally = Tally()
    # The login endpoints themselves answer differently once SSO is configured (that is the
    # point); they have their own tests. Every other page must answer as in the matrix.
    # (A MitID Erhverv session's logout goes on to NemLog-in: a page, not a redirect.)
    login_endpoints = ("portal:mitid_", "workbench:sso_", "portal:logout")
    _page_cells(
        tally, world, persona, sso_client(persona), skip=lambda row: row.startswith(login_endpoints)
    )
    print(f"\n{persona} through SSO: {tally.cells} page cells, {len(tally.failures)} wrong")
    assert not tally.failures, "\n".join(tally.failures)
