"""Inspection visits are cases of the business (channel ``inspection``), but the
municipality's own initiative, not inquiries: no promise figure counts them, no list behind a
figure shows them, and the public page does not either. The control: the same cases with an
inquiry's channel do change the figures."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Deliverable
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import (
    Share,
    cases_behind,
    processing_times,
    promise_dashboard,
)

from .conftest import at, d
from .test_cases_behind import figures, mixed  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

BUILD, ENV = "byggetilladelse-erhverv", "miljoegodkendelse"
NOVEMBER = MeasureFilter(start=d(11, 1), end=d(11, 30))


def cases_that_would_count(make_case: Callable[..., Case], lars: User, channel: str) -> list[Case]:
    """Four cases, each in a state that counts somewhere in November (today is 2 December):
    screening late, open past the promise and the service target with a late deliverable,
    answered late, waiting for the business with a late deliverable of its own."""
    unscreened = make_case(
        channel=channel,
        service_types=[ENV],
        received=d(11, 20),
        screening_due=d(11, 27),
        coordinator=None,
    )
    in_progress = make_case(
        channel=channel,
        service_types=[BUILD, ENV],
        received=d(11, 3),
        screening_due=d(11, 10),
        screened_on=d(11, 9),
        screening_working_days=3,
        promised_answer_date=d(11, 25),
        estimated_answer_date=d(11, 25),
        service_target_date=d(11, 28),
        coordinator=lars,
    )
    answered = make_case(
        channel=channel,
        service_types=[BUILD],
        received=d(10, 27),
        screening_due=d(11, 3),
        screened_on=d(11, 2),
        screening_working_days=4,
        promised_answer_date=d(11, 20),
        estimated_answer_date=d(11, 20),
        answered_on=d(11, 23),
        answer_working_days=14,
        estimate_deviation_working_days=1,
        service_target_date=d(11, 25),
        service_target_met=True,
    )
    waiting = make_case(
        channel=channel,
        service_types=[BUILD],
        received=d(10, 28),
        screening_due=d(11, 4),
        screened_on=d(11, 4),
        screening_working_days=5,
        promised_answer_date=d(11, 24),
        estimated_answer_date=d(11, 24),
        service_target_date=d(11, 20),
        paused_since=d(11, 26),
        status=CaseStatus.AWAITING_BUSINESS,
    )
    for case, party in (
        (in_progress, Deliverable.Party.MUNICIPALITY),
        (waiting, Deliverable.Party.BUSINESS),
    ):
        Deliverable.objects.create(
            case=case, party=party, title="Noget", due_date=d(11, 20), created_at=at(d(11, 5))
        )
    return [unscreened, in_progress, answered, waiting]


def everything(f: MeasureFilter) -> tuple[object, ...]:
    """Every promise figure. Not the coordinators' workload: that is each coordinator's open
    cases as the whole workbench counts them (``cases.selectors.coordinator_open_cases``),
    visits included — see ``test_the_workload_counts_a_coordinators_visits``."""
    dashboard = promise_dashboard(f)
    backlog = dataclasses.replace(dashboard.backlog, workload=())
    return dataclasses.replace(dashboard, backlog=backlog), processing_times(f)


def keys(found: tuple[object, ...]) -> set[str]:
    made = set()
    for figure in figures(found):
        made.add(figure.key)
        if isinstance(figure, Share):
            made.add(figure.of)
    return made


@pytest.mark.usefixtures("mixed")
@pytest.mark.parametrize(
    "filters",
    [{}, {"department": "byggeri"}, {"service_type": ENV}, {"coordinator": "lars"}],
)
def test_an_inspection_visit_changes_no_figure_and_is_behind_none(make_case, lars, hanne, filters):
    f = MeasureFilter(start=d(11, 1), end=d(11, 30), **filters)
    before = everything(f)

    visits = cases_that_would_count(make_case, lars, Channel.INSPECTION)

    assert everything(f) == before
    listed: set[int] = set()
    for key in keys(before):
        listed |= set(cases_behind(f, key, user=hanne).values_list("pk", flat=True))
    assert listed  # the lists are not empty: the inquiries are there
    assert not listed & {case.pk for case in visits}


def test_the_workload_counts_a_coordinators_visits(make_case, lars, hanne):
    """A visit is a case its coordinator carries (the business's fixed contact person,
    decision 9): the workload row says so, as "Mine sager" and the coordinator choices do,
    and its list shows the visit."""
    visits = cases_that_would_count(make_case, lars, Channel.INSPECTION)

    row = next(w for w in promise_dashboard(NOVEMBER).backlog.workload if w.coordinator == lars)
    assert row.open.count == 1  # the visit in progress that Lars coordinates
    assert row.overdue.count == 1  # past its estimate and with a late deliverable
    behind = cases_behind(NOVEMBER, row.open.key, user=hanne)
    assert list(behind.values_list("pk", flat=True)) == [visits[1].pk]


@pytest.mark.usefixtures("mixed")
def test_the_same_cases_received_as_inquiries_count(make_case, lars, hanne):
    before = everything(NOVEMBER)[0]

    inquiries = cases_that_would_count(make_case, lars, Channel.PORTAL)

    after = everything(NOVEMBER)[0]
    assert after.screening.due.count == before.screening.due.count + 4
    assert after.answers.total.count == before.answers.total.count + 3
    assert after.answers.late.count == before.answers.late.count + 3
    assert after.backlog.open.count == before.backlog.open.count + 3
    assert {p: t.count - before.backlog.overdue_deliverables[p].count for p, t in
            after.backlog.overdue_deliverables.items()} == {"business": 1, "municipality": 1}  # fmt: skip
    build = next(row for row in after.service_targets if row.service_type.code == BUILD)
    build_before = next(row for row in before.service_targets if row.service_type.code == BUILD)
    assert build.met.count == build_before.met.count + 1
    assert build.open_missed.count == build_before.open_missed.count + 2
    listed = set(cases_behind(NOVEMBER, "backlog.open", user=hanne).values_list("pk", flat=True))
    assert {case.pk for case in inquiries} - listed == {inquiries[2].pk}  # answered: not open


def test_the_public_page_leaves_inspection_visits_out(settings, make_case, lars, today):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = Client()

    def page() -> str:
        cache.clear()
        html = client.get("/sagsbehandlingstider/").content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))

    make_case(
        service_types=[BUILD],
        received=d(9, 1),
        screening_due=d(9, 8),
        screened_on=d(9, 3),
        screening_working_days=2,
        answered_on=d(11, 10),
        answer_working_days=8,
        service_target_met=True,
    )
    before = page()
    assert "(n = 1)" in before

    cases_that_would_count(make_case, lars, Channel.INSPECTION)

    assert page() == before
    cache.clear()
