"""The promise dashboard in the workbench (``/medarbejder/maal/``): KPI tiles, charts and
tables for a period and, optionally, a department, service type and coordinator; every
figure links to its cases; every table and every list downloads as CSV.

All staff may look: the figures are the municipality's own aggregates (much of them are on
the public page). The lists behind them show only the cases the person may see.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.selectors import coordinator_list
from erhvervskontakt.cases.selectors import timeline_version, with_list_relations
from erhvervskontakt.catalogue.selectors import department_list, service_type_list
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.common.spreadsheet import csv_cell
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.measures import selectors, trends
from erhvervskontakt.measures.accuracy import PromiseAccuracy, promise_accuracy
from erhvervskontakt.measures.filters import MeasureFilter, read_filter
from erhvervskontakt.measures.trends import MonthShare
from erhvervskontakt.surveys import selectors as survey_selectors
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data
from erhvervskontakt.workbench.dashboard_accuracy import accuracy_tables
from erhvervskontakt.workbench.dashboard_tables import (
    Satisfaction,
    Table,
    Tile,
    inspection_table,
    tables,
    tiles,
)

from .common import PER_PAGE, case_rows

# The dashboard's parameters, by the filter's fields (measures.filters.FILTER_FIELDS).
PARAMETERS = {
    "start": "fra",
    "end": "til",
    "department": "afdeling",
    "service_type": "ydelse",
    "coordinator": "tovholder",
}


def parse_filter(query: QueryDict) -> tuple[MeasureFilter, dict[str, str]]:
    """The filter from ``fra``/``til``/``afdeling``/``ydelse``/``tovholder``; what cannot be
    read falls back to the default (the last twelve months, everything) with a Danish error."""
    f, errors = read_filter(
        clock.today(), **{field: query.get(name, "") for field, name in PARAMETERS.items()}
    )
    return f, {PARAMETERS[field]: message for field, message in errors.items()}


def _linker(f: MeasureFilter) -> Any:
    base = reverse("workbench:measures_staff:cases")
    query = f.as_query()

    def link(key: str, **narrower: str) -> str:
        """The cases behind ``key``; ``narrower`` overrides filter parameters (a breakdown
        row's department, service type or coordinator)."""
        return f"{base}?{urlencode({'tal': key, **query, **narrower})}"

    return link


SATISFACTION_CACHE_SECONDS = 600


def _satisfaction(f: MeasureFilter) -> Satisfaction:
    """The satisfaction figures for ``f``, cached until a survey is sent or answered.

    They scan a period's survey answers (over a million rows at scale) while they change a
    few times a day, so they are kept in the cache under the filter, the language, the day
    and the newest invitation's and answer's ids (one index lookup each): a new survey or
    answer makes a new key, so a figure is never stale.
    """
    version = survey_selectors.survey_data_version()
    key = "measures:satisfaction:" + ":".join(
        [get_language() or "da", clock.today().isoformat(), version, urlencode(f.as_query())]
    )
    found = cache.get(key)
    if found is None:
        found = _satisfaction_now(f)
        cache.set(key, found, SATISFACTION_CACHE_SECONDS)
    return found


def _satisfaction_trend(f: MeasureFilter) -> tuple[MonthShare, ...]:
    """The overall question month by month over the 12 months up to the end of ``f``: one
    query a month, kept in the cache with the other satisfaction figures."""
    months = trends.months_up_to(f.end)
    found = []
    for first, following in zip(months, [*months[1:], None], strict=True):
        last = min(following - dt.timedelta(days=1), f.end) if following else f.end
        month = dataclasses.replace(f, start=first, end=last)
        positive, n = survey_selectors.overall_positive(month)
        found.append(MonthShare(first, positive, n))
    return tuple(found)


def _satisfaction_now(f: MeasureFilter) -> Satisfaction:
    rate = survey_selectors.response_rate(f)
    inspection_positive, inspection_answered = survey_selectors.overall_positive(
        f, occasion=Occasion.INSPECTION
    )
    return Satisfaction(
        questions=survey_selectors.satisfaction_by_question(f),
        by_department=survey_selectors.satisfaction_breakdown(f, "department"),
        by_service_type=survey_selectors.satisfaction_breakdown(f, "service_type"),
        by_coordinator=survey_selectors.satisfaction_breakdown(f, "coordinator"),
        invited=rate.invited,
        responded=rate.responded,
        inspection_positive=inspection_positive,
        inspection_answered=inspection_answered,
        trend=_satisfaction_trend(f),
    )


# The tiles' last 12 months cost about as much as the rest of the dashboard together
# (scripts/bench_measures.py: 346 ms beside the dashboard's 283 ms over 300,000 cases on
# PostgreSQL), so they are kept in the cache while nothing has happened: the key holds the
# newest timeline event's id (``timeline_version``: every change of a case writes one), so a
# figure is never stale.
TRENDS_CACHE_SECONDS = 600


def _trends(f: MeasureFilter) -> trends.Trends:
    key = "measures:trends:" + ":".join(
        [clock.today().isoformat(), str(timeline_version()), urlencode(f.as_query())]
    )
    found = cache.get(key)
    if found is None:
        found = trends.trends(f)
        cache.set(key, found, TRENDS_CACHE_SECONDS)
    return found


def _accuracy(f: MeasureFilter) -> PromiseAccuracy:
    """How well the promises held, cached like the trends (and for the same reason: a few
    scans of the period that change only when a case does)."""
    key = "measures:accuracy:" + ":".join(
        [clock.today().isoformat(), str(timeline_version()), urlencode(f.as_query())]
    )
    found = cache.get(key)
    if found is None:
        found = promise_accuracy(f)
        cache.set(key, found, TRENDS_CACHE_SECONDS)
    return found


def _visits_link(state: str) -> str:
    """The inspectors' list of visits in one state (``report_due``, ``unpublished``)."""
    return f"{reverse('workbench:inspections_staff:visits')}?{urlencode({'vis': state})}"


def _tables(f: MeasureFilter) -> tuple[list[Tile], list[Table]]:
    dashboard = selectors.promise_dashboard(f)
    satisfaction = _satisfaction(f)
    link = _linker(f)
    made = tables(dashboard, satisfaction, link)
    # After the answers and their deviation: how well the promises held.
    at = next((i + 1 for i, t in enumerate(made) if t.slug == "deviation"), len(made))
    made[at:at] = accuracy_tables(_accuracy(f), link)
    # Environmental inspection (one aggregate over the visits; its survey figure is cached
    # with the other satisfaction figures).
    figures = inspection_selectors.inspection_figures(f, today=clock.today())
    made.append(inspection_table(figures, satisfaction, _visits_link))
    return tiles(dashboard, satisfaction, link, trends.kpi_targets(), _trends(f)), made


def _csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark: what Danish Excel opens as is."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response


@staff_required
@logs_personal_data(use="view", purpose="statistics", lists=True)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    f, errors = parse_filter(request.GET)
    kpis, made = _tables(f)
    query = urlencode(f.as_query())
    return render_page(
        request,
        "workbench/dashboard/dashboard.html",
        {
            "filter": f,
            "errors": errors,
            "tiles": kpis,
            "tables": made,
            "query": query,
            "departments": department_list(),
            "service_types": service_type_list(active_only=False).order_by("name"),
            "coordinators": coordinator_list(),
            "me": request.user,
        },
        status=422 if errors else 200,
    )


@staff_required
@logs_personal_data(use="export", purpose="statistics", lists=True)
def dashboard_csv(request: HttpRequest, table: str) -> HttpResponse:
    f, _errors = parse_filter(request.GET)
    _kpis, made = _tables(f)
    found = next((t for t in made if t.slug == table), None)
    if found is None:
        raise Http404(_("Ukendt tabel."))
    return _csv_response(
        f"{table}_{f.start.isoformat()}_{f.end.isoformat()}.csv",
        found.columns,
        [[cell.csv for cell in row] for row in found.rows],
    )


CASE_CSV_HEADER = [
    "sagsnummer",
    "cvr",
    "virksomhed",
    "status",
    "tovholder",
    "modtaget",
    "screeningsfrist",
    "screenet",
    "lovet svardato",
    "besvaret",
    "servicemål",
]


@staff_required
@logs_personal_data(use="view", purpose="statistics", lists=True)
def figure_cases_view(request: HttpRequest) -> HttpResponse:
    f, errors = parse_filter(request.GET)
    key = request.GET.get("tal", "").strip()
    user: User = request.user  # type: ignore[assignment]
    try:
        if key.startswith("satisfaction."):
            _kind, _dot, rest = key.partition(".")
            question_key, _dot, outcome = rest.rpartition(".")
            cases = survey_selectors.satisfaction_cases(f, question_key, outcome, user=user)
        else:
            cases = selectors.cases_behind(f, key, user=user)
    except DomainError as error:
        return render_page(
            request,
            "workbench/refused.html",
            {"message": error.errors.get("tal") or error.message},
            status=404,
        )
    cases = cases.order_by("-received_at", "-id")
    if request.GET.get("format") == "csv":
        rows = [
            [
                c.reference,
                c.business.cvr,
                c.business.name,
                c.get_status_display(),
                c.coordinator.display_name if c.coordinator else "",
                clock.local_date(c.received_at).isoformat(),
                c.screening_due.isoformat(),
                c.screened_on.isoformat() if c.screened_on else "",
                c.promised_answer_date.isoformat() if c.promised_answer_date else "",
                c.answered_on.isoformat() if c.answered_on else "",
                c.service_target_date.isoformat() if c.service_target_date else "",
            ]
            for c in cases.select_related("business", "coordinator").iterator(chunk_size=2000)
        ]
        return _csv_response(f"sager_{key}.csv", CASE_CSV_HEADER, rows)
    page = Paginator(with_list_relations(cases), PER_PAGE).get_page(request.GET.get("side"))
    query = urlencode({"tal": key, **f.as_query()})
    return render_page(
        request,
        "workbench/dashboard/cases.html",
        {
            "filter": f,
            "errors": errors,
            "key": key,
            "page": page,
            "rows": case_rows(list(page.object_list)),
            "query": query,
            "dashboard_query": urlencode(f.as_query()),
        },
    )
