"""A year of case history, replayed through the real services.

Every inquiry, screening, answer, document, decision, closing and withdrawal is a call to
``cases.services`` inside ``clock.travel(moment)``, in chronological order across all cases
(a priority queue of pending steps), so timestamps, screening deadlines, estimates, the
least-loaded-coordinator rule and the timeline are exactly what the product would have
produced. Steps that would fall after the real "now" are simply not taken, which leaves the
recent cases open in whatever state they have reached.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import OPEN_STATUSES, Case, CaseStatus, Channel
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import service_type_list
from erhvervskontakt.common import clock

from . import content
from .content import CaseTemplate
from .pdf import tiny_pdf
from .people import DemoBusiness

HOURS = {  # (first hour, last hour) of local time at which each channel's inquiries arrive
    Channel.PORTAL: (7, 22),
    Channel.API: (8, 17),
    Channel.EMAIL: (7, 20),
    Channel.PHONE: (8, 15),
    Channel.LETTER: (9, 11),
    Channel.MEETING: (9, 14),
}


@dataclass
class Plan:
    """What will happen to one case; the queue turns it into service calls."""

    index: int
    biz: DemoBusiness
    template: CaseTemplate
    codes: list[str]
    channel: str
    received_at: dt.datetime
    intake_at: dt.datetime
    registrar: User  # who submits it (portal user, integration user or staff)
    uploader: User  # who sends material later
    contact: dict[str, str]
    description: str
    answers: dict[str, Any] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    later_answers: dict[str, Any] = field(default_factory=dict)
    later_documents: list[str] = field(default_factory=list)
    screen_lag: int | None = 2  # working days after receipt; None: never screened
    supply_after: int | None = 5  # working days after screening; None: never supplied
    partial_supply: bool = False
    decide: str = "on_time"  # on_time, late, never
    close: bool = True
    withdraw: str | None = None  # received, awaiting, in_progress
    change_coordinator: bool = False
    case: Case | None = None
    last: dt.datetime | None = None


class History:
    def __init__(
        self,
        *,
        rng: random.Random,
        now: dt.datetime,
        cases: int,
        staff: dict[str, User],
        businesses: list[DemoBusiness],
        progress: Callable[[], None] = lambda: None,
    ) -> None:
        self.rng = rng
        self.now = now
        self.count = cases
        self.staff = staff
        self.businesses = businesses
        self.progress = progress
        self.calendar: WorkingCalendar = working_calendar()
        self.tz = clock.local_tz()
        self.catalogue: dict[str, ServiceType] = {st.code: st for st in service_type_list()}
        self.coordinators = [u for u in staff.values() if u.is_coordinator and u.is_active]
        self.registrars = [*self.coordinators, staff[content.HEAD_USERNAME]]
        self.caseworkers: dict[int, list[User]] = {}
        for user in staff.values():
            if (
                user.department_id
                and not user.is_coordinator
                and user.username != content.HEAD_USERNAME
            ):
                self.caseworkers.setdefault(user.department_id, []).append(user)
        self.queue: list[tuple[dt.datetime, int, Callable[[Plan], None], Plan]] = []
        self.sequence = itertools.count()
        self.skipped = 0

    # --- time helpers -------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def office_time(self, day: dt.date, first: int = 8, last: int = 15) -> dt.datetime:
        return self.at(day, self.rng.randint(first, last), self.rng.randrange(0, 60))

    def working_day_at_or_after(self, day: dt.date) -> dt.date:
        return day if self.calendar.is_working_day(day) else self.calendar.add_working_days(day, 1)

    def after(self, moment: dt.datetime, day: dt.date) -> dt.datetime:
        """An office-hours time on ``day``, but never before ``moment`` (+ a few minutes)."""
        candidate = self.office_time(day)
        floor = moment + dt.timedelta(minutes=self.rng.randint(10, 90))
        return max(candidate, floor)

    def schedule(self, moment: dt.datetime, step: Callable[[Plan], None], plan: Plan) -> None:
        if moment <= self.now:
            heapq.heappush(self.queue, (moment, next(self.sequence), step, plan))

    # --- planning ------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        today = clock.local_date(self.now)
        start = today - dt.timedelta(days=362)
        made = [p for p in self._scripted(today) if p is not None]
        for index in range(len(made), self.count):
            day = start + dt.timedelta(days=self.rng.randrange(0, 362))
            plan = self._plan(index, day)
            if plan is not None:
                made.append(plan)
        return made

    def _scripted(self, today: dt.date) -> list[Plan | None]:
        """A few cases with a known fate, so every state (and overdue) is always present."""
        back = self.calendar.subtract_working_days
        return [
            # Received through the portal an hour and a half ago, not yet screened.
            self._plan(
                0,
                today,
                kind="restaurant",
                channel=Channel.PORTAL,
                at=self.now - dt.timedelta(minutes=90),
                screen_lag=None,
            ),
            # Received eight working days ago and forgotten: screening overdue.
            self._plan(1, back(today, 8), channel=Channel.LETTER, screen_lag=None),
            # Screened, waiting for the business; deliverable not due yet.
            self._plan(
                2, back(today, 5), kind="produktion", missing=2, screen_lag=2, supply_after=None
            ),
            # Waiting for the business past the deadline for the missing material.
            self._plan(3, back(today, 22), kind="byg", missing=1, screen_lag=2, supply_after=None),
            # In progress, answer estimate passed: overdue.
            self._plan(
                4, back(today, 30), template="udeservering", missing=0, screen_lag=3, decide="never"
            ),
            # In progress after a pause; estimate moved.
            self._plan(
                5,
                back(today, 40),
                template="produktionshal",
                missing=2,
                screen_lag=4,
                supply_after=12,
                decide="never",
            ),
            # Answered recently, not closed yet.
            self._plan(
                6, back(today, 14), template="raadgivning", missing=0, screen_lag=1, close=False
            ),
            # Withdrawn while waiting for material.
            self._plan(7, back(today, 45), template="vaerksted", missing=1, withdraw="awaiting"),
            # Screened late, then answered and closed.
            self._plan(8, back(today, 120), template="udeservering", screen_lag=8),
            # Screened on time, paused, answered late, closed.
            self._plan(
                9,
                back(today, 160),
                template="produktionshal",
                missing=1,
                screen_lag=3,
                supply_after=15,
                decide="late",
            ),
        ]

    def _pick_template(self, biz: DemoBusiness, template: str | None) -> CaseTemplate:
        if template:
            return next(t for t in content.TEMPLATES if t.key == template)
        fitting = [t for t in content.TEMPLATES if not t.kinds or biz.spec.kind in t.kinds]
        return self.rng.choices(fitting, weights=[t.weight for t in fitting])[0]

    def _plan(
        self,
        index: int,
        day: dt.date,
        *,
        kind: str | None = None,
        template: str | None = None,
        channel: str | None = None,
        missing: int | None = None,
        screen_lag: int | str | None = "random",
        supply_after: int | str | None = "random",
        decide: str | None = None,
        close: bool | None = None,
        withdraw: str | bool | None = False,
        at: dt.datetime | None = None,
    ) -> Plan | None:
        rng = self.rng
        pool = self.businesses
        if kind:
            pool = [b for b in pool if b.spec.kind == kind] or pool
        if template:
            chosen_t = next(t for t in content.TEMPLATES if t.key == template)
            pool = [b for b in pool if not chosen_t.kinds or b.spec.kind in chosen_t.kinds] or pool
        if channel == Channel.PORTAL:
            pool = [b for b in pool if b.portal_user is not None] or pool
        # Some businesses come often, most now and then.
        biz = rng.choices(pool, weights=[3 if i % 7 == 0 else 1 for i in range(len(pool))])[0]
        tmpl = self._pick_template(biz, template)
        codes = [c for c in tmpl.codes if c in self.catalogue]
        codes += [c for c in tmpl.optional if c in self.catalogue and rng.random() < 0.3]
        if not codes:
            return None
        if channel is None:
            if biz.portal_user is not None and rng.random() < 0.8:
                channel = Channel.PORTAL
            else:
                channel = rng.choices(
                    [Channel.EMAIL, Channel.PHONE, Channel.API, Channel.LETTER, Channel.MEETING],
                    weights=[35, 25, 25, 7, 8],
                )[0]
        if at is not None:
            received_at, intake_at = at, at
        else:
            received_at, intake_at = self._arrival(day, channel)
        if intake_at > self.now:
            received_at, intake_at = self._arrival(day - dt.timedelta(days=1), channel)
            if intake_at > self.now:
                return None
        portal_user = biz.portal_user
        if channel == Channel.PORTAL and portal_user is not None:
            registrar = uploader = portal_user
        elif channel == Channel.API:
            registrar = self.staff[content.INTEGRATION_USERNAME]
            uploader = portal_user or registrar
        else:
            registrar = rng.choice(self.registrars)
            uploader = portal_user or registrar
        if portal_user is not None:
            contact = {"name": portal_user.get_full_name(), "email": portal_user.email}
        else:
            name = content.person_name(rng)
            first = content.slug(name.split()[0])
            contact = {"name": name, "email": f"{first}@{biz.spec.domain}"}
        contact["phone"] = (
            f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
        )
        address = f"{biz.spec.address}, {biz.spec.postcode} {biz.spec.city}"
        plan = Plan(
            index=index,
            biz=biz,
            template=tmpl,
            codes=codes,
            channel=channel,
            received_at=received_at,
            intake_at=intake_at,
            registrar=registrar,
            uploader=uploader,
            contact=contact,
            description=content.describe(tmpl, rng, address),
        )
        self._material(plan, missing, address)
        if screen_lag == "random":
            screen_lag = rng.choices([1, 2, 3, 4, 5, 6, 7, 8, 9], [25, 25, 20, 12, 8, 4, 3, 2, 1])[
                0
            ]
        plan.screen_lag = screen_lag  # type: ignore[assignment]
        if supply_after == "random":
            supply_after = rng.choices(
                [2, 4, 6, 8, 10, 13, 17, 25], [10, 20, 20, 15, 12, 10, 8, 5]
            )[0]
        plan.supply_after = supply_after  # type: ignore[assignment]
        plan.partial_supply = rng.random() < 0.25
        plan.decide = decide or ("late" if rng.random() < 0.18 else "on_time")
        plan.close = close if close is not None else True
        if withdraw is False:
            withdraw = (
                rng.choice(["received", "awaiting", "awaiting", "in_progress"])
                if rng.random() < 0.1
                else None
            )
        plan.withdraw = withdraw if isinstance(withdraw, str) else None
        plan.change_coordinator = rng.random() < 0.04
        return plan

    def _arrival(self, day: dt.date, channel: str) -> tuple[dt.datetime, dt.datetime]:
        """When the municipality received it and when it was registered in the system."""
        rng = self.rng
        if channel not in (Channel.PORTAL,) or rng.random() < 0.85:
            day = self.working_day_at_or_after(day)  # portal inquiries also come at weekends
        first, last = HOURS[Channel(channel)]
        received = self.at(day, rng.randint(first, last), rng.randrange(0, 60))
        if channel in (Channel.PORTAL, Channel.API):
            return received, received
        if channel == Channel.PHONE or channel == Channel.MEETING:
            return received, received + dt.timedelta(minutes=rng.randint(15, 120))
        if channel == Channel.EMAIL:
            if received.hour >= 15:
                next_day = self.calendar.add_working_days(day, 1)
                return received, self.at(next_day, 8, rng.randrange(0, 60))
            return received, received + dt.timedelta(minutes=rng.randint(20, 180))
        # Letters are registered the same or a following working day.
        registered = self.calendar.add_working_days(day, rng.choice([0, 0, 1, 2]))
        return received, self.at(registered, rng.randint(11, 15), rng.randrange(0, 60))

    def _material(self, plan: Plan, missing: int | None, address: str) -> None:
        """Split the case's requirements into given at intake and supplied later."""
        rng = self.rng
        pairs = [(code, list(self.catalogue[code].requirements.all())) for code in plan.codes]
        by_key = rules.requirements_by_key(pairs)
        mandatory = list(rules.mandatory_requirements(pairs))
        if missing is None:
            missing = 0 if rng.random() < 0.55 else rng.choice([1, 1, 2, 3])
        missing = min(missing, len(mandatory))
        later = set(rng.sample(mandatory, missing))
        today = clock.local_date(plan.intake_at)
        for key, requirement in by_key.items():
            if not requirement.mandatory and rng.random() > 0.35:
                continue
            if requirement.kind == "document":
                (plan.later_documents if key in later else plan.documents).append(key)
                continue
            value = content.answer_value(
                key,
                requirement.value_type,
                requirement.choice_values,
                rng,
                address=address,
                industry=plan.biz.spec.industry,
                today=today,
            )
            (plan.later_answers if key in later else plan.answers)[key] = value

    # --- running -------------------------------------------------------------------------

    def run(self) -> None:
        for plan in self.plans():
            self.schedule(plan.intake_at, self.intake, plan)
        while self.queue:
            moment, _, step, plan = heapq.heappop(self.queue)
            plan.last = moment
            with clock.travel(moment):
                step(plan)

    def _document(self, plan: Plan, key: str) -> None:
        assert plan.case is not None
        label = self.catalogue_label(plan, key)
        data = tiny_pdf(label, plan.biz.spec.name, plan.case.reference)
        upload = SimpleUploadedFile(f"{key}.pdf", data, content_type="application/pdf")
        case_add_document(case=plan.case, actor=plan.uploader, upload=upload, requirement_key=key)

    def catalogue_label(self, plan: Plan, key: str) -> str:
        for code in plan.codes:
            for requirement in self.catalogue[code].requirements.all():
                if requirement.key == key:
                    return requirement.label
        return key

    def intake(self, plan: Plan) -> None:
        staff_registered = plan.registrar.is_staff and plan.channel != Channel.API
        plan.case = inquiry_submit(
            actor=plan.registrar,
            cvr=plan.biz.business.cvr,
            service_types=plan.codes,
            description=plan.description,
            contact=plan.contact,
            answers=plan.answers,
            channel=plan.channel if staff_registered else None,
            received_at=plan.received_at if staff_registered else None,
            default_channel=Channel.PORTAL if plan.channel == Channel.PORTAL else Channel.API,
        )
        self.progress()
        if plan.documents:
            self.schedule(
                clock.now() + dt.timedelta(minutes=self.rng.randint(2, 30)),
                self.intake_documents,
                plan,
            )
        if plan.withdraw == "received":
            self.schedule(
                clock.now() + dt.timedelta(hours=self.rng.randint(2, 30)), self.withdraw, plan
            )
        if plan.screen_lag is not None:
            day = self.calendar.add_working_days(
                clock.local_date(plan.received_at), plan.screen_lag
            )
            self.schedule(
                self.after(clock.now() + dt.timedelta(minutes=30), day), self.screen, plan
            )

    def intake_documents(self, plan: Plan) -> None:
        for key in plan.documents:
            if self._open(plan):
                self._document(plan, key)

    def _open(self, plan: Plan) -> bool:
        assert plan.case is not None
        plan.case.refresh_from_db(fields=["status"])
        return plan.case.status in OPEN_STATUSES

    def screen(self, plan: Plan) -> None:
        assert plan.case is not None
        plan.case.refresh_from_db()
        if plan.case.status != CaseStatus.RECEIVED:
            return
        contact = plan.case.business.contact_person
        actor = contact if contact in self.coordinators else self.rng.choice(self.coordinators)
        plan.case = case_screen(
            case=plan.case, actor=actor, note=self.rng.choice(content.SCREENING_NOTES)
        )
        today = clock.local_date(clock.now())
        if plan.change_coordinator:
            later = self.calendar.add_working_days(today, self.rng.randint(2, 10))
            self.schedule(self.office_time(later), self.change_coordinator, plan)
        if plan.case.status == CaseStatus.AWAITING_BUSINESS:
            if plan.withdraw == "awaiting":
                later = self.calendar.add_working_days(today, self.rng.randint(3, 15))
                self.schedule(self.office_time(later), self.withdraw, plan)
            elif plan.supply_after is not None:
                if plan.partial_supply and len(self._outstanding(plan)) > 1:
                    first = self.calendar.add_working_days(today, max(1, plan.supply_after // 2))
                    self.schedule(self._business_time(first), self.supply_part, plan)
                day = self.calendar.add_working_days(today, plan.supply_after)
                self.schedule(self._business_time(day), self.supply, plan)
        else:
            self._in_progress(plan, today)

    def _business_time(self, day: dt.date) -> dt.datetime:
        return self.at(day, self.rng.randint(7, 21), self.rng.randrange(0, 60))

    def _outstanding(self, plan: Plan) -> list[str]:
        return list(plan.later_answers) + plan.later_documents

    def supply_part(self, plan: Plan) -> None:
        if not self._open(plan):
            return
        keys = self._outstanding(plan)
        self._supply(plan, keys[: len(keys) // 2])

    def supply(self, plan: Plan) -> None:
        if not self._open(plan):
            return
        self._supply(plan, self._outstanding(plan))
        assert plan.case is not None
        plan.case.refresh_from_db()
        if plan.case.status == CaseStatus.IN_PROGRESS:
            self._in_progress(plan, clock.local_date(clock.now()))

    def _supply(self, plan: Plan, keys: list[str]) -> None:
        assert plan.case is not None
        answers = {k: plan.later_answers.pop(k) for k in keys if k in plan.later_answers}
        if answers:
            plan.case = case_supply_answers(case=plan.case, actor=plan.uploader, answers=answers)
        for key in [k for k in keys if k in plan.later_documents]:
            plan.later_documents.remove(key)
            self._document(plan, key)

    def _in_progress(self, plan: Plan, today: dt.date) -> None:
        assert plan.case is not None
        if plan.withdraw == "in_progress":
            later = self.calendar.add_working_days(today, self.rng.randint(3, 20))
            self.schedule(self.office_time(later), self.withdraw, plan)
            return
        if plan.decide == "never":
            return
        estimate = plan.case.estimated_answer_date
        assert estimate is not None
        if plan.decide == "late":
            day = self.calendar.add_working_days(estimate, self.rng.randint(1, 12))
        else:
            room = self.calendar.working_days_between(today, estimate)
            early = self.rng.randint(0, max(0, min(room - 1, int(room * 0.5))))
            day = self.calendar.subtract_working_days(estimate, early) if early else estimate
        self.schedule(self.after(clock.now(), day), self.decide, plan)

    def decide(self, plan: Plan) -> None:
        assert plan.case is not None
        plan.case.refresh_from_db()
        if plan.case.status != CaseStatus.IN_PROGRESS:
            return
        longest = max(
            (self.catalogue[c] for c in plan.codes), key=lambda st: st.target_working_days
        )
        actor = self.rng.choice(self.caseworkers.get(longest.department_id) or self.coordinators)
        if len({self.catalogue[c].department_id for c in plan.codes}) > 1:
            # Several departments: the coordinator gives the answer (decision 6).
            actor = plan.case.coordinator or self.rng.choice(self.coordinators)
        plan.case = case_record_decision(
            case=plan.case, actor=actor, summary=content.decision_summary(plan.codes, self.rng)
        )
        if plan.close:
            day = self.calendar.add_working_days(
                clock.local_date(clock.now()), self.rng.randint(1, 8)
            )
            self.schedule(self.office_time(day), self.close, plan)

    def close(self, plan: Plan) -> None:
        assert plan.case is not None
        plan.case.refresh_from_db()
        if plan.case.status != CaseStatus.ANSWERED:
            return
        actor = plan.case.coordinator or self.rng.choice(self.coordinators)
        case_close(case=plan.case, actor=actor)

    def withdraw(self, plan: Plan) -> None:
        if not self._open(plan):
            return
        assert plan.case is not None
        actor = (
            plan.uploader
            if not plan.uploader.is_staff
            else (plan.case.coordinator or self.rng.choice(self.coordinators))
        )
        case_withdraw(case=plan.case, actor=actor, reason=self.rng.choice(content.WITHDRAW_REASONS))

    def change_coordinator(self, plan: Plan) -> None:
        assert plan.case is not None
        plan.case.refresh_from_db()
        if plan.case.status not in OPEN_STATUSES or plan.case.coordinator is None:
            return
        others = [u for u in self.coordinators if u.pk != plan.case.coordinator_id]
        case_change_coordinator(
            case=plan.case,
            actor=self.staff[content.HEAD_USERNAME],
            coordinator=self.rng.choice(others),
            reason=self.rng.choice(
                ["Omfordeling under ferie.", "Særlig viden om branchen.", "Aflastning."]
            ),
        )
