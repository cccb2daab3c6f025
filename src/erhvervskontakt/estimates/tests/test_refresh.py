"""The worker's refresh: each active service type gets a new estimate row with its basis; the
lookup the pages use is one indexed query per service type, whatever the case volume."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.estimates.models import PromiseEstimate
from erhvervskontakt.estimates.selectors import latest_estimates
from erhvervskontakt.estimates.services import promise_estimates_refresh

from .conftest import answered_history

pytestmark = pytest.mark.django_db


def test_a_type_with_history_learns_its_promise_the_others_fall_back_and_say_so(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered_history(owner, business, karen, start=dt.date(2026, 1, 5), count=40)

    rows = promise_estimates_refresh(as_of=dt.date(2026, 6, 1))

    by_code = {row.service_type.code: row for row in rows}
    learned = by_code["udeservering"]
    assert learned.basis == "history" and learned.answered == 40 and learned.cases == 40
    # 3..12 working days, four cases each: 36 of 40 answered within 11, half within 7.
    assert learned.p90 == 11 and learned.p50 == 7
    # Those cases were promised the fixed target, not a learned promise: nothing to correct.
    assert learned.matured == 0 and learned.miss_rate == pytest.approx(0.1)
    assert learned.working_days == learned.p90 == 11
    others = [row for code, row in by_code.items() if code != "udeservering"]
    assert others and all(row.basis in ("group", "national", "fixed") for row in others)
    fixed = next(row for row in others if row.basis == "fixed")
    assert fixed.working_days == fixed.service_type.target_working_days

    # A second refresh adds rows; the lookup finds the latest, in one query per type.
    promise_estimates_refresh(as_of=dt.date(2026, 6, 2))
    ids = [catalogue["udeservering"].pk, fixed.service_type_id]
    with CaptureQueriesContext(connection) as queries:
        found = latest_estimates(service_type_ids=ids)
    assert len(queries) == 2
    assert found[catalogue["udeservering"].pk].as_of == dt.date(2026, 6, 2)
    assert PromiseEstimate.objects.count() == 2 * len(rows)


def test_the_command_refreshes_and_refuses_a_bad_date(catalogue: Any) -> None:
    out = io.StringIO()
    call_command("refresh_promises", "--as-of", "2026-06-01", stdout=out)

    assert "4 service types and 0 combinations refreshed." in out.getvalue()
    assert PromiseEstimate.objects.filter(as_of=dt.date(2026, 6, 1)).exists()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refresh_promises", "--as-of", "juni", stdout=io.StringIO())


def test_learned_promises_that_were_missed_make_the_next_ones_later(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered_history(owner, business, karen, start=dt.date(2026, 1, 5), count=40)
    promise_estimates_refresh(as_of=dt.date(2026, 3, 20))
    # Times grow by three working days: the learned promise (11) is missed by 4 in 10.
    cases = answered_history(owner, business, karen, start=dt.date(2026, 3, 23), count=40, slower=3)
    assert {case.estimate_basis["basis"] for case in cases} == {"history"}
    promised = {case.estimate_basis["working_days"] for case in cases}

    rows = promise_estimates_refresh(as_of=dt.date(2026, 9, 1))

    learned = next(row for row in rows if row.service_type.code == "udeservering")
    assert learned.matured == 40
    assert learned.kept == sum(
        1 for case in cases if case.answered_on <= case.estimate_at_screening
    )
    assert learned.kept < 36 and learned.miss_rate < 0.1
    assert learned.working_days > learned.p90 >= max(promised)


def test_when_the_last_months_are_slower_they_lengthen_the_promise(
    catalogue: Any, owner: Any, business: Any, karen: Any, settings: Any
) -> None:
    settings.PROMISE_RECENT_MONTHS = 3
    answered_history(owner, business, karen, start=dt.date(2025, 7, 1), count=40)
    answered_history(owner, business, karen, start=dt.date(2026, 3, 2), count=40, slower=8)

    learned = next(
        row
        for row in promise_estimates_refresh(as_of=dt.date(2026, 6, 1))
        if row.service_type.code == "udeservering"
    )
    settings.PROMISE_RECENT_MONTHS = 0
    year_only = next(
        row
        for row in promise_estimates_refresh(as_of=dt.date(2026, 6, 1))
        if row.service_type.code == "udeservering"
    )

    # The recent months' answers took 11..20 working days; the year's P90 mixes in the fast
    # ones of last autumn.
    assert year_only.working_days == year_only.p90 < 20
    assert learned.working_days == 19 and learned.p90 == year_only.p90  # 36 of 40 within 19
