"""The public page of processing times: no login, Danish and English, correct when empty,
never a percentage without its n, cached for a few minutes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import cph, d

pytestmark = pytest.mark.django_db

URL = "/sagsbehandlingstider/"
BUILD = "byggetilladelse-erhverv"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A cache of this test's own, so no page is served from another test's."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def answered(make_case, today):
    """Answered in the last 12 months: building permits of 10, 12 and 20 working days net
    (20 after 5 days of waiting for the business), one outside the national target."""

    def make(screening: int, answer: int, paused: int = 0, met: bool = True, **extra):
        return make_case(
            service_types=[BUILD],
            received=d(9, 1),
            screened_on=d(9, 3),
            screening_due=d(9, 8),
            screening_working_days=screening,
            answered_on=d(11, 10),
            answer_working_days=answer,
            paused_working_days=paused,
            service_target_met=met,
            **extra,
        )

    return [make(2, 8), make(2, 10), make(3, 22, paused=5, met=False)]


def test_the_page_needs_no_login_and_says_so_when_there_are_no_cases(client, catalogue, today):
    response = client.get(URL)

    assert response.status_code == 200
    page = text(response)
    assert "Sagsbehandlingstider" in page
    # Every service type: no cases yet; no screening figure, no satisfaction figure.
    assert page.count("Ingen sager endnu") == len(catalogue) + 1
    assert "Ingen besvarelser endnu" in page
    assert "%" not in page  # never "0 %"


def test_processing_times_per_service_type_with_their_n(client, answered, today):
    page = text(client.get(URL))

    # Net working days 10, 12, 20: half within 12, 8 out of 10 within 12 + 0.6 × 8 = 16,8,
    # shown as whole days.
    row = re.search(r"Byggetilladelse til industri og lager (.*?) Miljø", page).group(1)
    assert "12 arbejdsdage" in row
    assert "17 arbejdsdage" in row  # whole days on a public page: 16,8 → 17
    assert "16,8" not in row
    assert "67 % inden for 50 dage (n = 3)" in row
    assert row.strip().endswith("3")
    # The screening promise over the same cases: all three screened on the due date or
    # before — with its n.
    assert "100 % af henvendelserne blev screenet til tiden (n = 3)." in page


def test_the_page_in_english(client, answered, today):
    response = client.get(URL, headers={"accept-language": "en"})

    page = text(response)
    assert "Processing times" in page
    assert "12 working days" in page
    assert "67 % within 50 days (n = 3)" in page
    assert "100 % of the inquiries were screened on time (n = 3)." in page
    assert "No responses yet" in page


def test_the_figures_are_cached_for_a_few_minutes_per_language(
    client, answered, make_case, time_machine
):
    first = text(client.get(URL))
    make_case(
        service_types=[BUILD],
        received=d(9, 1),
        screened_on=d(9, 3),
        screening_due=d(9, 8),
        screening_working_days=1,
        answered_on=d(11, 12),
        answer_working_days=5,
        service_target_met=True,
    )

    with CaptureQueriesContext(connection) as cached:
        again = text(client.get(URL))

    assert again == first
    assert not [q for q in cached.captured_queries if "cases_case" in q["sql"]]
    # English has its own entry, computed now with the new case.
    assert "(n = 4)" in text(client.get(URL, headers={"accept-language": "en"}))
    time_machine.move_to(cph(2026, 12, 2, 12, 6), tick=False)  # six minutes later
    assert "(n = 4)" in text(client.get(URL))


def test_the_number_of_queries_does_not_grow_with_the_cases(client, answered, make_case):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for day in range(1, 20):
        make_case(
            service_types=["udeservering", "miljoegodkendelse"],
            received=dt.date(2026, 10, day),
            screened_on=dt.date(2026, 10, day),
            screening_working_days=0,
            answered_on=dt.date(2026, 11, day),
            answer_working_days=day,
        )

    assert queries() == few


def test_a_business_user_sees_it_too_and_the_portal_links_to_it(client, owner, today):
    client.force_login(owner)

    assert client.get(URL).status_code == 200
    assert URL in client.get("/").content.decode()


def test_the_address_without_the_slash_leads_to_it(client, today):
    response = Client().get(URL.rstrip("/"))

    assert response.status_code == 301
    assert response["Location"] == URL


def test_the_public_page_shows_whole_days_rounded_half_up(client, make_case, today):
    """Net working days 18 and 19: the median is 18,5, which a Dane reads as 19 (Python's
    ``round`` would say 18); 8 out of 10 within 18,8 → 19."""
    for answer in (16, 17):
        make_case(
            service_types=[BUILD],
            received=d(9, 1),
            screened_on=d(9, 3),
            screening_working_days=2,
            answered_on=d(11, 10),
            answer_working_days=answer,
            service_target_met=True,
        )

    row = re.search(r"Byggetilladelse til industri og lager (.*?) Miljø", text(client.get(URL)))

    assert row.group(1).count("19 arbejdsdage") == 2
    assert "," not in row.group(1)
