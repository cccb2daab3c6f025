"""The staff's survey comments page (``/medarbejder/tilfredshed/``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.surveys import selectors
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.readlog import logs_personal_data

from .common import paginate


def _period(request: HttpRequest) -> tuple[MeasureFilter, str]:
    """The period from ``fra``/``til`` (ISO dates); the last 12 months if absent or wrong."""
    today = clock.today()
    default = MeasureFilter(start=today - dt.timedelta(days=364), end=today)
    start_text = request.GET.get("fra", "").strip()
    end_text = request.GET.get("til", "").strip()
    if not start_text and not end_text:
        return default, ""
    try:
        start = dt.date.fromisoformat(start_text) if start_text else default.start
        end = dt.date.fromisoformat(end_text) if end_text else default.end
    except ValueError:
        return default, _("Angiv datoerne som fx 2026-01-31. Viser de seneste 12 måneder.")
    if end < start:
        return default, _("Perioden skal slutte på eller efter den dag, den begynder.")
    return MeasureFilter(start=start, end=end), ""


@staff_required
@logs_personal_data(use="view", purpose="statistics", lists=True)
def staff_comments(request: HttpRequest) -> HttpResponse:
    """The businesses' comments from the surveys in a period, newest first."""
    period, error = _period(request)
    page = paginate(request, selectors.comments(period, user=request.user))  # type: ignore[arg-type]
    query = f"fra={period.start.isoformat()}&til={period.end.isoformat()}"
    return render(
        request,
        "workbench/surveys/staff_comments.html",
        {
            "municipality": municipality(),
            "page": page,
            "period": period,
            "error": error,
            "query_prefix": query,
        },
        status=200,
    )
