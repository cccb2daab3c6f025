"""The workbench's long lists count exactly only up to a cap (issue 18): "my cases", the
screening queue, the department's inbox and the search say "more than N" beyond it instead
of counting every row on every page view, and still page up to the cap.

The cap is lowered here (to 3) so a handful of cases crosses it; the count query's LIMIT is
what keeps the count's cost bounded at a million rows (``scripts/bench_workbench.py``).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.cases import keyset
from erhvervskontakt.cases.services.tasks import task_claim

pytestmark = pytest.mark.django_db

LISTS = [
    ("karen", "/medarbejder/screening/", "4 henvendelser venter på screening.",
     "Mere end 3 henvendelser venter på screening."),
    ("karen", "/medarbejder/mine-sager/?vis=all", "8 sager", "Mere end 3 sager – brug filtrene"),
    ("bodil", "/medarbejder/afdeling/", "4 opgaver", "Mere end 3 opgaver – brug filtrene"),
    ("karen", "/medarbejder/soeg/?q=borde", "8 sager fundet for »borde«",
     "Mere end 3 sager fundet for »borde«"),
]  # fmt: skip


@pytest.fixture
def cases(make_case, building_case, bodil):
    """Four received cases (screening queue) and four screened building cases, Bodil's."""
    for _ in range(4):
        make_case()
        task_claim(task=building_case(screen=True).tasks.get(), actor=bodil)


@pytest.mark.parametrize(("persona", "url", "exact", "capped"), LISTS)
def test_a_list_counts_exactly_below_the_cap(
    request, client_for, cases, monkeypatch, persona, url, exact, capped
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 10)

    page = client_for(request.getfixturevalue(persona)).get(url).content.decode()

    assert exact in page
    assert "Mere end" not in page


@pytest.mark.parametrize(("persona", "url", "exact", "capped"), LISTS)
def test_a_list_beyond_the_cap_says_more_than_and_counts_no_further(
    request, client_for, cases, monkeypatch, persona, url, exact, capped
):
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)
    client = client_for(request.getfixturevalue(persona))

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    assert capped in page
    assert exact not in page
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert any("LIMIT 4" in sql.upper() for sql in counts), counts


def test_english_says_more_than_too(client_for, karen, cases, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 3)
    client = client_for(karen)
    client.cookies["django_language"] = "en"

    page = client.get("/medarbejder/screening/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "More than 3 inquiries are waiting for screening." in page
