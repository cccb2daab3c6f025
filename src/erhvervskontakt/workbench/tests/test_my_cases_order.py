"""My cases newest first: the merged halves page exactly like the plain ordered query."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.paginator import Paginator
from django.db.models import Q

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases import services
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import my_cases

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
        case = services.inquiry_submit(
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
