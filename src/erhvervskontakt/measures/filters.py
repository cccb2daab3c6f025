"""The one filter every measurement takes: a period and, optionally, a department, a service
type and a coordinator (issue 7). The promise dashboard, its case lists, its CSV exports and
the public page all build one, so a figure and the list behind it always agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.db.models import Q
from django.utils.translation import gettext as _

MAX_PERIOD_DAYS = 5 * 366


@dataclasses.dataclass(frozen=True)
class MeasureFilter:
    start: dt.date  # first day of the period (local date, inclusive)
    end: dt.date  # last day of the period (local date, inclusive)
    department: str = ""  # Department.code, "" for all
    service_type: str = ""  # ServiceType.code, "" for all
    coordinator: str = ""  # User.username, "" for all

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after it starts.")

    @classmethod
    def last_12_months(
        cls, today: dt.date, *, department: str = "", service_type: str = "", coordinator: str = ""
    ) -> MeasureFilter:
        """The default period: the 12 months up to and including ``today`` (local date)."""
        try:
            start = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28)
        return cls(
            start=start + dt.timedelta(days=1),
            end=today,
            department=department,
            service_type=service_type,
            coordinator=coordinator,
        )

    def case_q(self, prefix: str = "") -> Q:
        """The department / service type / coordinator part, on ``Case`` or through ``prefix``
        (e.g. ``"case__"`` from a model with a ``case`` foreign key). The period is not in
        it: each measurement says which of its dates the period applies to."""
        # The case row carries its departments and service types as ids between bars
        # ("|3|7|", Case.department_ids / service_type_ids): the filter is a pattern match
        # on the row, which the dashboard's covering indexes carry (no join per case).
        q = Q()
        for field, pk in (
            ("department_ids", self._ids[0]),
            ("service_type_ids", self._ids[1]),
        ):
            if pk is not None:
                q &= Q(**{f"{prefix}{field}__contains": f"|{pk}|"})
        if self.coordinator:
            q &= Q(**{f"{prefix}coordinator__username": self.coordinator})
        return q

    @functools.cached_property
    def _ids(self) -> tuple[int | None, int | None]:
        """The ids of the department and the service type (None: not filtered; 0: no such
        code, which matches no case). Looked up once per filter."""
        from erhvervskontakt.catalogue.models import Department, ServiceType

        found: list[int | None] = []
        for model, code in ((Department, self.department), (ServiceType, self.service_type)):
            if not code:
                found.append(None)
            else:
                found.append(
                    model.objects.filter(code=code).values_list("pk", flat=True).first() or 0
                )
        return found[0], found[1]

    def as_query(self) -> dict[str, str]:
        """The filter as URL parameters, for links from a figure to its cases and CSV."""
        query = {"fra": self.start.isoformat(), "til": self.end.isoformat()}
        for key, value in (
            ("afdeling", self.department),
            ("ydelse", self.service_type),
            ("tovholder", self.coordinator),
        ):
            if value:
                query[key] = value
        return query


FILTER_FIELDS = ("start", "end", "department", "service_type", "coordinator")


def read_filter(
    today: dt.date, **raw: str | dt.date | None
) -> tuple[MeasureFilter, dict[str, str]]:
    """The filter people asked for (``FILTER_FIELDS``: dates as ``date`` or ISO text, codes
    and a user name as text; missing or empty: the default) and what could not be used, per
    field (Danish, translated). A field that cannot be used falls back to its default: the
    dashboard shows the default's figures with the errors, the API refuses with them."""
    from erhvervskontakt.accounts.selectors import coordinator_list
    from erhvervskontakt.catalogue.selectors import department_list, service_type_list

    errors: dict[str, str] = {}
    default = MeasureFilter.last_12_months(today)
    dates: dict[str, dt.date] = {}
    for name, fallback in (("start", default.start), ("end", default.end)):
        value = raw.get(name)
        if isinstance(value, dt.date):
            dates[name] = value
            continue
        text = (value or "").strip()
        if not text:
            dates[name] = fallback
            continue
        try:
            dates[name] = dt.date.fromisoformat(text)
        except ValueError:
            errors[name] = _("Angiv en dato, fx 2026-01-31.")
            dates[name] = fallback
    if dates["end"] < dates["start"]:
        errors["end"] = _("Perioden skal slutte samme dag som eller efter, den begynder.")
        dates["start"], dates["end"] = default.start, default.end
    elif (dates["end"] - dates["start"]).days > MAX_PERIOD_DAYS:
        errors["start"] = _("Vælg en periode på højst fem år.")
        dates["start"], dates["end"] = default.start, default.end
    choices = {
        "department": lambda: {d.code for d in department_list()},
        "service_type": lambda: {st.code for st in service_type_list(active_only=False)},
        "coordinator": lambda: {u.username for u in coordinator_list()},
    }
    picked: dict[str, str] = {}
    for name, known in choices.items():
        value = str(raw.get(name) or "").strip()
        if value and value not in known():
            errors[name] = _("Vælg en værdi fra listen.")
            value = ""
        picked[name] = value
    return MeasureFilter(start=dates["start"], end=dates["end"], **picked), errors
