"""Every staff or integrator read of personal data logged: one row per request.

The Danish logging rule asks that every use of personal data is logged with time, user, kind
of use and the data subject or the search criterion. A view (or API operation) that shows
personal data says so with ``@logs_personal_data(use=..., purpose=...)`` and, when it is
about one case or business, names it with ``read_subject(request, case=...)``; the
decorator writes the row through ``audit.services.personal_data_read_record`` once the view
has answered. The rules:

- **One row per request**, never one per row of a list. A page about one case or business
  logs that subject (a case brings its business and its contact person's e-mail). A list
  (search results, an inbox, the cases behind a figure, a register) logs its criterion: the
  search text and the filters as given in the query string (the page number left out); a
  criterion that is an e-mail address also names that person.
- **Only a successful read** is logged: a 2xx answer. A redirect, a refusal (403), a page
  that is not there (404) or a form sent back with errors shows nothing of the subject.
- **Only staff and integrators** (``is_staff``; integrators are staff users with a token). A
  business user reading its own business is not a use by the municipality, and is not
  logged.
- **Purpose** comes from the view (screening page → screening, case page → case handling,
  inspection pages → inspection, dashboard → statistics). A view may let the person choose
  another with ``?formaal=<purpose>`` from its ``choosable`` list (search and the business
  page: the same data is looked up for screening, case handling or inspection). No page
  offers the choice in its form yet: it is for links that know why they are followed.
- **Use** comes from the view, except that a CSV answer is always an export.

Writes are not reads: a POST that changes a case is in the case's timeline with its actor
and time. ``EXEMPT`` names every staff URL and API operation that does not log and why, so
``audit/tests/test_completeness.py`` fails when a new one is neither logged nor exempt. The
Django administration's pages log through ``AdminReadLogMiddleware`` (below).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from erhvervskontakt.audit.models import Purpose, Use
from erhvervskontakt.audit.services import personal_data_read_record
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.common.middleware import current_request_id

F = TypeVar("F", bound=Callable[..., Any])

# Query parameters that page or lay out a list, not what it is about.
NOT_CRITERIA = frozenset({"side", "tidslinje", "notater", "dialog", "formaal"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ReadRule:
    """How a view's reads are logged."""

    use: str
    purpose: str
    lists: bool = False  # a list: its criterion, not a subject
    choosable: tuple[str, ...] = ()


@dataclass
class _Subject:
    case: Case | None = None
    business: Business | None = None
    person: str = ""
    criterion: str | None = None
    use: str | None = None


# The qualified names of the views and operations that log, filled in by the decorator.
LOGGING: dict[str, ReadRule] = {}

# Every staff URL (by name) and API operation (``api-v1:<operation>``) that does not log.
EXEMPT: dict[str, str] = {
    "workbench:home": "sends on to the screening queue or the inbox; shows nothing",
    "workbench:login": "the login form",
    "workbench:sso_start": "sends the browser to Entra ID; reads nothing",
    "workbench:sso_callback": "the Entra ID login's return (written to the login log)",
    "workbench:logout": "logs out (POST)",
    "workbench:register": "the empty form for an inquiry by phone or letter; its POST "
    "creates the case (timeline)",
    "workbench:screening_row": "an empty line of the screening form (htmx)",
    "workbench:case_action": "a change (POST only), in the case's timeline with who and when",
    "workbench:task_action": "a change (POST only), in the case's timeline with who and when",
    "workbench:inspections_staff:plan_current": "sends on to this year's plan",
    "workbench:inspections_staff:visit_slot_row": "an empty line of the offer form (htmx)",
    "workbench:inspections_staff:visit_action": "a change (POST only), in the case's "
    "timeline with who and when",
    "api-v1:list_service_types": "the public catalogue; no personal data",
    "api-v1:add_working_days": "calendar arithmetic; no personal data",
    "api-v1:public_stats": "the public page's aggregates; no personal data",
    "api-v1:list_webhooks": "the token's own webhook subscriptions; no personal data",
    "api-v1:get_webhook": "one of the token's own webhook subscriptions; no personal data",
    "api-v1:list_webhook_deliveries": "delivery states of the token's own webhook (event ids, "
    "HTTP status, errors); no case data",
}


def logs_personal_data(
    *,
    use: str,
    purpose: str,
    lists: bool = False,
    choosable: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """The view's successful answers to staff are logged (one row per request).

    Works on Django views and, through ``ninja.decorators.decorate_view``, on API
    operations (whose ``run`` has the same shape: request first, a response back).
    """
    if use not in Use.values or purpose not in Purpose.values:
        raise ValueError(f"Unknown use or purpose: {use!r}, {purpose!r}")
    if any(p not in Purpose.values for p in choosable):
        raise ValueError(f"Unknown purpose in {choosable!r}")
    rule = ReadRule(use=use, purpose=purpose, lists=lists, choosable=choosable)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            _record(request, rule, response)
            return response

        wrapper.personal_data_read = rule  # type: ignore[attr-defined]
        # An API operation's ``run`` is a method of the operation: named by its function.
        named = getattr(getattr(view, "__self__", None), "view_func", view)
        LOGGING[f"{named.__module__}.{named.__qualname__}"] = rule
        return cast(F, wrapper)

    return decorate


def read_subject(
    request: HttpRequest,
    *,
    case: Case | None = None,
    business: Business | None = None,
    person: str = "",
    criterion: str | None = None,
    use: str | None = None,
) -> None:
    """Name what this request reads: a case (with its business and contact person), a
    business, a person; or the criterion of a list when it is not the query string."""
    subject = _Subject(case=case, business=business, person=person, criterion=criterion, use=use)
    request._personal_data_subject = subject  # type: ignore[attr-defined]


def query_criterion(request: HttpRequest) -> str:
    """The filters of a list as given: ``q=borde&status=open`` (paging left out)."""
    parts = [
        f"{key}={value}"
        for key in sorted(request.GET)
        if key not in NOT_CRITERIA
        for value in request.GET.getlist(key)
        if value.strip()
    ]
    return "&".join(parts)


def _reader(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user if getattr(user, "is_staff", False) else None


def _record(request: HttpRequest, rule: ReadRule, response: Any) -> None:
    if not isinstance(response, HttpResponseBase) or not 200 <= response.status_code < 300:
        return
    if getattr(request, "_personal_data_logged", False):
        return  # one row per request, also when a logging view calls another
    user = _reader(request)
    if user is None:
        return
    subject: _Subject = getattr(request, "_personal_data_subject", None) or _Subject()
    criterion = subject.criterion
    if criterion is None:
        criterion = query_criterion(request) if rule.lists else ""
    person = subject.person
    if not person and rule.lists:
        values = (v.strip() for key in request.GET for v in request.GET.getlist(key))
        person = next((v for v in values if _EMAIL.match(v)), "")
    use = subject.use or rule.use
    if response.get("Content-Type", "").startswith("text/csv"):
        use = Use.EXPORT
    chosen = request.GET.get("formaal", "")
    purpose = chosen if chosen in rule.choosable else rule.purpose
    match = getattr(request, "resolver_match", None)
    personal_data_read_record(
        user=user,
        use=use,
        purpose=purpose,
        business=subject.business,
        case=subject.case,
        person=person,
        criterion=criterion,
        route=match.view_name if match is not None else request.path,
        request_id=getattr(request, "request_id", "") or current_request_id(),
    )
    request._personal_data_logged = True  # type: ignore[attr-defined]


# --- the administration -----------------------------------------------------------------

# Admin pages that show no one's data: the index, the app lists, the admin's own password
# pages, its JavaScript catalogue.
ADMIN_WITHOUT_DATA = frozenset(
    {
        "admin:index",
        "admin:app_list",
        "admin:jsi18n",
        "admin:login",
        "admin:logout",
        "admin:password_change",
        "admin:password_change_done",
    }
)
_ADMIN_PAGE = re.compile(r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<page>[a-z]+)$")


class AdminReadLogMiddleware:
    """The Django administration's pages are staff reads too (purpose: administration): a
    successful page of a model's list (its filters are the criterion), one object (a case
    or a business names that subject; any other object by its model and key) or its history
    writes one row. A change saved through the admin is a POST that redirects: not a read.
    The read log's own pages are logged like any other (who looked at the lookups)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.namespace == "admin"
            and match.view_name not in ADMIN_WITHOUT_DATA
            and 200 <= response.status_code < 300
        ):
            self._log(request, match.view_name, match.kwargs, response)
        return response

    @staticmethod
    def _log(
        request: HttpRequest, view_name: str, kwargs: dict[str, Any], response: HttpResponseBase
    ) -> None:
        page = _ADMIN_PAGE.match(view_name)
        subject = _Subject(criterion=query_criterion(request))
        if page is not None and kwargs.get("object_id"):
            model, key = f"{page['app']}.{page['model']}", str(kwargs["object_id"])
            subject.criterion = f"{model}:{key}"
            if model == "cases.case" and key.isdigit():
                subject.case = Case.objects.select_related("business").filter(pk=key).first()
                subject.business = subject.case.business if subject.case else None
            elif model == "businesses.business" and key.isdigit():
                subject.business = Business.objects.filter(pk=key).first()
        request._personal_data_subject = subject  # type: ignore[attr-defined]
        rule = ReadRule(use=Use.VIEW, purpose=Purpose.ADMINISTRATION, lists=True)
        _record(request, rule, response)
