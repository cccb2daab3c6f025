"""My cases: the merged halves count and page exactly like the plain ordered query."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import OPEN_STATUSES, Case, CaseStatus, Deliverable
from erhvervskontakt.cases.selectors import my_cases
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.common import clock

pytestmark = pytest.mark.django_db


def test_pages_newest_first_match_the_plain_query(catalogue, karen, lars, business, other_business):
    """Cases Karen coordinates, cases of her fixed-contact business coordinated by Lars, and
    cases of neither; receipt times with ties — every page equals the plain query's page."""
    Business.objects.filter(pk=business.pk).update(contact_person=karen)
    Business.objects.filter(pk=other_business.pk).update(contact_person=lars)
    rng = random.Random(7)
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    for index in range(30):
        target = business if index % 3 else other_business
        case = inquiry_submit(
            actor=karen,
            cvr=target.cvr,
            service_types=["udeservering"],
            description=f"Sag {index}",
            contact={"name": "Ejer Hansen", "email": "ejer@fynsk.dk"},
            answers={"areal": 12},
            channel="phone",
        )
        Case.objects.filter(pk=case.pk).update(
            coordinator=rng.choice([karen, lars, None]),
            received_at=start + dt.timedelta(hours=rng.randint(0, 12)),  # many ties
        )
    expected = list(
        Case.objects.filter(Q(coordinator=karen) | Q(business__contact_person=karen))
        .order_by("-received_at", "-id")
        .values_list("id", flat=True)
    )
    assert 10 < len(expected) < 30  # both halves and some of neither

    merged = my_cases(user=karen, show="all", order="received")
    paginator = Paginator(merged, 7)  # type: ignore[arg-type]
    assert paginator.count == len(expected)
    got = [case.pk for number in paginator.page_range for case in paginator.page(number)]

    assert got == expected


def test_a_page_past_the_end_is_empty_and_bad_slices_are_refused(karen):
    merged = my_cases(user=karen, show="all", order="received")
    assert merged[100:125] == []
    with pytest.raises(TypeError):
        merged[::2]
    with pytest.raises(ValueError):
        merged[5:2]


@pytest.mark.parametrize("order", ["due", "received"])
@pytest.mark.parametrize("show", ["open", "overdue", "awaiting_business", "all"])
def test_every_filter_and_order_pages_like_the_plain_query(
    catalogue, karen, lars, business, other_business, show, order
):
    """Karen's cases from both halves and their overlap (her business's cases she also
    coordinates), every status, estimates missing or tied, late deliverables: each filter
    and order counts and pages exactly like "coordinator is Karen OR business is hers"."""
    Business.objects.filter(pk=business.pk).update(contact_person=karen)
    Business.objects.filter(pk=other_business.pk).update(contact_person=lars)
    rng = random.Random(11)
    today = clock.today()
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    for index in range(40):
        case = inquiry_submit(
            actor=karen,
            cvr=(business if index % 3 else other_business).cvr,
            service_types=["udeservering"],
            description=f"Sag {index}",
            contact={"name": "Ejer Hansen", "email": "ejer@fynsk.dk"},
            answers={"areal": 12},
            channel="phone",
        )
        Case.objects.filter(pk=case.pk).update(
            coordinator=rng.choice([karen, lars, None]),
            status=rng.choice(CaseStatus.values),
            received_at=start + dt.timedelta(hours=rng.randint(0, 12)),  # many ties
            screening_due=today + dt.timedelta(days=rng.randint(-3, 3)),
            estimated_answer_date=rng.choice([None, today + dt.timedelta(days=rng.randint(-3, 3))]),
        )
        if rng.random() < 0.3:
            Deliverable.objects.create(
                case=case,
                party=Deliverable.Party.BUSINESS,
                title="Tegninger",
                due_date=today + dt.timedelta(days=rng.randint(-2, 2)),
                created_at=start,
            )
    mine = Case.objects.filter(Q(coordinator=karen) | Q(business__contact_person=karen))
    shown = {
        "open": mine.filter(status__in=OPEN_STATUSES),
        "overdue": mine.overdue(today),
        "awaiting_business": mine.filter(status=CaseStatus.AWAITING_BUSINESS),
        "all": mine,
    }[show]
    if order == "due":
        shown = shown.annotate(due=Coalesce("estimated_answer_date", "screening_due")).order_by(
            "due", "id"
        )
    else:
        shown = shown.order_by("-received_at", "-id")
    expected = list(shown.values_list("id", flat=True))
    assert expected  # the filter keeps some of Karen's cases

    paginator = Paginator(my_cases(user=karen, show=show, order=order), 4)  # type: ignore[arg-type]
    assert paginator.count == len(expected)
    got = [case.pk for number in paginator.page_range for case in paginator.page(number)]

    assert got == expected


def test_a_caseworker_sees_only_the_cases_of_their_department_among_their_own(
    catalogue, bodil, building_case, make_case, business
):
    """The visibility rule holds in both halves: Bodil (Byggeri) is fixed contact for the
    business, but only its building case is hers to see."""
    building = building_case(screen=True)
    make_case(screen=True)  # outdoor serving: not Byggeri's
    Business.objects.filter(pk=business.pk).update(contact_person=bodil)

    for order in ("due", "received"):
        paginator = Paginator(my_cases(user=bodil, show="all", order=order), 25)  # type: ignore[arg-type]
        assert paginator.count == 1
        assert [case.pk for case in paginator.page(1)] == [building.pk]
