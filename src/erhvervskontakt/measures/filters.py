"""The one filter every measurement takes: a period and, optionally, a department, a service
type and a coordinator (issue 7). The promise dashboard, its case lists, its CSV exports and
the public page all build one, so a figure and the list behind it always agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.db.models import Q


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
