"""The department's inbox and the task cards (issue 14, items 4, 5 and 10): each department
sees its own date, only the actions it may use, and in words how late a task is; the inbox
sorts and filters with plain GET parameters in constant queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case, Task
from erhvervskontakt.cases.services.plan import deliverable_change
from erhvervskontakt.cases.services.tasks import task_claim
from erhvervskontakt.catalogue.models import Department
from erhvervskontakt.common import clock

pytestmark = pytest.mark.django_db

INBOX = "/medarbejder/afdeling/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def card(page: str, task: Task) -> str:
    """The HTML of one task's card on a page."""
    start = page.index(f'<li id="opgave-{task.pk}"')
    return page[start : page.index("</li>", page.index('class="wb-task-body"', start))]


@pytest.fixture
def two_departments(make_case, karen):
    """A building and environment case; Byggeri's answer line moved 60 days earlier than
    the case's estimate (which is Miljø's, the slower one)."""

    def make() -> tuple[Case, Task, Task, dt.date]:
        case = make_case(
            service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
            answers={"matrikel": "12a", "etageareal": 400},
            screen=True,
        )
        line = case.deliverables.get(party="municipality", service_type__code__startswith="bygge")
        own = case.estimated_answer_date - dt.timedelta(days=60)
        deliverable_change(
            deliverable=line, actor=karen, reason="Byggeri er hurtigere.", due_date=own
        )
        building = case.tasks.get(department__code="byggeri")
        environment = case.tasks.get(department__code="miljoe")
        return Case.objects.get(pk=case.pk), building, environment, own

    return make


def test_the_inbox_and_the_task_card_show_the_departments_own_date(
    client_for, bodil, two_departments
):
    from erhvervskontakt.web.templatetags.pages import long_date

    case, building, environment, own = two_departments()
    estimate = case.estimated_answer_date

    inbox = card(text(client_for(bodil).get(INBOX)), building)
    view = text(client_for(bodil).get(f"/medarbejder/sager/{case.reference}/"))

    assert long_date(own) in inbox and long_date(estimate) not in inbox
    assert f"Afdelingens frist: {long_date(own)}" in card(view, building)
    assert f"Afdelingens frist: {long_date(estimate)}" in card(view, environment)


def test_a_caseworker_sees_no_buttons_on_another_departments_task(
    client_for, bodil, two_departments
):
    case, building, environment, _ = two_departments()

    view = text(client_for(bodil).get(f"/medarbejder/sager/{case.reference}/"))

    assert "Tag opgaven" in card(view, building)
    assert "Markér som færdig" in card(view, building)
    for button in ("Tag opgaven", "Markér som færdig", "Genåbn", "Giv"):
        assert button not in card(view, environment), button


def test_tag_opgaven_is_gone_once_the_task_is_yours(client_for, bodil, building_case):
    task = building_case(screen=True).tasks.get()
    client = client_for(bodil)
    assert f'id="opgave-{task.pk}-tag"' in text(client.get(INBOX))

    client.post(f"/medarbejder/opgaver/{task.pk}/tag/", {"version": task.version})

    inbox = card(text(client.get(INBOX)), task)
    assert "I gang – Bodil Bach" in inbox
    assert f'id="opgave-{task.pk}-tag"' not in inbox
    assert "Markér som færdig" in inbox


def test_the_complete_form_asks_for_a_result_and_offers_the_departments_answer_line(
    client_for, bodil, two_departments
):
    _, building, _, _ = two_departments()

    inbox = card(text(client_for(bodil).get(INBOX)), building)

    assert 'name="result"' in inbox and "required" in inbox
    assert 'name="file"' in inbox
    assert "»Svar: Byggetilladelse til industri og lager«" in inbox
    assert "Miljøgodkendelse" not in inbox.split('name="deliver_answer"')[1]


def test_an_overdue_task_says_so_in_words(client_for, bodil, two_departments, time_machine):
    case, building, _, own = two_departments()
    time_machine.move_to(
        dt.datetime.combine(own + dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    )

    inbox = card(text(client_for(bodil).get(INBOX)), building)
    view = card(text(client_for(bodil).get(f"/medarbejder/sager/{case.reference}/")), building)

    assert "3 dage over fristen" in inbox
    assert "3 dage over fristen" in view


def test_the_inbox_filters_by_status_and_whose_and_sorts_by_date(
    client_for, bodil, building_case, two_departments
):
    plain = building_case(screen=True).tasks.get()  # due on its case's estimate (later)
    _, early, _, _ = two_departments()  # Byggeri's own date, weeks before
    task_claim(task=plain, actor=bodil)
    client = client_for(bodil)

    def order(query: str) -> list[int]:
        page = text(client.get(INBOX + query))
        return [int(pk) for pk in re.findall(r'<li id="opgave-(\d+)"', page)]

    assert order("") == [early.pk, plain.pk]
    assert order("?sorter=frist-senest") == [plain.pk, early.pk]
    assert order("?status=in_progress") == [plain.pk]
    assert order("?status=open") == [early.pk]
    assert order("?vis=mine") == [plain.pk]
    assert order("?vis=unclaimed") == [early.pk]
    assert order("?status=overdue") == []
    assert order("?status=nonsense&sorter=nonsense&vis=nonsense") == [early.pk, plain.pk]
    page = text(client.get(INBOX + "?status=in_progress"))
    assert '<option value="in_progress" selected>' in page


def test_the_inbox_runs_the_same_queries_for_one_task_as_for_many(
    client_for, bodil, building_case, two_departments
):
    building_case(screen=True)
    client = client_for(bodil)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [INBOX, INBOX + "?status=overdue", INBOX + "?sorter=modtaget&vis=unclaimed"]
    few = [queries(url) for url in urls]
    for _ in range(4):
        two_departments()
        task_claim(task=building_case(screen=True).tasks.get(), actor=bodil)
    assert [queries(url) for url in urls] == few


def test_a_head_of_unit_outside_the_department_may_act_and_sees_the_buttons(
    client_for, building_case
):
    head = StaffFactory(is_head_of_unit=True, department=Department.objects.get(code="vej"))
    case = building_case(screen=True)
    task = case.tasks.get()

    view = card(text(client_for(head).get(f"/medarbejder/sager/{case.reference}/")), task)

    assert "Tag opgaven" in view
    assert clock.today() <= case.estimated_answer_date
