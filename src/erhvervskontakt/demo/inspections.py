"""The demo's environmental inspection register: about 200 production units of the demo
businesses in categories 1a, 1b and 2, each with a risk assessment (some with an older one
too) and the inspections of the last years, so ``plan_inspections`` for next year has a
register to plan from (about 20 % 1a, 25 % 1b, the rest category 2; a few bilag-2 units that
start operations around the new year and need their start-up inspection).

Made through the real services (``businesses.services.production_unit_register``,
``inspections.services``), so the register, the history and the business's log are what the
product makes. Inspections and assessments are dated before today, as the services require.

After the register, a dozen inspection visits in every state (``load_visits``): opened, times
offered, booked by the business or fixed by the inspector, carried out with findings (agreed
solutions in the business's delivery plan, one of them overdue) and one with an order,
reports due soon and overdue, reports sent (with the survey after the visit, mostly answered)
and published, and one cancelled. Each step is replayed under ``clock.travel`` at least a
day before now, so nothing is e-mailed; the offered and booked times lie ahead.
"""

from __future__ import annotations

import datetime as dt
import random

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, Membership, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.lifecycle import case_close
from erhvervskontakt.cases.services.plan import deliverable_mark_delivered
from erhvervskontakt.common import clock
from erhvervskontakt.inspections import rules
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.register import (
    inspection_record,
    register_entry_add,
    risk_assessment_record,
)
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import (
    visit_cancel,
    visit_choose_slot,
    visit_create,
    visit_fix_time,
    visit_offer_slots,
)
from erhvervskontakt.surveys import services as survey_services
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.selectors import survey_wanted

UNITS = 200
P_NUMBER_BASE = 1_017_300_000  # demo P-numbers: 10 digits, unique, clearly synthetic
INSPECTORS = ("soeren", "rikke", "thomas")
SITE_NAMES = [
    "Produktion", "Lager", "Værksted", "Lakeringshal", "Vaskehal", "Svejseværksted",
    "Pladsen", "Afdeling Nord", "Afdeling Syd", "Tankanlæg", "Montagehal", "Depot",
]  # fmt: skip
STREETS = [
    "Hvidkærvej", "Stærmosegårdsvej", "Rugårdsvej", "Middelfartvej", "Tietgenbyen",
    "Havnegade", "Østerbro", "Bogensevej", "Risingsvej", "Lumbyvej", "Sivlandvænget",
]  # fmt: skip
CATEGORY_WEIGHTS = {rules.CATEGORY_1A: 20, rules.CATEGORY_1B: 25, rules.CATEGORY_2: 55}
# Score parameters lean higher for category 1a (more risk, stricter follow-up).
PARAMETER_WEIGHTS = {
    rules.CATEGORY_1A: (20, 45, 35),
    rules.CATEGORY_1B: (35, 45, 20),
    rules.CATEGORY_2: (55, 35, 10),
}
JUSTIFICATIONS = {
    "a": {1: "Certificeret miljøledelse (ISO 14001).", 3: "Enkelte skriftlige procedurer.",
          5: "Ingen miljøledelse eller procedurer."},
    "b": {1: "Ingen håndhævelser ved seneste tilsyn.", 3: "Én indskærpelse, fulgt op rettidigt.",
          5: "Gentagne påbud og manglende opfølgning."},
    "c": {1: "Små mængder, korrekt opbevaret.", 3: "Oplag med spildbakker, enkelte mangler.",
          5: "Store oplag af farligt affald uden tilstrækkelig sikring."},
    "d": {1: "Ubetydelige emissioner.", 3: "Støj og lugt inden for grænseværdierne.",
          5: "Væsentlige emissioner til luft og spildevand."},
    "e": {1: "Erhvervsområde langt fra boliger.", 3: "Boliger i nærheden.",
          5: "Tæt på drikkevandsinteresser og boliger."},
}  # fmt: skip


def _scores(rng: random.Random, category: str) -> dict[str, int]:
    return {
        key: rng.choices(rules.SCORES, weights=PARAMETER_WEIGHTS[category])[0]
        for key in rules.PARAMETERS
    }


def _day_in(rng: random.Random, year: int, latest: dt.date) -> dt.date:
    start = dt.date(year, 1, 10)
    end = min(dt.date(year, 12, 15), latest)
    if end <= start:
        return min(start, latest)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def load_inspections(*, rng: random.Random, businesses: list[Business]) -> int:
    """About ``UNITS`` units spread over ``businesses``; returns how many were made."""
    inspectors = list(User.objects.filter(username__in=INSPECTORS, is_active=True))
    if not inspectors or not businesses:
        return 0
    today = clock.today()
    year = today.year
    periods_first = rules.basic_period(rules.CATEGORY_1A, year).first
    made = 0
    for index in range(UNITS):
        business = businesses[index % len(businesses)]
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        inspector = rng.choice(inspectors)
        newcomer = index % 25 == 7  # a bilag-2 unit starting operations around the new year
        started_on = (
            today + dt.timedelta(days=rng.randrange(-60, 120))
            if newcomer
            else dt.date(rng.randrange(1985, year - 2), rng.randrange(1, 13), 1)
        )
        unit = production_unit_register(
            business=business,
            p_number=f"{P_NUMBER_BASE + index * 37:010d}",
            name=f"{business.name.split(' ')[0]} {SITE_NAMES[index % len(SITE_NAMES)]}",
            address=f"{STREETS[index % len(STREETS)]} {rng.randrange(1, 250)}, Odense",
            started_on=started_on,
            actor=inspector,
        )
        registered = (
            min(started_on, today) - dt.timedelta(days=30)
            if newcomer
            else dt.date(rng.randrange(2010, year - 1), 1, 1)
        )
        register_entry_add(
            unit=unit,
            category=category,
            valid_from=registered,
            start_up_required=newcomer,
            actor=inspector,
        )
        made += 1
        if newcomer:
            continue
        # An older assessment for some, and the current one.
        if rng.random() < 0.3:
            risk_assessment_record(
                unit=unit,
                actor=inspector,
                scores=_scores(rng, category),
                reasons={k: JUSTIFICATIONS[k][3] for k in rules.PARAMETERS},
                assessed_on=_day_in(rng, year - 3, today),
            )
        current = _scores(rng, category)
        last_visit: dt.date | None = None
        # Inspections of the last years: category 1 mostly has its basic inspection in the
        # running 3-year period (if it started before this year); category 2 most (it has 6 years).
        chance = 0.75 if category != rules.CATEGORY_2 else 0.7
        if rng.random() < chance:
            basic_year = rng.randrange(min(periods_first, year - 2), year + 1)
            last_visit = _day_in(rng, basic_year, today)
            inspection_record(unit=unit, on=last_visit, kind="basic", actor=inspector)
        if category == rules.CATEGORY_1A and rng.random() < 0.5:
            prioritised = _day_in(rng, year - 1, today)
            if last_visit is None or prioritised.year != last_visit.year:
                inspection_record(unit=unit, on=prioritised, kind="prioritised", actor=inspector)
                last_visit = max(last_visit or prioritised, prioritised)
        if rng.random() < 0.05:
            inspection_record(
                unit=unit,
                on=_day_in(rng, year, today),
                kind="unplanned",
                physical=True,
                actor=inspector,
                note="Klage over lugt fra naboer.",
            )
        risk_assessment_record(
            unit=unit,
            actor=inspector,
            scores=current,
            reasons={k: JUSTIFICATIONS[k][v] for k, v in current.items()},
            assessed_on=last_visit or _day_in(rng, year - 1, today),
        )
    load_visits(rng=rng, inspectors=inspectors)
    return made


# --- inspection visits ---------------------------------------------------------------------

FOCUS = [
    "Oplag af olie og kemikalier: spildbakker, afløb og mærkning. Olieudskilleren og dens "
    "tømningsbeviser.",
    "Affaldssortering og opbevaring af farligt affald; anmeldelse af affaldet til kommunen.",
    "Støj fra ventilation og kompressorer mod boligerne mod nord; driftstider.",
    "Lakeringsanlægget: filtre, afkast og journal over forbruget af opløsningsmidler.",
    "Vaskepladsen og afløbet til kloak; sandfang og olieudskiller.",
    "Opfølgning på klage over lugt fra naboer.",
]
OBSERVATIONS = [
    "Kemikalier står på spildbakker med tydelig mærkning.",
    "Olieudskilleren er tømt i år; tømningsbevis forevist.",
    "Affaldet sorteres; spraydåser ligger dog i restaffald.",
    "Ventilationsanlægget på taget var i drift under besøget; støjen kunne høres ved skel.",
]
ADVICE = [
    "Vejledt om kommunens ordning for små mængder farligt affald.",
    "Rådgivet om at føre en simpel logbog over tilsyn med olieudskilleren.",
    "Forslag om lyddæmpning af afkastet; kan ofte løses med en lyddæmper fra leverandøren.",
]
AGREEMENTS = [
    "Spildbakke under de to olietønder i værkstedet",
    "Spraydåser og oliefiltre sorteres som farligt affald og afhentes af godkendt indsamler",
    "Dokumentation for tømning af olieudskilleren sendes til kommunen",
    "Lyddæmper på afkastet fra ventilationen, og støjmåling sendes til kommunen",
]


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _working_day_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.local_tz())


def _portal_member(business: Business) -> User | None:
    member = (
        Membership.objects.filter(business=business, active=True, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return member.user if member is not None else None


def _units_for_visits(count: int) -> list[ProductionUnit]:
    """Registered units (not newcomers) of businesses with a portal user first, one each."""
    units = (
        ProductionUnit.objects.filter(
            active=True,
            register_entries__start_up_required=False,
            business__memberships__active=True,
        )
        .select_related("business")
        .order_by("business_id", "p_number")
        .distinct()
    )
    chosen: list[ProductionUnit] = []
    seen: set[int] = set()
    for unit in units:
        if unit.business_id not in seen:
            seen.add(unit.business_id)
            chosen.append(unit)
        if len(chosen) == count:
            break
    return chosen


class _Story:
    """One visit told step by step, each step under ``clock.travel`` at its own time."""

    def __init__(self, rng: random.Random, unit: ProductionUnit, inspector: User, n: int) -> None:
        self.rng, self.unit, self.inspector, self.n = rng, unit, inspector, n
        self.visit: Visit | None = None

    def open(self, when: dt.datetime, kind: str = "basic", focus: str | None = None) -> _Story:
        with clock.travel(when):
            self.visit = visit_create(
                unit=self.unit,
                actor=self.inspector,
                kind=kind,
                focus=focus or FOCUS[self.n % len(FOCUS)],
            )
        return self

    def offer(self, when: dt.datetime, days: list[dt.date]) -> _Story:
        assert self.visit is not None
        times = [(_at(day, 9), _at(day, 11)) if i % 2 == 0 else (_at(day, 13), _at(day, 15))
                 for i, day in enumerate(days)]  # fmt: skip
        with clock.travel(when):
            self.visit = visit_offer_slots(visit=self.visit, actor=self.inspector, slots=times)
        return self

    def choose(self, when: dt.datetime) -> _Story:
        assert self.visit is not None
        chooser = _portal_member(self.unit.business) or self.inspector
        first = self.visit.slots.order_by("starts_at").first()
        assert first is not None
        with clock.travel(when):
            self.visit = visit_choose_slot(visit=self.visit, actor=chooser, slot_id=first.pk)
        return self

    def fix(self, when: dt.datetime, at: dt.datetime, reason: str = "") -> _Story:
        assert self.visit is not None
        with clock.travel(when):
            self.visit = visit_fix_time(
                visit=self.visit, actor=self.inspector, at=at, reason=reason
            )
        return self

    def carry_out(
        self,
        day: dt.date,
        *,
        agreements: int = 1,
        agreed_days: int = 30,
        order: bool = False,
        report: str = "full",
    ) -> _Story:
        """Booked for ``day`` beforehand, carried out then, findings recorded the same day."""
        assert self.visit is not None
        if self.visit.status != Visit.Status.BOOKED and self.visit.kind != "unplanned":
            self.fix(_at(day - dt.timedelta(days=14), 10), _at(day, 9), "Aftalt i telefonen.")
        with clock.travel(_at(day, 14)):
            visit = visit_mark_visited(
                visit=self.visit, actor=self.inspector, visited_on=day, physical=True
            )
        with clock.travel(_at(day, 15)):
            finding_add(
                visit=visit, actor=self.inspector, kind="observation",
                text=OBSERVATIONS[self.n % len(OBSERVATIONS)],
            )  # fmt: skip
            finding_add(
                visit=visit, actor=self.inspector, kind="advice", text=ADVICE[self.n % len(ADVICE)]
            )
            for k in range(agreements):
                finding_add(
                    visit=visit,
                    actor=self.inspector,
                    kind="agreement",
                    text=AGREEMENTS[(self.n + k) % len(AGREEMENTS)],
                    due_date=day + dt.timedelta(days=agreed_days + 14 * k),
                )
            if order:
                enforcement_add(
                    visit=visit,
                    actor=self.inspector,
                    kind="order",
                    text="Olieudskilleren skal forsynes med alarm for olielag og tømmes, så "
                    "olielaget ikke overstiger 80 % af kapaciteten.",
                    legal_basis="Miljøbeskyttelseslovens § 42, stk. 1",
                    deadline=day + dt.timedelta(days=45),
                )
        if report != "none":
            with clock.travel(_at(day + dt.timedelta(days=1), 11)):
                visit = visit_report_update(
                    visit=visit,
                    actor=self.inspector,
                    self_monitoring="Egenkontrollen med olieudskilleren og affaldet er ført "
                    "og forevist." + ("" if report == "full" else " Journal mangler for i år."),
                    follows_up=None if report != "full" else (not order),
                    conclusion=""
                    if report != "full"
                    else "Virksomheden overholder i det væsentlige reglerne; de aftalte "
                    "løsninger følges op i leveranceplanen.",
                )
        self.visit = visit
        return self

    def send_report(self, when: dt.datetime) -> _Story:
        assert self.visit is not None
        with clock.travel(when):
            self.visit = visit_report_send(visit=self.visit, actor=self.inspector)
        return self

    def publish(self, when: dt.datetime) -> _Story:
        assert self.visit is not None
        with clock.travel(when):
            self.visit = visit_publish(visit=self.visit, actor=self.inspector)
        return self

    def survey(self, when: dt.datetime, overall: int | None) -> _Story:
        """The survey after the visit (as the e-mail would have brought it), maybe answered."""
        assert self.visit is not None
        if not survey_wanted(Occasion.INSPECTION):
            return self
        with clock.travel(when):
            _invitation, token = survey_services.invitation_create(
                case=self.visit.case, occasion=Occasion.INSPECTION
            )
        if overall is not None:
            answers = {
                "overall": str(overall),
                "contact_helpful": str(max(overall, 4)),
                "may_contact": self.rng.choice(["ja", "nej"]),
            }
            if overall >= 4:
                answers["comments"] = self.rng.choice(
                    [
                        "Godt at tilsynet var en dialog om løsninger.",
                        "Konkrete råd, vi kunne bruge med det samme.",
                        "Fint at kunne vælge tidspunktet selv.",
                    ]
                )
            with clock.travel(when + dt.timedelta(hours=5)):
                survey_services.response_submit(token=token, answers=answers)
        return self

    def done(self, when: dt.datetime) -> _Story:
        """The agreed solutions are in place: delivered, and the case answered and closed."""
        assert self.visit is not None
        with clock.travel(when):
            for finding in self.visit.findings.all():
                if finding.deliverable is not None:
                    deliverable_mark_delivered(
                        deliverable=finding.deliverable,
                        actor=self.inspector,
                        note="Set ved opfølgning.",
                    )
            case = case_record_decision(
                case=self.visit.case,
                actor=self.inspector,
                summary="Tilsynet er afsluttet: de aftalte løsninger er på plads.",
            )
            case_close(case=case, actor=self.inspector)
        return self

    def cancel(self, when: dt.datetime, reason: str) -> _Story:
        assert self.visit is not None
        with clock.travel(when):
            self.visit = visit_cancel(visit=self.visit, actor=self.inspector, reason=reason)
        return self


def load_visits(*, rng: random.Random, inspectors: list[User]) -> int:
    """About a dozen visits in every state (see the module's docstring); returns how many."""
    units = _units_for_visits(13)
    if len(units) < 13 or not inspectors:
        return 0
    today = clock.today()

    def ago(days: int, hour: int = 10) -> dt.datetime:
        return _at(today - dt.timedelta(days=days), hour)

    def ahead(days: int, n: int = 1) -> list[dt.date]:
        """``n`` different working days from ``days`` ahead."""
        found: list[dt.date] = []
        day = today + dt.timedelta(days=days)
        while len(found) < n:
            day = _weekday(day)
            found.append(day)
            day += dt.timedelta(days=1)
        return found

    def visited(days: int) -> dt.date:
        return _working_day_before(today - dt.timedelta(days=days))

    stories = [
        _Story(rng, unit, inspectors[i % len(inspectors)], i) for i, unit in enumerate(units)
    ]
    a, b, c, d, e, f, g, h, i, j, k, m, x = stories
    a.open(ago(2))  # opened, times follow
    b.open(ago(6)).offer(ago(5), ahead(8, 3))
    c.open(ago(4), kind="prioritised").offer(ago(3), ahead(10, 2))
    d.open(ago(10)).offer(ago(9), ahead(5, 3)).choose(ago(7, 20))
    e.open(ago(5)).fix(ago(3), _at(ahead(3)[0], 8, 30), "Aftalt i telefonen med driftslederen.")
    # Carried out: report being written (plenty of time), due soon, overdue.
    f.open(ago(35)).carry_out(visited(20), report="draft")
    g.open(ago(70)).carry_out(visited(52), agreements=2, agreed_days=42, order=True)
    h.open(ago(75, 9), kind="unplanned", focus=FOCUS[5]).carry_out(
        visited(70), agreements=0, report="none"
    )
    # Reported: publication later, publication due soon.
    i.open(ago(100)).carry_out(visited(80)).send_report(ago(50)).survey(ago(49, 8), 5)
    j.open(ago(130)).carry_out(visited(110)).send_report(ago(60)).survey(ago(59, 8), None)
    # Published; the agreed solutions done and the case ended.
    k.open(ago(220)).carry_out(visited(200)).send_report(ago(160)).survey(ago(159, 8), 4)
    k.publish(ago(130)).done(ago(120))
    m.open(ago(170)).carry_out(visited(150), agreed_days=21).send_report(ago(110))
    m.survey(ago(109, 8), 5).done(ago(100)).publish(ago(90))
    x.open(ago(15)).offer(ago(14), ahead(2, 2)).cancel(
        ago(12), "Virksomheden har indstillet produktionen i perioden; nyt besøg aftales senere."
    )
    return len(stories)
