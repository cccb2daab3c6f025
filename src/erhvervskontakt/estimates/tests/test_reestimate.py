"""A case re-estimated at its age from the curve the worker stored: the curve reads back
exactly, a refresh stores the one that set a learned promise (none for a target), the
re-estimate equals the conditional quantile of the live history, and staff see it on the
case page with a form that moves the date to it; the business sees none of it."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import given, settings
from hypothesis import strategies as st

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.estimates.models import PromiseEstimate
from erhvervskontakt.estimates.promise import promise_days
from erhvervskontakt.estimates.selectors import (
    NoReestimate,
    Reestimate,
    answer_history,
    case_reestimate,
    case_reestimate_or_reason,
    latest_estimate_rows,
)
from erhvervskontakt.estimates.services import promise_estimates_refresh
from erhvervskontakt.estimates.survival import SurvivalCurve, kaplan_meier
from erhvervskontakt.testing.html import text

from .conftest import CONTACT, answered_history, at, screened_case, submitted_case

HISTORY_START = dt.date(2026, 1, 5)
REFRESHED = dt.date(2026, 6, 1)  # a Monday

samples = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60), st.booleans()), min_size=1, max_size=120
)


@settings(max_examples=300, deadline=None)
@given(
    samples,
    st.lists(st.integers(min_value=0, max_value=62), min_size=1, max_size=8),
    st.sampled_from([0.5, 0.8, 0.9, 0.917, 0.95]),
)
def test_a_stored_curve_reads_back_exactly(
    sample: list[tuple[int, bool]], ages: list[int], confidence: float
) -> None:
    curve = kaplan_meier([d for d, _ in sample], [e for _, e in sample])

    back = SurvivalCurve.from_json(json.loads(json.dumps(curve.to_json())))

    for name in ("times", "survival", "at_risk", "events"):
        assert np.array_equal(getattr(back, name), getattr(curve, name))
    assert (back.n, back.n_events) == (curve.n, curve.n_events)
    for t in range(-1, 63):
        assert back.at(t) == curve.at(t)
    for age in ages:
        assert promise_days(back, confidence=confidence, age=age) == promise_days(
            curve, confidence=confidence, age=age
        )


def test_a_malformed_stored_curve_is_refused() -> None:
    with pytest.raises(ValueError, match="not a stored survival curve"):
        SurvivalCurve.from_json({"times": [1.0]})
    with pytest.raises(ValueError, match="one length"):
        SurvivalCurve.from_json(
            {"times": [1.0, 2.0], "survival": [0.5], "at_risk": [2], "events": [1], "n": 2}
        )


def outdoor(rows: list[PromiseEstimate]) -> PromiseEstimate:
    return next(row for row in rows if row.service_type.code == "udeservering")


@pytest.mark.django_db
def test_a_refresh_stores_the_curve_of_a_learned_promise_and_none_for_a_target(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered_history(owner, business, karen, start=HISTORY_START, count=40)

    rows = promise_estimates_refresh(as_of=REFRESHED)

    learned = PromiseEstimate.objects.get(pk=outdoor(rows).pk)
    assert learned.basis == "history"
    assert (learned.curve["sample"], learned.curve["window_months"]) == ("history", 12)
    history = answer_history(
        as_of=REFRESHED,
        calendar=working_calendar(),
        service_type_ids=[catalogue["udeservering"].pk],
    )
    live = kaplan_meier(history.durations, history.observed)
    stored = SurvivalCurve.from_json(learned.curve)
    assert np.array_equal(stored.times, live.times)
    assert np.array_equal(stored.survival, live.survival)
    assert promise_days(stored, confidence=1 - learned.miss_rate) == learned.working_days
    assert len(stored.times) == 10  # one entry per distinct answer time: compact
    targets = PromiseEstimate.objects.filter(basis__in=("national", "fixed"))
    assert targets.exists() and all(row.curve == {} for row in targets)


@pytest.mark.django_db
def test_where_the_recent_months_lengthen_the_promise_their_curve_is_stored(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    # 40 cases of 3..12 working days early in the year, 40 of 8..17 from April.
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    answered_history(owner, business, karen, start=dt.date(2026, 4, 7), count=40, slower=5)
    as_of = dt.date(2026, 7, 15)

    learned = outdoor(promise_estimates_refresh(as_of=as_of))

    year = answer_history(
        as_of=as_of, calendar=working_calendar(), service_type_ids=[catalogue["udeservering"].pk]
    )
    from_year = promise_days(
        kaplan_meier(year.durations, year.observed), confidence=1 - learned.miss_rate
    )
    stored = SurvivalCurve.from_json(learned.curve)
    assert learned.curve["window_months"] == 3 and learned.curve["sample"] == "history"
    assert from_year is not None and learned.working_days > from_year
    assert promise_days(stored, confidence=1 - learned.miss_rate) == learned.working_days


@pytest.fixture
def learned(catalogue: Any, owner: Any, business: Any, karen: Any) -> PromiseEstimate:
    """40 answered outdoor-seating cases (3..12 working days), then the worker's refresh."""
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    return outdoor(promise_estimates_refresh(as_of=REFRESHED))


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-06-01", "2026-06-03", "2026-06-04", "2026-06-08"])
def test_the_re_estimate_is_the_conditional_quantile_of_the_history_at_the_case_s_age(
    catalogue: Any, owner: Any, business: Any, karen: Any, today: str
) -> None:
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    case = screened_case(owner, business, karen, "2026-05-22")  # open, censored in the sample
    row = outdoor(promise_estimates_refresh(as_of=REFRESHED))
    calendar = working_calendar()
    day = dt.date.fromisoformat(today)

    found = case_reestimate(case, today=day, calendar=calendar)

    age = calendar.working_days_between(dt.date(2026, 5, 22), day)
    history = answer_history(
        as_of=REFRESHED, calendar=calendar, service_type_ids=[catalogue["udeservering"].pk]
    )
    live = kaplan_meier(history.durations, history.observed)
    expected = promise_days(live, confidence=1 - row.miss_rate, age=age)
    assert found is not None and expected is not None
    assert (found.age, found.working_days_total) == (age, expected)
    assert found.date == calendar.add_working_days(day, expected - age)
    assert found.still_open == live.at(age)
    assert found.confidence == pytest.approx(0.9)
    assert found.bases == {catalogue["udeservering"].pk: "history"}
    assert (found.sample, found.window_months) == ("history", 12)


@pytest.mark.django_db
def test_a_case_older_than_most_of_its_history_gets_a_later_date_than_at_screening(
    learned: PromiseEstimate, owner: Any, business: Any, karen: Any
) -> None:
    case = screened_case(owner, business, karen, REFRESHED)
    assert case.estimate_basis["basis"] == "history"
    calendar = working_calendar()
    day = calendar.add_working_days(REFRESHED, learned.working_days - 1)  # not yet late

    found = case_reestimate(case, today=day, calendar=calendar)

    assert found is not None and found.age == learned.working_days - 1
    assert found.working_days_total > learned.working_days
    assert found.date > case.estimate_at_screening
    # Too old for the history (every similar case was answered by 12): no re-estimate.
    older = calendar.add_working_days(REFRESHED, 12)
    assert case_reestimate_or_reason(case, today=older, calendar=calendar) == (
        NoReestimate.UNDEFINED
    )


@pytest.mark.django_db
def test_the_days_the_case_waited_for_the_business_do_not_count_in_its_age(
    learned: PromiseEstimate, owner: Any, business: Any, karen: Any
) -> None:
    with at(REFRESHED):
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["udeservering"],
            description="Seks borde foran caféen.",
            contact=dict(CONTACT),
            answers={},  # the area is missing: screening pauses the clock
        )
        case = case_screen(case=case, actor=karen)
    calendar = working_calendar()
    assert case.status == "awaiting_business"
    waiting = case_reestimate_or_reason(case, today=dt.date(2026, 6, 3), calendar=calendar)
    assert waiting == NoReestimate.AWAITING_BUSINESS

    with at("2026-06-04"):
        case = case_supply_answers(case=case, actor=owner, answers={"areal": 12})
    found = case_reestimate(case, today=dt.date(2026, 6, 10), calendar=calendar)

    paused = calendar.working_days_between(REFRESHED, dt.date(2026, 6, 4))
    assert case.paused_working_days == paused > 0
    assert found is not None
    assert found.age == calendar.working_days_between(REFRESHED, dt.date(2026, 6, 10)) - paused


@pytest.mark.django_db
def test_no_re_estimate_without_a_stored_curve_or_for_a_case_that_is_not_in_progress(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    calendar = working_calendar()
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    early = screened_case(owner, business, karen, "2026-05-26")
    assert case_reestimate_or_reason(early, today=REFRESHED, calendar=calendar) == (
        NoReestimate.NO_CURVE  # no refresh yet
    )

    promise_estimates_refresh(as_of=REFRESHED)
    with_target = screened_case(
        owner, business, karen, REFRESHED, ("udeservering", "miljoegodkendelse")
    )
    answered = screened_case(owner, business, karen, REFRESHED)
    with at("2026-06-03"):
        case_record_decision(case=answered, actor=karen, summary="Tilladelse givet.")
    answered.refresh_from_db()
    received = submitted_case(owner, business, REFRESHED)

    day = dt.date(2026, 6, 4)
    # A national target has no curve to condition on: the combination is not re-estimated.
    assert case_reestimate_or_reason(with_target, today=day, calendar=calendar) == (
        NoReestimate.NO_CURVE
    )
    assert case_reestimate_or_reason(answered, today=day, calendar=calendar) == (
        NoReestimate.NOT_OPEN
    )
    assert case_reestimate_or_reason(received, today=day) == NoReestimate.NOT_OPEN
    assert case_reestimate(with_target, today=day) is None
    assert case_reestimate(answered, today=day) is None
    assert isinstance(case_reestimate_or_reason(early, today=day), Reestimate)


@pytest.mark.django_db
def test_a_curve_edited_by_hand_into_nonsense_gives_no_re_estimate_not_an_error(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    promise_estimates_refresh(as_of=REFRESHED)
    case = screened_case(owner, business, karen, REFRESHED)
    assert isinstance(case_reestimate_or_reason(case, today=dt.date(2026, 6, 4)), Reestimate)
    PromiseEstimate.objects.filter(curve__has_key="times").update(curve={"times": "x"})

    assert case_reestimate_or_reason(case, today=dt.date(2026, 6, 4)) == NoReestimate.NO_CURVE


@pytest.mark.django_db
def test_the_latest_rows_of_all_service_types_are_one_query(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    with at(REFRESHED):
        promise_estimates_refresh(as_of=REFRESHED)
    with at("2026-06-02"):
        second = promise_estimates_refresh(as_of=dt.date(2026, 6, 2))
    ids = [st.pk for st in catalogue.values()]

    with CaptureQueriesContext(connection) as queries:
        found = latest_estimate_rows(service_type_ids=ids)

    assert len(queries) == 1
    assert {row.pk for row in found.values()} == {row.pk for row in second}


def long_date(day: dt.date, language: str) -> str:
    """The page's long date (``web``'s filter, which a domain app's tests may not import)."""
    with translation.override(language):
        return date_format(day, translation.gettext("j. F Y"))


def case_page(client: Any, case: Case) -> str:
    return client.get(f"/medarbejder/sager/{case.reference}/").content.decode()


@pytest.mark.django_db
def test_staff_read_the_re_estimate_and_can_move_the_date_to_it_the_business_cannot(
    learned: PromiseEstimate,
    owner: Any,
    business: Any,
    karen: Any,
    client_for: Any,
) -> None:
    case = screened_case(owner, business, karen, REFRESHED)
    calendar = working_calendar()
    day = calendar.add_working_days(REFRESHED, learned.working_days - 1)
    found = case_reestimate(case, today=day, calendar=calendar)
    assert found is not None and found.date != case.estimated_answer_date
    date = long_date(found.date, "da")
    coordinator = client_for(karen)

    with at(day):
        page = case_page(coordinator, case)

    said = text(page)
    assert (
        f"Genberegnet ud fra sagens alder: svar senest {date} "
        f"({found.working_days_total} arbejdsdage efter screeningen)." in said
    )
    assert (
        f"Af lignende sager, der stadig var åbne efter {found.age} arbejdsdage "
        f"({found.still_open_percent} %), blev 90 % besvaret inden for "
        f"{found.working_days_total}." in said
    )
    assert f"Brug {date} som ny svardato" in said

    business_client = client_for(owner)
    with at(day):
        refused = business_client.get(f"/medarbejder/sager/{case.reference}/")
        portal = text(business_client.get(f"/sager/{case.reference}/").content.decode())
    assert refused.status_code == 403
    assert "Genberegnet" not in refused.content.decode()
    assert "Genberegnet" not in portal and "stadig var åbne efter" not in portal

    # The form posts the date with a reason the business will read (prefilled, required).
    form = re.search(r'<div id="genberegnet">.*?</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form.group(0)))
    assert fields["estimate"] == found.date.isoformat()
    assert fields["reason"] == "Genberegnet ud fra sagens alder"
    assert 'name="reason" required' in form.group(0)
    url = reverse("workbench:case_action", args=[case.reference, "svardato"])
    with at(day):
        coordinator.post(url, fields)
    case.refresh_from_db()
    assert case.estimated_answer_date == found.date
    with at(day):
        assert "som ny svardato" not in text(case_page(coordinator, case))  # already the date


@pytest.mark.django_db
def test_the_case_page_says_why_a_case_awaiting_the_business_is_not_re_estimated_in_english(
    learned: PromiseEstimate, owner: Any, business: Any, karen: Any, client_for: Any
) -> None:
    with at(REFRESHED):
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["udeservering"],
            description="Seks borde foran caféen.",
            contact=dict(CONTACT),
            answers={},
        )
        case = case_screen(case=case, actor=karen)
    client = client_for(karen)

    with at("2026-06-03"):
        danish = text(case_page(client, case))
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = text(case_page(client, case))

    assert "Sagen venter på virksomheden. Når materialet er kommet" in danish
    assert "The case is waiting for the business. Once the material has come" in english
    assert "Genberegnet" not in danish


@pytest.mark.django_db
def test_the_re_estimate_reads_in_english(
    learned: PromiseEstimate, owner: Any, business: Any, karen: Any, client_for: Any
) -> None:
    case = screened_case(owner, business, karen, REFRESHED)
    day = working_calendar().add_working_days(REFRESHED, 4)
    found = case_reestimate(case, today=day)
    assert found is not None
    client = client_for(karen)
    with at(day):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = text(case_page(client, case))
    date = long_date(found.date, "en")

    assert (
        f"Re-estimated from the case's age: answer by {date} "
        f"({found.working_days_total} working days after screening)." in english
    )
    assert (
        f"Of similar cases still open after 4 working days ({found.still_open_percent} %), "
        f"90 % were answered within {found.working_days_total}." in english
    )


def page_queries(client: Any, case: Case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/medarbejder/sager/{case.reference}/").status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_case_page_reads_the_re_estimate_in_the_same_queries_for_one_type_as_for_two(
    learned: PromiseEstimate, catalogue: Any, owner: Any, business: Any, karen: Any, client_for: Any
) -> None:
    # Advice learned as outdoor seating did (the row as the worker writes it, for another type).
    learned.pk = None
    learned.service_type = catalogue["raadgivning"]
    learned.save()
    one = screened_case(owner, business, karen, REFRESHED)
    two = screened_case(owner, business, karen, REFRESHED, ("udeservering", "raadgivning"))
    client = client_for(karen)
    day = working_calendar().add_working_days(REFRESHED, 3)

    with at(day):
        assert "Genberegnet ud fra sagens alder" in text(case_page(client, two))
        assert page_queries(client, two) == page_queries(client, one)
