"""A message from the business stays unread in the workbench ("Mine sager" row and menu)
until the case's coordinator, or a caseworker with a task on it, opens the case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Event, Message
from erhvervskontakt.cases.selectors import unread_message_count
from erhvervskontakt.cases.services.messages import case_message_post, case_messages_mark_read
from erhvervskontakt.cases.services.tasks import task_claim

pytestmark = pytest.mark.django_db

MY_CASES = "/medarbejder/mine-sager/"


def page(client, url: str = MY_CASES) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_business_message_is_unread_in_my_cases_until_the_coordinator_opens_the_case(
    client_for, karen, owner, building_case
):
    case = building_case(screen=True)
    case_message_post(case=case, actor=owner, body="Hvornår hører vi fra jer?")
    case_message_post(case=case, actor=owner, body="Og en ting mere.")
    client = client_for(karen)

    html = page(client)
    assert "2 ulæste beskeder" in html
    assert 'Mine sager <span class="wb-unread-count">(2 ulæste)</span>' in html

    page(client, f"/medarbejder/sager/{case.reference}/")

    html = page(client)
    assert "ulæst" not in html
    read = Message.objects.filter(case=case, author=owner)
    assert all(m.read_by == karen and m.read_at is not None for m in read)


def test_a_read_is_in_the_staff_timeline_only_and_does_not_change_the_case(
    karen, owner, building_case
):
    case = building_case(screen=True)
    message = case_message_post(case=case, actor=owner, body="Spørgsmål")
    case.refresh_from_db()
    version = case.version

    assert case_messages_mark_read(case=case, actor=karen) == 1
    assert case_messages_mark_read(case=case, actor=karen) == 0  # once

    event = Event.objects.get(case=case, kind="messages_read")
    assert event.internal
    assert event.business_text == ""
    assert event.actor == karen
    assert event.text == "1 besked fra virksomheden læst af Karen Kofoed."
    assert event.data == {"messages": [message.pk]}
    case.refresh_from_db()
    assert case.version == version


def test_a_colleague_looking_at_the_case_leaves_it_unread(
    client_for, karen, lars, owner, building_case
):
    case = building_case(screen=True)
    case_message_post(case=case, actor=owner, body="Spørgsmål")

    page(client_for(lars), f"/medarbejder/sager/{case.reference}/")

    assert Message.objects.get(case=case, author=owner).read_at is None
    assert not Event.objects.filter(case=case, kind="messages_read").exists()
    assert unread_message_count(user=karen) == 1
    assert unread_message_count(user=lars) == 0


def test_the_caseworker_with_a_task_sees_it_unread_and_reads_it_by_opening_the_case(
    client_for, karen, bodil, owner, building_case
):
    case = building_case(screen=True)
    task_claim(task=case.tasks.get(), actor=bodil)
    case_message_post(case=case, actor=owner, body="Spørgsmål til Byggeri")
    client = client_for(bodil)
    assert 'Mine sager <span class="wb-unread-count">(1 ulæst)</span>' in page(
        client, "/medarbejder/afdeling/"
    )

    page(client, f"/medarbejder/sager/{case.reference}/")

    assert Message.objects.get(case=case, author=owner).read_by == bodil
    assert unread_message_count(user=karen) == 0  # read is read, by whoever it was meant for


def test_staff_messages_and_notes_are_never_unread(client_for, karen, lars, building_case):
    case = building_case(screen=True)
    case_message_post(case=case, actor=lars, body="Til virksomheden")
    case_message_post(case=case, actor=lars, body="Note", internal=True)

    assert unread_message_count(user=karen) == 0
    assert "ulæst" not in page(client_for(karen))


def test_my_cases_counts_unread_messages_in_a_constant_number_of_queries(
    client_for, karen, owner, building_case
):
    client = client_for(karen)

    def grow(n: int) -> None:
        for _ in range(n):
            case = building_case(screen=True)
            case_message_post(case=case, actor=owner, body="Spørgsmål")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client)
        return len(captured)

    grow(1)
    one = queries()
    grow(9)
    assert queries() == one
    assert "(10 ulæste)" in page(client)


def test_an_inactive_or_business_user_marks_nothing(owner, building_case):
    case = building_case(screen=True)
    case_message_post(case=case, actor=owner, body="Spørgsmål")
    gone = StaffFactory(username="gone", is_active=False)

    assert case_messages_mark_read(case=case, actor=owner) == 0
    assert case_messages_mark_read(case=case, actor=gone) == 0
    assert Message.objects.get(case=case, author=owner).read_at is None
