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
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.measures import selectors
from erhvervskontakt.measures.accuracy import Accuracy, PromiseAccuracy, promise_accuracy
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.web import charts
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
    def accuracy(self) -> PromiseAccuracy:
        """How well the answer promises held (the same figures as the dashboard's)."""
        return promise_accuracy(self.filter)

    @property
    def confidence_percent(self) -> int:
        return round(100 * self.accuracy.confidence)

    @cached_property
    def accuracy_rows(self) -> list[AccuracyLine]:
        return [
            accuracy_line(row.service_type, row.accuracy) for row in self.accuracy.by_service_type
        ]

    @cached_property
    def accuracy_chart(self) -> SafeString:
        return accuracy_chart(self.accuracy)

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


@dataclass(frozen=True)
class AccuracyLine:
    """One service type's promises as a business reads them."""

    service_type: ServiceType
    n: int
    kept: str  # "9 ud af 10 (89 %; 95 %-interval 80–94 %)"
    slack: str  # "typisk 3 arbejdsdage før"
    late: str  # "typisk 2 arbejdsdage"; "" when none was late


def accuracy_line(service_type: ServiceType, accuracy: Accuracy) -> AccuracyLine:
    share = accuracy.kept
    kept = gettext("%(part)s af %(n)s (%(percent)s %%; 95 %%-interval %(low)s–%(high)s %%)") % {
        "part": number_format(share.part, force_grouping=True),
        "n": number_format(share.n, force_grouping=True),
        "percent": share.percent,
        "low": accuracy.low_percent,
        "high": accuracy.high_percent,
    }
    return AccuracyLine(
        service_type=service_type,
        n=share.n,
        kept=kept,
        slack=_days(accuracy.slack.median),
        late=_days(accuracy.lateness.median),
    )


def accuracy_chart(accuracy: PromiseAccuracy) -> SafeString:
    """Promised against actual working days, month by month (medians over the answered)."""
    months = accuracy.by_month
    label = {m.month: date_format(m.month, "b Y") for m in months}
    return charts.month_lines(
        charts.month_labels([m.month for m in months]),
        [
            charts.Series(gettext("Lovet"), [m.accuracy.promised.median for m in months]),
            charts.Series(
                gettext("Faktisk"), [m.accuracy.actual.median for m in months], dashed=True
            ),
        ],
        title=gettext("Lovet og faktisk svartid, median, måned for måned"),
        description="; ".join(
            gettext("%(month)s: lovet %(promised)s, faktisk %(actual)s")
            % {
                "month": label[m.month],
                "promised": _days(m.accuracy.promised.median) or "–",
                "actual": _days(m.accuracy.actual.median) or "–",
            }
            for m in months
        ),
        unit=gettext("Arbejdsdage"),
    )


@require_GET
def processing_times_page(request: HttpRequest) -> HttpResponse:
    figures = PublicFigures(clock.today())
    return render_page(
        request,
        "public/processing_times.html",
        {"figures": figures, "period": figures.filter, "cache_seconds": PUBLIC_CACHE_SECONDS},
    )
