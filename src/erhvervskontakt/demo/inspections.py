"""The demo's environmental inspection register: about 200 production units of the demo
businesses in categories 1a, 1b and 2, each with a risk assessment (some with an older one
too) and the inspections of the last years, so ``plan_inspections`` for next year has a
register to plan from (about 20 % 1a, 25 % 1b, the rest category 2; a few bilag-2 units that
start operations around the new year and need their start-up inspection).

Made through the real services (``businesses.services.production_unit_register``,
``inspections.services``), so the register, the history and the business's log are what the
product makes. Inspections and assessments are dated before today, as the services require.
"""

from __future__ import annotations

import datetime as dt
import random

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.common import clock
from erhvervskontakt.inspections import rules, services

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
        services.register_entry_add(
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
            services.risk_assessment_record(
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
            services.inspection_record(unit=unit, on=last_visit, kind="basic", actor=inspector)
        if category == rules.CATEGORY_1A and rng.random() < 0.5:
            prioritised = _day_in(rng, year - 1, today)
            if last_visit is None or prioritised.year != last_visit.year:
                services.inspection_record(
                    unit=unit, on=prioritised, kind="prioritised", actor=inspector
                )
                last_visit = max(last_visit or prioritised, prioritised)
        if rng.random() < 0.05:
            services.inspection_record(
                unit=unit,
                on=_day_in(rng, year, today),
                kind="unplanned",
                physical=True,
                actor=inspector,
                note="Klage over lugt fra naboer.",
            )
        services.risk_assessment_record(
            unit=unit,
            actor=inspector,
            scores=current,
            reasons={k: JUSTIFICATIONS[k][v] for k, v in current.items()},
            assessed_on=last_visit or _day_in(rng, year - 1, today),
        )
    return made
