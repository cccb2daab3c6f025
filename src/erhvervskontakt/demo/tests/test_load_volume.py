from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from stdnum.dk import cvr as stdnum_cvr

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import (
    Answer,
    Case,
    CaseStatus,
    Deliverable,
    Document,
    Event,
    ReferenceCounter,
    Task,
)
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.common import clock
from erhvervskontakt.demo.volume import PROPORTIONS, proportional_counts

from .checks import REFERENCE, rule_violations

pytestmark = pytest.mark.django_db


def load(cases: int, **options: object) -> str:
    out = StringIO()
    call_command("load_volume", cases=cases, stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_load_volume_creates_rule_abiding_cases_in_every_state(demo_settings):
    output = load(300, batch=120)
    assert "Loaded 300 cases" in output

    cases = Case.objects.all()
    assert cases.count() == 300
    by_status = Counter(cases.values_list("status", flat=True))
    assert set(by_status) == set(CaseStatus.values)
    assert by_status[CaseStatus.CLOSED] > 150
    # Several years, every case with a timeline; screened ones with plan and tasks.
    years = set(cases.values_list("year", flat=True))
    assert len(years) >= 4
    assert not cases.filter(events__isnull=True).exists()
    screened = cases.filter(screened_at__isnull=False)
    assert not screened.filter(deliverables__isnull=True).exists()
    assert not screened.filter(tasks__isnull=True).exists()
    assert not Task.objects.filter(service_types__isnull=True).exists()
    assert Answer.objects.exists() and Document.objects.exists()
    assert Event.objects.filter(kind="estimate_moved").exists()
    assert Deliverable.objects.filter(party="business", status="pending").exists()
    assert Case.objects.overdue(clock.today()).exists()
    assert all(stdnum_cvr.is_valid(cvr) for cvr in Business.objects.values_list("cvr", flat=True))
    # Every date is what the rules say.
    assert rule_violations() == []

    # References: unique, well-formed, in order of receipt within a year, and the counters
    # say where each year stopped.
    references = list(cases.order_by("received_at", "id").values_list("reference", "year"))
    assert len({r for r, _ in references}) == 300
    assert all(REFERENCE.match(r) for r, _ in references)
    for year in years:
        numbers = [int(r.rsplit("-", 1)[1]) for r, y in references if y == year]
        assert numbers == list(range(1, len(numbers) + 1))
        counter = ReferenceCounter.objects.get(year=year).last
        assert counter == cases.filter(year=year).aggregate(m=Max("number"))["m"]

    # A later intake continues after the loaded numbers.
    year = clock.local_date(clock.now()).year
    last = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    karen = User.objects.get(username="karen")
    case = inquiry_submit(
        actor=karen,
        cvr=Business.objects.first().cvr,  # type: ignore[union-attr]
        service_types=["afklaringsmoede"],
        description="Efter volumen",
        contact={"name": "Test", "email": "test@firma.example"},
    )
    assert case.reference == f"EK-{year}-{last + 1:05d}"
    assert Case.objects.filter(reference=case.reference).count() == 1

    # A second load adds to it and continues the numbers; no clash of ids or references.
    load(40, seed=2)
    assert Case.objects.count() == 341
    assert Case.objects.values("reference").distinct().count() == 341
    again = inquiry_submit(
        actor=karen,
        cvr=case.business.cvr,
        service_types=["afklaringsmoede"],
        description="Efter anden volumen",
        contact={"name": "Test", "email": "test@firma.example"},
    )
    assert again.number == ReferenceCounter.objects.get(year=year).last
    assert again.pk == Case.objects.aggregate(m=Max("id"))["m"]


@pytest.mark.parametrize("method", ["orm", "sql", "copy"])
def test_every_write_method_gives_the_same_rule_abiding_data(demo_settings, method):
    if method == "copy" and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL only")
    load(60, method=method, seed=5)
    assert Case.objects.count() == 60
    assert rule_violations() == []
    assert Event.objects.filter(data__has_key="service_types").count() == 60


def test_load_volume_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        load(10)
    assert not Case.objects.exists()


def test_proportions_give_every_state_even_for_few_cases():
    for total in (6, 7, 50, 300, 1_000_000):
        counts = proportional_counts(total)
        assert sum(counts.values()) == total
        assert all(n >= 1 for n in counts.values())
        assert set(counts) == set(PROPORTIONS)
