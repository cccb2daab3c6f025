"""Schemathesis over the whole OpenAPI document, in-process through Django's WSGI handler.

Every operation gets a bounded number of generated requests per generation mode (schema-valid
and schema-invalid), with a fixed seed, sent with a real Bearer token: once as a coordinator
(staff), once as a business user. Each answer must be no server error, have a declared status
and content type, match the declared schema, and (where the schema can say so) schema-invalid
input must be refused and schema-valid input accepted.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, CaseStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

MAX_EXAMPLES = 25
SEED = 20261127
# Hundreds of requests a minute on one token: above the default per-token limit (a 429 is
# declared, but would hide what the operation answers).
UNLIMITED = 1_000_000

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The CVR number's check digit (modulus 11) is the one rule a JSON Schema pattern cannot say;
# the schema names it as the format ``dk-cvr``, and valid ones are generated for it.
schemathesis.openapi.format("dk-cvr", st.integers(0, 10_000_000).map(synthetic_cvr))

# Schema-valid requests these operations may still refuse with 422, because the rule lives in
# data the schema cannot carry: which service types the catalogue has and which questions
# (keys, value types) each asks; whether a user name is an active coordinator; what a file
# is by its content; which departments there are, and that a period ends after it starts and
# lasts at most five years (the figures' filter). Every other operation must accept every
# schema-valid request.
DATA_DEPENDENT = {
    "GET /api/v1/stats/promises",
    "GET /api/v1/stats/accuracy",
    "POST /api/v1/inquiries",
    "POST /api/v1/cases/{reference}/screening",
    "POST /api/v1/cases/{reference}/answers",
    "POST /api/v1/cases/{reference}/documents",
    # A cursor is any base64url text to the schema, but only ours decode; a webhook's URL
    # must pass the address rules (https, public networks: integrations.addresses).
    "GET /api/v1/events",
    "POST /api/v1/webhooks",
    "PATCH /api/v1/webhooks/{subscription_id}",
    "GET /api/v1/cases",
    "GET /api/v1/cases/{reference}/messages",
    "GET /api/v1/tasks",
    "GET /api/v1/businesses",
    # If-Match must name the version stored (else 412), and the work on a case depends on
    # its state: a line that is still pending, a task not yet done, an active colleague or
    # coordinator of the right department (issue 18).
    "POST /api/v1/cases/{reference}/decision",
    "POST /api/v1/cases/{reference}/close",
    "POST /api/v1/cases/{reference}/withdraw",
    "POST /api/v1/cases/{reference}/messages",
    "POST /api/v1/cases/{reference}/deliverables",
    "PATCH /api/v1/cases/{reference}/deliverables/{deliverable_id}",
    "POST /api/v1/cases/{reference}/deliverables/{deliverable_id}/waive",
    "POST /api/v1/cases/{reference}/deliverables/{deliverable_id}/delivered",
    "POST /api/v1/tasks/{task_id}/claim",
    "POST /api/v1/tasks/{task_id}/assign",
    "POST /api/v1/tasks/{task_id}/done",
    "PUT /api/v1/businesses/{cvr}/contact-person",
    # An inspection visit's steps depend on its state (times offered only before the visit,
    # findings only after it, a slot that is still offered and in the future), and a new
    # visit on a P-number in the register.
    "GET /api/v1/visits",
    "POST /api/v1/visits",
    "PUT /api/v1/visits/{visit_id}/focus",
    "POST /api/v1/visits/{visit_id}/slots",
    "POST /api/v1/visits/{visit_id}/choice",
    "POST /api/v1/visits/{visit_id}/time",
    "POST /api/v1/visits/{visit_id}/cancel",
    "POST /api/v1/visits/{visit_id}/visited",
    "POST /api/v1/visits/{visit_id}/findings",
    "POST /api/v1/visits/{visit_id}/enforcements",
    "PUT /api/v1/visits/{visit_id}/report",
    "POST /api/v1/visits/{visit_id}/report/send",
    "POST /api/v1/visits/{visit_id}/publish",
}


@pytest.fixture
def load_schema(settings: Any) -> Callable[[str], Any]:
    """The schema as the application serves it, its requests sent with ``token`` (schemathesis
    knows the scheme, so its schema-invalid cases may also leave the token out)."""
    settings.ALLOWED_HOSTS = ["localhost"]

    def load(token: str) -> Any:
        config = schemathesis.Config.from_dict(
            {"auth": {"openapi": {"BearerToken": {"bearer": token}}}}
        )
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=config)

    return load


def _run(api_schema: Any, references: list[str], cvrs: list[str]) -> tuple[Counter[str], list[str]]:
    tried: Counter[str] = Counter()
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        path_names = {p.name for p in operation.path_parameters}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE and "reference" in path_names:
                strategy = st.one_of(
                    strategy,
                    st.sampled_from(references).flatmap(
                        lambda ref, op=operation, m=mode: op.as_strategy(
                            generation_mode=m, path_parameters={"reference": ref}
                        )
                    ),
                )
            if mode is GenerationMode.POSITIVE and "cvr" in path_names:
                strategy = st.one_of(
                    strategy,
                    st.sampled_from(cvrs).flatmap(
                        lambda cvr, op=operation, m=mode: op.as_strategy(
                            generation_mode=m, path_parameters={"cvr": cvr}
                        )
                    ),
                )
            checks = list(CHECKS)
            if mode is GenerationMode.NEGATIVE:
                checks.append(negative_data_rejection)
            elif operation.label not in DATA_DEPENDENT:
                checks.append(positive_data_acceptance)
            label = f"{operation.label} [{mode.value}]"

            try:
                _exercise(strategy, label, checks, tried)
            except Unsatisfiable:
                # No parameters and no body: nothing can be schema-invalid.
                assert mode is GenerationMode.NEGATIVE, label
            except (Exception, BaseExceptionGroup) as exc:  # reported together below
                failures.append(f"{label}: {exc}")
    return tried, failures


def _exercise(
    strategy: Any,
    label: str,
    checks: list[Callable[..., Any]],
    tried: Counter[str],
) -> None:
    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call()
        tried[f"{label} {response.status_code}"] += 1
        case.validate_response(response, checks=checks)

    check()


def _report(who: str, tried: Counter[str], seconds: float) -> None:
    """Print how many generated cases each operation got, by mode and answer status; and
    check the token worked: each operation answered a schema-valid request with more than a
    401."""
    per_operation: Counter[str] = Counter()
    for key, count in tried.items():
        per_operation[key.split(" [")[0]] += count
    print(f"\nschemathesis as {who}: {sum(tried.values())} cases in {seconds:.1f} s")
    for operation, total in sorted(per_operation.items()):
        statuses = ", ".join(
            f"{key.split('] ')[0].split('[')[1]} {key.rsplit(' ', 1)[1]}: {count}"
            for key, count in sorted(tried.items())
            if key.startswith(operation + " [")
        )
        print(f"  {total:4d}  {operation}  ({statuses})")
    for operation in per_operation:
        authenticated = [
            key
            for key in tried
            if key.startswith(f"{operation} [positive]") and not key.endswith(" 401")
        ]
        assert authenticated, f"{operation}: every schema-valid request got 401"


@pytest.fixture
def cases(make_case: Callable[..., Case]) -> list[Case]:
    return [make_case(status) for status in CaseStatus.values]


def test_every_operation_as_staff(
    load_schema: Any, token_for: Any, karen: User, cases: list[Case], business: Business
) -> None:
    started = time.monotonic()
    tried, failures = _run(
        load_schema(token_for(karen, rate_per_minute=UNLIMITED)),
        [c.reference for c in cases],
        [business.cvr],
    )
    _report("staff", tried, time.monotonic() - started)
    assert not failures, "\n\n".join(failures)


def test_every_operation_as_a_business_user(
    load_schema: Any, token_for: Any, owner: User, cases: list[Case], business: Business
) -> None:
    started = time.monotonic()
    tried, failures = _run(
        load_schema(token_for(owner, rate_per_minute=UNLIMITED)),
        [c.reference for c in cases],
        [business.cvr],
    )
    _report("business user", tried, time.monotonic() - started)
    assert not failures, "\n\n".join(failures)
