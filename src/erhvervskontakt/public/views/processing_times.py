"""The public page of processing times (``/sagsbehandlingstider/``, issue 7): how long it
takes to get an answer, whether the screening promise is kept, and how satisfied businesses
are — the transparency a business wants before it applies. No login.

The figures are computed only when the page's cached part has expired (Django's cache, a
few minutes, one entry per language; ``{% cache %}`` in the template): ``PublicFigures``
computes each on first use, so a cached page asks the database for nothing but the layout.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.measures import selectors
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.web.pages import render_page

PUBLIC_CACHE_SECONDS = 300


class PublicFigures:
    """The page's figures over the last 12 months, each computed when first read."""

    def __init__(self, today: dt.date) -> None:
        self.filter = MeasureFilter.last_12_months(today)

    @cached_property
    def processing_times(self) -> list[PublicRow]:
        return public_rows(selectors.processing_times(self.filter))

    @cached_property
    def screening(self) -> selectors.ScreeningFigures:
        return selectors.screening(self.filter)

    @cached_property
    def satisfaction(self) -> selectors.Share:
        """Businesses positive about the matter overall, of those who answered the survey."""
        from erhvervskontakt.surveys.selectors import overall_positive

        positive, n = overall_positive(self.filter)
        return selectors.Share(positive, n, "satisfaction.positive", "satisfaction.answered")

    @cached_property
    def inspection_satisfaction(self) -> selectors.Share:
        """Businesses positive about their environmental inspection, of those who answered
        the survey after a visit."""
        from erhvervskontakt.surveys.models import Occasion
        from erhvervskontakt.surveys.selectors import overall_positive

        positive, n = overall_positive(self.filter, occasion=Occasion.INSPECTION)
        return selectors.Share(positive, n, "satisfaction.positive", "satisfaction.answered")


@dataclass(frozen=True)
class PublicRow:
    """One service type's line in the table, its figures written out."""

    service_type: ServiceType
    n: int
    median: str  # "" when n == 0
    p80: str
    within_target: str  # "" when n == 0


def whole_days(value: float) -> int:
    """A number of days as a business reads it on a public page: whole days, rounded to
    the nearest, a half up (18,5 → 19; 18,4 → 18), as one rounds in Danish school
    arithmetic — not Python's ``round``, which rounds a half to the even number (18,5 → 18)."""
    return math.floor(value + 0.5)


def _days(value: float | None) -> str:
    if value is None:
        return ""
    days = whole_days(value)
    return ngettext("%(days)s arbejdsdag", "%(days)s arbejdsdage", days) % {
        "days": number_format(days, force_grouping=True)
    }


def _within_target(row: selectors.ProcessingTimeRow) -> str:
    target = row.service_type.service_target_days
    if target is None:
        return gettext("Intet nationalt servicemål")
    share = row.within_target
    if share.percent is None:
        return gettext("Ingen sager med servicemål endnu")
    return gettext("%(percent)s %% inden for %(target)s dage (n = %(n)s)") % {
        "percent": share.percent,
        "target": target,
        "n": number_format(share.n, force_grouping=True),
    }


def public_rows(rows: tuple[selectors.ProcessingTimeRow, ...]) -> list[PublicRow]:
    return [
        PublicRow(
            service_type=row.service_type,
            n=row.working_days.n,
            median=_days(row.working_days.median),
            p80=_days(row.working_days.p80),
            within_target=_within_target(row) if row.working_days.n else "",
        )
        for row in rows
    ]


@require_GET
def processing_times_page(request: HttpRequest) -> HttpResponse:
    figures = PublicFigures(clock.today())
    return render_page(
        request,
        "public/processing_times.html",
        {"figures": figures, "period": figures.filter, "cache_seconds": PUBLIC_CACHE_SECONDS},
    )
