"""The dashboard's tiles give a verdict (issue 14, item 11): each figure beside the
municipality's target, in plain words whether it is met, the last 12 months as a small
chart with a text alternative, and plural forms that agree with the number."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.cases.models import Deliverable, Event
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.models import Kpi, Target
from erhvervskontakt.measures.trends import kpi_targets, months_up_to, trends

from .conftest import TODAY, at, d

pytestmark = pytest.mark.django_db

URL = "/medarbejder/maal/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tile(page: str, title: str) -> str:
    """The text of the tile titled ``title``."""
    found = re.search(rf'<li class="ek-tile[^"]*">\s*<h2[^>]*>{title}</h2>(.*?)</li>', page, re.S)
    assert found, title
    return re.sub(r"\s+", " ", found.group(1))


@pytest.fixture
def screened(make_case, today):
    """Screened in October: three on time, one late; in November three on time. One of them,
    promised today, has a business line past its date."""

    def make(received, due, on, promised=None):
        promised = promised or d(12, 20)
        return make_case(
            received=received,
            screening_due=due,
            screened_on=on,
            screening_working_days=2,
            promised_answer_date=promised,
            estimated_answer_date=promised,
        )

    for _ in range(3):
        make(d(10, 5), d(10, 12), d(10, 7))
    make(d(10, 5), d(10, 12), d(10, 14))
    for _ in range(2):
        make(d(11, 2), d(11, 9), d(11, 3))
    waiting = make(d(11, 16), d(11, 23), d(11, 17), promised=TODAY)
    Deliverable.objects.create(
        case=waiting,
        party=Deliverable.Party.BUSINESS,
        title="Tegninger",
        due_date=d(11, 30),
        created_at=at(d(11, 17)),
    )


def test_each_share_tile_shows_its_target_and_a_verdict_in_words(screened, karen):
    page = client_for(karen).get(URL).content.decode()

    screening = tile(page, "Screenet inden for fristen")
    assert "86 % (6 af 7)" in screening
    assert "Mål: 95 %" in screening
    assert "Under målet" in screening
    answers = tile(page, "Svar senest den lovede dato")
    assert "Mål: 90 %" in answers
    assert "Ingen afgjorte sager i perioden" in answers  # no promise due yet: no verdict
    assert "Mål: 80 %" in tile(page, "Tilfredse virksomheder")
    assert "Mål: 90 %" in tile(page, "Nationale servicemål overholdt")


def test_the_target_is_the_municipalitys_own(screened, karen):
    Target.objects.update_or_create(kpi=Kpi.SCREENING, defaults={"percent": 80})

    screening = tile(client_for(karen).get(URL).content.decode(), "Screenet inden for fristen")

    assert "Mål: 80 %" in screening
    assert "Målet er nået" in screening
    assert kpi_targets()[Kpi.SCREENING] == 80


def test_each_tile_with_a_history_has_its_last_12_months_as_a_chart_with_words(screened, karen):
    page = client_for(karen).get(URL).content.decode()

    screening = tile(page, "Screenet inden for fristen")
    assert 'class="ek-sparkline" role="img"' in screening
    # The text alternative names every month, with its n (oldest first).
    desc = re.search(r"<desc [^>]*>(.*?)</desc>", screening).group(1)
    assert desc.count(":") == 13  # "Måned for måned:" and 12 months
    assert "okt 2026: 75 % (3 af 4)" in desc
    assert "nov 2026: 100 % (3 af 3)" in desc
    assert "jan 2026: – (n = 0)" in desc
    assert "Månedligt, jan 2026 – dec 2026" in screening


def test_the_monthly_figures_add_up_to_the_period(screened):
    f = MeasureFilter(start=d(1, 1), end=TODAY)
    found = trends(f).screening

    assert [m.month for m in found] == months_up_to(TODAY)
    assert sum(m.part for m in found) == 6 and sum(m.n for m in found) == 7


def test_plural_forms_agree_with_the_number(screened, karen):
    page = client_for(karen).get(URL).content.decode()

    assert "1 leverance fra virksomheden er over fristen" in tile(page, "Åbne sager nu")
    assert "1 leverancer" not in page
    assert "1 åben sag er endnu ikke besvaret" in tile(page, "Svar senest den lovede dato")
    assert "1 åbne" not in page


def test_the_tiles_add_no_queries_as_the_cases_grow(make_case, karen, today):
    client = client_for(karen)
    make_case(received=d(11, 2), screened_on=d(11, 3), screening_working_days=1)
    client.get(URL)  # warm the session and the catalogue
    cache.clear()  # the trends are cached while nothing happens: count them computed
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for month in range(1, 12):
        make_case(
            received=d(month, 2),
            screened_on=d(month, 5),
            screening_working_days=3,
            promised_answer_date=d(month, 20),
            answered_on=d(month, 18),
            answer_working_days=9,
            service_types=["byggetilladelse-erhverv"],
            service_target_met=True,
        )

    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_the_trends_are_kept_while_nothing_happens_and_read_again_after_a_change(
    make_case, karen, today
):
    client = client_for(karen)
    case = make_case(received=d(11, 2), screened_on=d(11, 3), screening_working_days=1)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as again:
        client.get(URL)
    assert len(again) <= len(first) - 5  # the 12 months' queries are not run again

    Event.objects.create(case=case, at=at(d(12, 2)), kind="message", text="Ny besked.")
    with CaptureQueriesContext(connection) as changed:
        client.get(URL)
    assert len(changed) >= len(again) + 5  # a change: the months are read afresh
