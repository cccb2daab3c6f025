"""The simulator: a year of inquiries through the real services, with the clock travelled, to
prove that the learned promises hold (issue 17).

Each inquiry is submitted, screened, waits for missing material, is worked in its
departments' queues and answered, by the same services the portal and the workbench call
(``clock.travel`` sets the time, as the demo loader does). Every working night the worker's
refresh (``estimates.services.promise_estimates_refresh``) learns from what the database
holds by then, and screening proposes what it learned: the promise is the product's own.

Scored on the promises that matured in the scored months (fit on the months before): the
promise's date passed, the case answered by then or not. Beside ours, on the same simulated
cases, two promises that were never made but could have been: the fixed target, and the
naive P90 of the cases closed so far (which forgets the open ones). Everything in net working
days: the days a case waited for the business move every promise alike.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import Case, CaseStatus
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.estimates.accuracy import acceptance_band, clopper_pearson
from erhvervskontakt.estimates.selectors import months_before, promised_date
from erhvervskontakt.estimates.services import promise_estimates_refresh

from . import content
from .catalogue import load_catalogue
from .pdf import tiny_pdf
from .people import DemoBusiness, load_businesses, load_staff
from .scenarios import SEASON, Scenario

START = dt.date(2025, 1, 6)  # a Monday; the run lies wholly in the past
CONTACT = {
    "name": "Simon Simulator",
    "email": "simulator@erhverv.example",
    "phone": "+45 70 00 00 00",
}
NAIVE_MIN_CLOSED = 30


@dataclass
class Simulated:
    """One inquiry as the simulation knows it (the truth) beside what the product did."""

    number: int
    codes: list[str]
    received: dt.date
    screen_on: dt.date
    work: dict[str, float]  # working days of work per service type
    missing: str | None  # the requirement withheld at intake, supplied later
    supply_after: int = 0
    case: Case | None = None
    screened_on: dt.date | None = None
    promised_days: int | None = None  # net working days, as the product promised
    fixed_days: int = 0
    naive_days: int = 0
    paused: int = 0
    answered_on: dt.date | None = None
    finish: dict[str, int] = field(default_factory=dict)  # working-day index per type


@dataclass(frozen=True)
class Promises:
    """One way of promising, scored on the promises of it that matured."""

    matured: int
    kept: int
    median_slack: float | None  # on hits: working days to spare
    median_lateness: float | None  # on misses

    @property
    def hit_rate(self) -> float | None:
        return self.kept / self.matured if self.matured else None


class Simulation:
    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int,
        progress: Callable[[int, int], None] = lambda done, total: None,
    ) -> None:
        self.scenario = scenario
        self.rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
        self.seed = seed
        self.progress = progress
        self.calendar: WorkingCalendar = working_calendar()
        self.tz = clock.local_tz()
        self.end = _add_months(START, scenario.months)
        self.score_from = _add_months(START, scenario.score_from_month - 1)
        self.days = self._working_days(START, self.end + dt.timedelta(days=400))
        self.index = {day: i for i, day in enumerate(self.days)}
        self.queue: list[tuple[dt.datetime, int, Callable[[Simulated], None], Simulated]] = []
        self.sequence = itertools.count()
        self.cases: list[Simulated] = []
        self.refreshes = 0
        self._naive_days: dict[tuple[dt.date, frozenset[str]], int | None] = {}

    # --- the world ------------------------------------------------------------------------

    def prepare(self) -> None:
        """The demo municipality's catalogue, staff and businesses; only the scenario's
        service types stay active (the others would only be refreshed to no purpose)."""
        load_catalogue()
        self.staff = load_staff(make_password(None))
        self.businesses: list[DemoBusiness] = [
            b for b in load_businesses(make_password(None)) if b.portal_user is not None
        ]
        codes = {t.code for t in self.scenario.types} | {"raaden-over-vejareal"}
        ServiceType.objects.exclude(code__in=codes).update(active=False)
        self.catalogue = {st.code: st for st in ServiceType.objects.filter(code__in=codes)}
        self.department = {code: st.department.code for code, st in self.catalogue.items()}
        self.coordinators = [u for u in self.staff.values() if u.is_coordinator and u.is_active]
        self.caseworkers: dict[str, list[User]] = {}
        for user in self.staff.values():
            if user.department is not None and not user.is_coordinator and not user.is_head_of_unit:
                self.caseworkers.setdefault(user.department.code, []).append(user)
        self.slots = self._slots()
        self.free: dict[str, list[int]] = {d: [0] * n for d, n in self.slots.items()}

    def _slots(self) -> dict[str, int]:
        """Each department's parallel slots: busy ``utilisation`` of the time at the base
        arrival rate (mean work × arrivals per working day / utilisation)."""
        per_day = self.scenario.per_year / 250
        load: dict[str, float] = {}
        for model in self.scenario.types:
            mean = _mean_work(model)
            department = self.department[model.code]
            load[department] = load.get(department, 0.0) + per_day * model.share * mean
            if model.with_road:
                road = self.department["raaden-over-vejareal"]
                road_mean = _mean_work(self._model("raaden-over-vejareal"))
                load[road] = (
                    load.get(road, 0.0) + per_day * model.share * model.with_road * road_mean
                )
        return {
            d: max(self.scenario.min_slots, math.ceil(x / self.scenario.utilisation))
            for d, x in load.items()
        }

    def _model(self, code: str) -> Any:
        return next(m for m in self.scenario.types if m.code == code)

    # --- time -----------------------------------------------------------------------------

    def _working_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days, day = [], first
        while day <= last:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def schedule(
        self, moment: dt.datetime, step: Callable[[Simulated], None], sim: Simulated
    ) -> None:
        heapq.heappush(self.queue, (moment, next(self.sequence), step, sim))

    # --- planning -------------------------------------------------------------------------

    def plan(self) -> list[Simulated]:
        """The arrivals (Poisson per working day, seasonal, growing where the scenario says),
        each with its service types, work times, screening day and missing material."""
        scenario, rng = self.scenario, self.rng
        base = scenario.per_year / 250
        weights = [m.share for m in scenario.types]
        made: list[Simulated] = []
        for day in self.days:
            if day >= self.end:
                break
            month = _month_number(day)
            rate = base * SEASON[day.month - 1]
            if scenario.growth_from_month and month >= scenario.growth_from_month:
                rate *= scenario.growth
            for _ in range(_poisson(rng, rate)):
                model = rng.choices(scenario.types, weights)[0]
                codes = [model.code]
                if model.with_road and rng.random() < model.with_road:
                    codes.append("raaden-over-vejareal")
                lag = rng.choices([0, 1, 2, 3, 4, 5, 6, 7], [25, 30, 20, 12, 7, 3, 2, 1])[0]
                screen_on = self.days[min(self.index[day] + lag, len(self.days) - 1)]
                work = {code: self._work(self._model(code), screen_on) for code in codes}
                missing = None
                if rng.random() < scenario.missing_share:
                    missing = self._withheld(codes)
                low, high = scenario.missing_days
                made.append(
                    Simulated(
                        number=len(made),
                        codes=codes,
                        received=day,
                        screen_on=screen_on,
                        work=work,
                        missing=missing,
                        supply_after=rng.randint(low, high) if missing else 0,
                    )
                )
        return made

    def _work(self, model: Any, day: dt.date) -> float:
        rng = self.rng
        work = model.median * math.exp(rng.gauss(0, model.sigma))
        if rng.random() < model.complicated:
            work *= model.complication
        if self._stepped(self.department[model.code], day):
            work *= self.scenario.step_factor
        return max(0.5, work)

    def _stepped(self, department: str, day: dt.date) -> bool:
        s = self.scenario
        return bool(
            s.step_department == department and s.step_month and _month_number(day) >= s.step_month
        )

    def _withheld(self, codes: list[str]) -> str | None:
        """A mandatory field the business leaves out at intake (none: nothing to miss)."""
        for code in codes:
            for requirement in self.catalogue[code].requirements.all():
                if requirement.mandatory and requirement.kind == "field":
                    return str(requirement.key)
        return None

    # --- running --------------------------------------------------------------------------

    def run(self) -> None:
        self.prepare()
        self.cases = self.plan()
        for sim in self.cases:
            self.schedule(self.at(sim.received, 9, self.rng.randrange(0, 60)), self.intake, sim)
        for day in self.days:
            if day > self.end:
                break
            self.schedule(self.at(day, 5), self.refresh, Simulated(-1, [], day, day, {}, None))
        done = 0
        while self.queue:
            moment, _, step, sim = heapq.heappop(self.queue)
            if moment.date() > self.end:
                break
            with clock.travel(moment):
                step(sim)
            if step == self.intake:
                done += 1
                self.progress(done, len(self.cases))

    def refresh(self, marker: Simulated) -> None:
        """The worker's nightly refresh, on the history up to yesterday."""
        promise_estimates_refresh(as_of=marker.received - dt.timedelta(days=1))
        self.refreshes += 1

    def intake(self, sim: Simulated) -> None:
        business = self.businesses[sim.number % len(self.businesses)]
        answers: dict[str, Any] = {}
        documents: list[str] = []
        pairs = [(code, list(self.catalogue[code].requirements.all())) for code in sim.codes]
        for key, requirement in rules.requirements_by_key(pairs).items():
            if not requirement.mandatory or key == sim.missing:
                continue
            if requirement.kind == "document":
                documents.append(key)
                continue
            answers[key] = self._answer(requirement, business, sim.received)
        assert business.portal_user is not None
        sim.case = inquiry_submit(
            actor=business.portal_user,
            cvr=business.business.cvr,
            service_types=sim.codes,
            description=f"Simuleret henvendelse nr. {sim.number + 1}.",
            contact=dict(CONTACT),
            answers=answers,
        )
        for key in documents:
            upload = SimpleUploadedFile(f"{key}.pdf", tiny_pdf(key), content_type="application/pdf")
            case_add_document(
                case=sim.case, actor=business.portal_user, upload=upload, requirement_key=key
            )
        self.schedule(self.at(sim.screen_on, 10, self.rng.randrange(0, 60)), self.screen, sim)

    def _answer(self, requirement: Any, business: DemoBusiness, today: dt.date) -> Any:
        """What this business answers to a field requirement (the demo's plausible values)."""
        return content.answer_value(
            requirement.key,
            requirement.value_type,
            requirement.choice_values,
            self.rng,
            address=business.spec.address,
            industry=business.spec.industry,
            today=today,
        )

    def screen(self, sim: Simulated) -> None:
        assert sim.case is not None
        contact = sim.case.business.contact_person
        actor = contact if contact in self.coordinators else self.rng.choice(self.coordinators)
        sim.case = case_screen(case=sim.case, actor=actor)
        today = clock.today()
        sim.screened_on = today
        assert sim.case.estimate_at_screening is not None
        sim.promised_days = self.calendar.working_days_between(
            today, sim.case.estimate_at_screening
        )
        sim.fixed_days = max(self.catalogue[c].target_working_days for c in sim.codes)
        sim.naive_days = self._naive(sim, today)
        if sim.case.status == CaseStatus.AWAITING_BUSINESS:
            day = self.days[self.index[today] + sim.supply_after]
            self.schedule(self.at(day, 14, self.rng.randrange(0, 60)), self.supply, sim)
        else:
            self._start_work(sim, today)

    def supply(self, sim: Simulated) -> None:
        assert sim.case is not None and sim.missing is not None
        business = self.businesses[sim.number % len(self.businesses)]
        assert business.portal_user is not None
        requirement = next(
            r
            for code in sim.codes
            for r in self.catalogue[code].requirements.all()
            if r.key == sim.missing
        )
        sim.case = case_supply_answers(
            case=sim.case,
            actor=business.portal_user,
            answers={requirement.key: self._answer(requirement, business, clock.today())},
        )
        sim.paused = sim.case.paused_working_days
        if sim.case.status == CaseStatus.IN_PROGRESS:
            self._start_work(sim, clock.today())

    def _start_work(self, sim: Simulated, today: dt.date) -> None:
        """Each service type joins its department's queue (first come, first served); the
        case is answered when its slowest part is done."""
        start = self.index[today]
        for code in sim.codes:
            department = self.department[code]
            free = self.free[department]
            if self._stepped(department, today) and len(free) == self.slots[department]:
                free.extend(
                    [start] * round(self.slots[department] * (self.scenario.step_factor - 1))
                )
            slot_free = heapq.heappop(free)
            begin = max(start, slot_free)
            finish = begin + max(1, math.ceil(sim.work[code]))
            heapq.heappush(free, finish)
            sim.finish[code] = finish
        last = max(sim.finish.values())
        day = self.days[min(last, len(self.days) - 1)]
        self.schedule(self.at(day, 13, self.rng.randrange(0, 60)), self.answer, sim)

    def answer(self, sim: Simulated) -> None:
        assert sim.case is not None
        codes = sim.codes
        departments = {self.department[c] for c in codes}
        if len(departments) > 1:
            actor = sim.case.coordinator or self.rng.choice(self.coordinators)
        else:
            actor = self.rng.choice(self.caseworkers.get(departments.pop()) or self.coordinators)
        sim.case = case_record_decision(
            case=sim.case, actor=actor, summary=content.decision_summary(codes, self.rng)
        )
        sim.answered_on = clock.today()

    # --- the naive promise ----------------------------------------------------------------

    def _naive(self, sim: Simulated, today: dt.date) -> int:
        """The P90 of the cases of the same service types closed so far in the window, open
        ones forgotten; the fixed target while fewer than 30 are closed. The same on one day
        for the same service types, so computed once for them (at national volume, tens of
        thousands of inquiries, once per case would be quadratic)."""
        key = (today, frozenset(sim.codes))
        if key not in self._naive_days:
            self._naive_days[key] = self._naive_p90(set(sim.codes), today)
        found = self._naive_days[key]
        return sim.fixed_days if found is None else found

    def _naive_p90(self, wanted: set[str], today: dt.date) -> int | None:
        start = months_before(today, 12)
        durations = sorted(
            self.calendar.working_days_between(other.screened_on, other.answered_on) - other.paused
            for other in self.cases
            if other.answered_on is not None
            and other.screened_on is not None
            and other.screened_on >= start
            and wanted & set(other.codes)
        )
        if len(durations) < NAIVE_MIN_CLOSED:
            return None
        return int(durations[math.ceil(0.9 * len(durations)) - 1])

    # --- scoring --------------------------------------------------------------------------

    def score(
        self, days_of: Callable[[Simulated], int | None], *, since: dt.date | None = None
    ) -> tuple[Promises, list[tuple[dt.date, bool]]]:
        """Score one way of promising on its promises that matured in the scored months (from
        ``since`` instead, if given); with each matured promise's date and whether it held."""
        first = self.score_from if since is None else since
        outcomes: list[tuple[dt.date, bool]] = []
        slack: list[int] = []
        late: list[int] = []
        for sim in self.cases:
            days = days_of(sim)
            if sim.screened_on is None or days is None:
                continue
            due = promised_date(
                self.calendar.add_working_days(sim.screened_on, days), sim.paused, self.calendar
            )
            if not (first <= due < self.end):
                continue
            kept = sim.answered_on is not None and sim.answered_on <= due
            outcomes.append((due, kept))
            if kept:
                assert sim.answered_on is not None
                slack.append(self.calendar.working_days_between(sim.answered_on, due))
            elif sim.answered_on is not None:
                late.append(self.calendar.working_days_between(due, sim.answered_on))
            else:
                late.append(self.calendar.working_days_between(due, self.end))
        kept_count = sum(1 for _, kept in outcomes if kept)
        return (
            Promises(
                matured=len(outcomes),
                kept=kept_count,
                median_slack=statistics.median(slack) if slack else None,
                median_lateness=statistics.median(late) if late else None,
            ),
            outcomes,
        )

    def trailing_weeks(
        self, outcomes: list[tuple[dt.date, bool]]
    ) -> list[tuple[dt.date, list[bool]]]:
        """Each week from the fourth on, with the outcomes of the promises that matured in the
        four weeks before it."""
        weeks = []
        until = START + dt.timedelta(weeks=4)
        while until <= self.end:
            weeks.append(
                (until, [k for due, k in outcomes if until - dt.timedelta(weeks=4) <= due < until])
            )
            until += dt.timedelta(weeks=1)
        return weeks

    def weekly_coverage(self) -> list[dict[str, Any]]:
        """Each week from the fourth on: the learned promises that matured in the trailing
        four weeks, how many were kept, and whether that lies in the band of the promised
        share."""
        _, outcomes = self.score(lambda sim: sim.promised_days, since=START)
        target = self.confidence()
        return [
            {
                "week_ending": until.isoformat(),
                "matured": len(window),
                "kept": sum(window),
                "inside_band": bool(window)
                and acceptance_band(len(window), target).holds(sum(window)),
            }
            for until, window in self.trailing_weeks(outcomes)
        ]

    def weeks_to_recover(self) -> int | None:
        """Weeks from the step change until the promises maturing in the trailing four weeks
        are kept inside the band of the promised share again, two weeks running, after having
        fallen out of it (0: they never fell out; None: no step, or not back by the end)."""
        if not self.scenario.step_month:
            return None
        change = _add_months(START, self.scenario.step_month - 1)
        after = [
            row
            for row in self.weekly_coverage()
            if dt.date.fromisoformat(row["week_ending"]) > change
        ]
        out = next((i for i, row in enumerate(after) if not row["inside_band"]), None)
        if out is None:
            return 0
        for i in range(out + 1, len(after) - 1):
            if after[i]["inside_band"] and after[i + 1]["inside_band"]:
                return i + 1
        return None

    def confidence(self) -> float:
        """The share the promises are meant to hold for."""
        return float(getattr(settings, "PROMISE_CONFIDENCE", 0.9))

    def report(self) -> dict[str, Any]:
        ours, _ = self.score(lambda sim: sim.promised_days)
        fixed, _ = self.score(lambda sim: sim.fixed_days)
        naive, _ = self.score(lambda sim: sim.naive_days)
        target = self.confidence()
        band = acceptance_band(ours.matured, target)
        naive_band = acceptance_band(naive.matured, target)
        low, high = clopper_pearson(ours.kept, ours.matured)
        screened = [s for s in self.cases if s.screened_on is not None]
        on_time = sum(
            1
            for s in screened
            if s.screened_on is not None
            and self.calendar.working_days_between(s.received, s.screened_on) <= 5
        )
        bases: dict[str, int] = {}
        by_type: dict[str, dict[str, int]] = {}
        for sim in self.cases:
            if sim.case is not None and sim.case.estimate_basis:
                kind = str(sim.case.estimate_basis.get("basis"))
                bases[kind] = bases.get(kind, 0) + 1
                for code, line in sim.case.estimate_basis.get("lines", {}).items():
                    counts = by_type.setdefault(code, {})
                    counts[line["basis"]] = counts.get(line["basis"], 0) + 1
        figures: dict[str, Any] = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "inquiries": len(self.cases),
            "answered": sum(1 for s in self.cases if s.answered_on is not None),
            "refreshes": self.refreshes,
            "confidence": target,
            "matured": ours.matured,
            "kept": ours.kept,
            "hit_rate": ours.hit_rate,
            "band_low": band.low,
            "band_high": band.high,
            "inside_band": band.holds(ours.kept),
            "hit_rate_exact_low": low,
            "hit_rate_exact_high": high,
            "median_slack_working_days": ours.median_slack,
            "median_lateness_working_days": ours.median_lateness,
            "screened_on_time_rate": on_time / len(screened) if screened else None,
            "fixed_target_matured": fixed.matured,
            "fixed_target_hit_rate": fixed.hit_rate,
            "fixed_target_median_slack_working_days": fixed.median_slack,
            "naive_closed_p90_matured": naive.matured,
            "naive_closed_p90_hit_rate": naive.hit_rate,
            "naive_closed_p90_inside_band": naive_band.holds(naive.kept),
            "naive_closed_p90_below_band": naive.kept < naive_band.kept_low,
            "promise_bases": bases,
            "bases_by_service_type": by_type,
            "department_slots": self.slots,
        }
        figures["weekly_coverage"] = self.weekly_coverage()
        if self.scenario.step_month:
            figures["weeks_to_recover"] = self.weeks_to_recover()
        return figures


def run_scenario(
    scenario: Scenario, *, seed: int, progress: Callable[[int, int], None] = lambda d, t: None
) -> Simulation:
    """Run ``scenario`` with ``seed`` in the current database (which it fills)."""
    simulation = Simulation(scenario, seed=seed, progress=progress)
    simulation.run()
    return simulation


def _mean_work(model: Any) -> float:
    plain = model.median * math.exp(model.sigma**2 / 2)
    return plain * (1 + model.complicated * (model.complication - 1))


def _poisson(rng: random.Random, rate: float) -> int:
    """Knuth's method (rates here are a few a day)."""
    limit, count, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) if months else day


def _month_number(day: dt.date) -> int:
    """The simulation month (1-based) that ``day`` lies in."""
    return (day.year - START.year) * 12 + day.month - START.month + 1
