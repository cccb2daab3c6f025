"""A coordinator's open cases are one number (issue 14, item 11): the promise dashboard's
workload, "Mine sager" and the coordinator choice list ("N åbne sager") on the screening and
case pages all read ``cases.selectors.coordinator_open_cases``. On the demo they said 12, 15
and 13 for the same person: the dashboard left out her inspection visit, "Mine sager" added
the cases of her businesses that another coordinator carries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from erhvervskontakt.cases.models import CaseStatus, Channel
from erhvervskontakt.cases.selectors import coordinator_loads, coordinator_open_cases
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import backlog

from .conftest import TODAY, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like(make_case, business, karen, lars, today):
    """Like the demo's Karen: two open inquiries, one open inspection visit, one answered and
    one withdrawn case; fixed contact person of a business with a case Lars coordinates; and
    an unscreened inquiry (no coordinator yet)."""
    business.contact_person = karen
    business.save(update_fields=["contact_person"])
    screened = {"screened_on": d(11, 3), "screening_working_days": 1}
    make_case(received=d(11, 2), coordinator=karen, estimated_answer_date=d(11, 20), **screened)
    make_case(
        received=d(11, 9),
        coordinator=karen,
        status=CaseStatus.AWAITING_BUSINESS,
        paused_since=d(11, 25),
        **screened,
    )
    make_case(
        received=d(11, 16),
        coordinator=karen,
        channel=Channel.INSPECTION,
        service_types=["miljoegodkendelse"],
        **screened,
    )
    make_case(received=d(10, 1), coordinator=karen, answered_on=d(10, 20), **screened)
    make_case(received=d(10, 5), coordinator=karen, status=CaseStatus.WITHDRAWN)
    make_case(received=d(11, 23), coordinator=lars, **screened)  # Karen's business, Lars's case
    return make_case(received=d(11, 30))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_my_cases_and_the_coordinator_choices_agree(demo_like, karen, lars):
    expected = coordinator_open_cases().filter(coordinator=karen).count()
    assert expected == 3  # two inquiries and the visit; not answered, withdrawn or Lars's

    workload = {
        row.coordinator: row.open.count
        for row in backlog(MeasureFilter.last_12_months(TODAY)).workload
    }
    loads = {load.user: load.open_cases for load in coordinator_loads()}
    client = client_for(karen)
    my_cases = client.get("/medarbejder/mine-sager/").content.decode()
    screening = client.get(f"/medarbejder/screening/{demo_like.reference}/").content.decode()
    dashboard = client.get("/medarbejder/maal/").content.decode()

    assert workload[karen] == loads[karen] == expected
    assert workload[lars] == loads[lars] == 1
    assert "du er tovholder for 3 åbne sager" in re.sub(r"\s+", " ", my_cases)
    assert re.search(r"Karen [^<]*– 3 åbne sager</option>", screening)
    karen_row = re.search(r"<th scope=\"row\">Karen[^<]*</th><td><a [^>]*>(\d+)</a>", dashboard)
    assert karen_row and karen_row.group(1) == "3"
