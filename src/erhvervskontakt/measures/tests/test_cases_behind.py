"""Every figure links to its cases: ``cases_behind(f, key)`` lists exactly the cases a
figure counts, as the person asking may see them; an unknown key is a clear refusal."""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, Task
from erhvervskontakt.common.errors import ValidationFailed
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import (
    Days,
    Share,
    Tally,
    backlog,
    cases_behind,
    processing_times,
    promise_dashboard,
)

from .conftest import at, d

pytestmark = pytest.mark.django_db

BUILD, ENV = "byggetilladelse-erhverv", "miljoegodkendelse"


@pytest.fixture
def mixed(make_case, lars, today):
    """A bit of everything in November, over three departments and two coordinators."""
    two = [BUILD, ENV]
    make_case(
        service_types=two,
        screening_due=d(11, 3),
        screened_on=d(11, 2),
        screening_working_days=1,
        promised_answer_date=d(11, 20),
        answered_on=d(11, 19),
        answer_working_days=12,
        estimate_deviation_working_days=-1,
        service_target_date=d(12, 1),
        service_target_met=True,
    )
    make_case(
        service_types=[BUILD],
        screening_due=d(11, 5),
        screened_on=d(11, 9),
        screening_working_days=7,
        promised_answer_date=d(11, 24),
        answered_on=d(11, 30),
        answer_working_days=15,
        estimate_deviation_working_days=4,
        service_target_date=d(11, 25),
        service_target_met=False,
        coordinator=lars,
    )
    make_case(
        service_types=["udeservering"],
        screening_due=d(11, 12),
        screened_on=d(11, 12),
        screening_working_days=5,
        promised_answer_date=d(11, 26),
    )
    make_case(
        service_types=[ENV],
        screening_due=d(11, 20),
        screened_on=d(11, 16),
        screening_working_days=2,
        promised_answer_date=d(11, 27),
        service_target_date=d(11, 28),
        paused_since=d(11, 18),
        status=CaseStatus.AWAITING_BUSINESS,
        coordinator=lars,
    )
    make_case(service_types=["raadgivning"], received=d(11, 24), screening_due=d(11, 30))
    late = make_case(
        service_types=[BUILD],
        screening_due=d(11, 10),
        screened_on=d(11, 10),
        screening_working_days=5,
        promised_answer_date=d(11, 18),
        estimated_answer_date=d(11, 18),
        service_target_date=d(11, 29),
    )
    Deliverable.objects.create(
        case=late,
        party=Deliverable.Party.BUSINESS,
        title="Tegninger",
        due_date=d(11, 20),
        created_at=at(d(11, 10)),
    )


def figures(value, found=None):
    """Every Tally, Share and Days inside a result (dataclasses, tuples, dicts)."""
    found = [] if found is None else found
    if isinstance(value, Tally | Share | Days):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            figures(item, found)
    elif isinstance(value, tuple | list):
        for item in value:
            figures(item, found)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            figures(getattr(value, name), found)
    return found


@pytest.mark.parametrize(
    "filters",
    [{}, {"department": "byggeri"}, {"service_type": ENV}, {"coordinator": "lars"}],
)
def test_every_figure_counts_exactly_the_cases_listed_behind_it(mixed, hanne, filters):
    f = MeasureFilter(start=d(11, 1), end=d(11, 30), **filters)
    dashboard = promise_dashboard(f)
    everything = figures(dashboard) + figures(processing_times(f))
    party_tallies = set(map(id, dashboard.backlog.overdue_deliverables.values()))

    checked = 0
    for figure in everything:
        if isinstance(figure, Tally):
            if id(figure) in party_tallies:
                continue  # counts deliverables; its list is their cases (below)
            assert cases_behind(f, figure.key, user=hanne).count() == figure.count, figure.key
        elif isinstance(figure, Share):
            assert cases_behind(f, figure.key, user=hanne).count() == figure.part, figure.key
            assert cases_behind(f, figure.of, user=hanne).count() == figure.n, figure.of
        else:
            assert cases_behind(f, figure.key, user=hanne).count() == figure.n, figure.key
        checked += 1
    for party, tally in dashboard.backlog.overdue_deliverables.items():
        listed = cases_behind(f, tally.key, user=hanne).count()
        assert listed == dashboard.backlog.overdue_deliverable_cases[party]
    assert checked > 40


def test_the_backlog_uses_the_workbench_rule_for_overdue(mixed, hanne, today):
    f = MeasureFilter(start=d(11, 1), end=d(11, 30))
    overdue = sum(row.overdue.count for row in backlog(f).workload)

    # Not screened by its date (30 November), and past its estimate with a late deliverable.
    assert overdue == Case.objects.open().overdue(today).count() == 2


def test_the_lists_show_only_what_the_person_may_see(mixed, bodil, other_owner, today):
    f = MeasureFilter(start=d(11, 1), end=d(11, 30))
    theirs = Case.objects.get(screening_due=d(11, 3))
    Task.objects.create(case=theirs, department=bodil.department, created_at=at(d(11, 2)))

    # The figures are the municipality's; the list is what the person may see: Bodil
    # (Byggeri) the case with her department's task, another business nothing.
    assert promise_dashboard(f).screening.due.count == 6
    assert list(cases_behind(f, "screening.due", user=bodil)) == [theirs]
    assert cases_behind(f, "screening.due", user=other_owner).count() == 0


@pytest.mark.parametrize(
    "key",
    [
        "screening",
        "screening.soon",
        "answers.deviation.huge",
        "service_targets.byggetilladelse-erhverv",
        "service_targets.x.nothing",
        "processing.x.y.z",
        "backlog.closed",
        "backlog.in_progress.1000+",
        "backlog.coordinator.karen.late",
        "backlog.deliverables.neighbour",
        "satisfaction.positive",
        "",
    ],
)
def test_an_unknown_figure_is_refused_clearly(hanne, key, today):
    with pytest.raises(ValidationFailed) as refused:
        cases_behind(MeasureFilter(start=d(11, 1), end=d(11, 30)), key, user=hanne)

    assert refused.value.errors == {"tal": f"Ukendt tal: »{key}«."}
