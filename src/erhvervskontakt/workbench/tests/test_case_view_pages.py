"""The staff case view pages its timeline and its messages: newest first, 25 at a time, an
htmx "Vis ældre" that appends the next page, and a plain link that works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import Event, Message
from erhvervskontakt.cases.selectors import (
    case_messages_page,
    case_timeline_page,
)
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.common import clock

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode()


def add_events(case, n: int) -> None:
    """n more timeline entries, one minute apart, numbered 1 (oldest) to n (newest)."""
    start = clock.now() + dt.timedelta(hours=1)
    Event.objects.bulk_create(
        Event(
            case=case,
            at=start + dt.timedelta(minutes=i),
            kind="test",
            text=f"Hændelse nr. {i:03d}",
            data={},
        )
        for i in range(1, n + 1)
    )


def add_messages(case, author, n: int, *, internal: bool) -> None:
    start = clock.now() + dt.timedelta(hours=1)
    word = "Notat" if internal else "Besked"
    Message.objects.bulk_create(
        Message(
            case=case,
            author=author,
            body=f"{word} nr. {i:03d}",
            internal=internal,
            created_at=start + dt.timedelta(minutes=i),
        )
        for i in range(1, n + 1)
    )


def test_the_timeline_shows_the_newest_25_first_and_links_to_older(client_for, karen, make_case):
    case = make_case(screen=True)
    add_events(case, 60)

    page = text(client_for(karen).get(f"/medarbejder/sager/{case.reference}/"))

    assert "Hændelse nr. 060" in page and "Hændelse nr. 036" in page
    assert "Hændelse nr. 035" not in page
    assert page.index("Hændelse nr. 060") < page.index("Hændelse nr. 036")
    older = f"/medarbejder/sager/{case.reference}/?tidslinje=2#tidslinje"
    assert f'href="{older}"' in page
    assert f'hx-get="/medarbejder/sager/{case.reference}/?tidslinje=2"' in page
    assert "Vis nyere" not in page


def test_without_javascript_the_older_link_is_the_page_with_the_next_25(
    client_for, karen, make_case
):
    case = make_case(screen=True)
    add_events(case, 60)

    page = text(client_for(karen).get(f"/medarbejder/sager/{case.reference}/?tidslinje=2"))

    assert "Hændelse nr. 035" in page and "Hændelse nr. 011" in page
    assert "Hændelse nr. 036" not in page and "Hændelse nr. 010" not in page
    assert "Vis nyere" in page
    assert "?tidslinje=3#tidslinje" in page
    assert page.count("<h1") == 1, "the whole case view"


def test_htmx_gets_only_the_older_entries_and_the_next_link(client_for, karen, make_case):
    case = make_case(screen=True)
    add_events(case, 60)

    response = client_for(karen).get(f"/medarbejder/sager/{case.reference}/?tidslinje=3", **HTMX)

    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page and "<h1" not in page
    # The 10 oldest of the 60, then whatever the case had before (intake and screening).
    assert "Hændelse nr. 010" in page and "Hændelse nr. 001" in page
    assert "Hændelse nr. 011" not in page
    assert "data-focus-after-swap" in page.split("</li>")[0], "the first new entry gets focus"
    assert 'id="tidslinje-sider" class="wb-list-pages" hx-swap-oob="true"' in page
    assert "Vis nyere" not in page, "appended pages have no newer link"


def test_notes_and_dialogue_page_apart_newest_first(client_for, karen, owner, make_case):
    case = make_case(screen=True)
    add_messages(case, karen, 30, internal=True)
    add_messages(case, owner, 27, internal=False)
    client = client_for(karen)

    page = text(client.get(f"/medarbejder/sager/{case.reference}/?dialog=2&tidslinje=1"))

    assert "Notat nr. 030" in page and "Notat nr. 006" in page and "Notat nr. 005" not in page
    assert "Besked nr. 002" in page and "Besked nr. 001" in page and "Besked nr. 003" not in page
    # Each list's links keep the other lists' pages.
    assert "?dialog=2&amp;tidslinje=1&amp;notater=2#notater" in page
    assert "?dialog=1&amp;tidslinje=1#dialog" in page


@pytest.mark.parametrize("side", ["0", "-4", "abc", "9" * 30, "99999"])
def test_a_page_number_of_any_kind_is_never_an_error(client_for, karen, make_case, side):
    case = make_case(screen=True)

    response = client_for(karen).get(f"/medarbejder/sager/{case.reference}/?tidslinje={side}")

    assert response.status_code == 200


def test_the_pages_never_show_internal_entries_to_a_business_user(owner, karen, make_case):
    case = make_case(screen=True)
    case_message_post(case=case, actor=karen, body="Kun for os", internal=True)
    case_message_post(case=case, actor=karen, body="Til jer", internal=False)

    notes = case_messages_page(user=owner, case=case, internal=True)
    dialogue = case_messages_page(user=owner, case=case, internal=False)
    timeline = case_timeline_page(user=owner, case=case)

    assert notes.items == []
    assert [m.body for m in dialogue.items] == ["Til jer"]
    assert not any(e.internal for e in timeline.items)
    assert "Internt notat tilføjet." in [
        e.text for e in case_timeline_page(user=karen, case=case).items
    ]
