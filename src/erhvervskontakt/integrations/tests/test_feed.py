"""The events feed (``selectors.event_feed``): ordered, paged by a stable cursor that never
skips an event, and scoped like every read."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from erhvervskontakt.cases.models import Case, Event
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed
from erhvervskontakt.integrations.feed import cursor_decode, cursor_encode, event_payload
from erhvervskontakt.integrations.selectors import event_feed

pytestmark = pytest.mark.django_db


def _read_all(user, *, after: int = 0, limit: int = 3, **options) -> list[int]:
    """Follow the feed page by page until it is caught up; the ids in the order served."""
    seen: list[int] = []
    while True:
        page = event_feed(user=user, after=after, limit=limit, **options)
        seen += [e.pk for e in page.items]
        after = page.last
        if not page.more:
            return seen


def _event(case: Case, kind: str = "test", **fields) -> Event:
    fields.setdefault("at", clock.now())
    fields.setdefault("text", f"{kind} (intern tekst)")
    return Event.objects.create(case=case, kind=kind, **fields)


# --- order and paging -----------------------------------------------------------------------


def test_feed_serves_every_event_once_in_id_order_across_pages(submit, karen):
    for _ in range(3):
        case_screen(case=submit(), actor=karen)
    every = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    assert len(every) > 9

    assert _read_all(karen, limit=4) == every


def test_cursor_after_the_last_event_gives_an_empty_page_and_keeps_its_place(submit, karen):
    submit()
    first = event_feed(user=karen, limit=200)

    again = event_feed(user=karen, after=first.last)

    assert first.items and not first.more
    assert again.items == [] and again.last == first.last and not again.more


def test_a_full_page_says_there_may_be_more(submit, karen):
    submit()
    count = Event.objects.count()

    assert event_feed(user=karen, limit=count).more
    assert not event_feed(user=karen, limit=count + 1).more


def test_kinds_filter_keeps_only_those_kinds(submit, karen):
    case_screen(case=submit(), actor=karen)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert len(kinds) > 1
    wanted = sorted(kinds)[0]

    page = event_feed(user=karen, limit=200, kinds=[wanted])

    assert page.items and {e.kind for e in page.items} == {wanted}


def test_a_filter_that_matches_nothing_still_moves_its_cursor_on(submit, karen, owner):
    """Else a kind that never comes (or a business's few cases) would rescan the same
    stretch of the table at every poll."""
    submit()
    newest = Event.objects.latest("pk").pk

    assert event_feed(user=karen, kinds=["findes_ikke"]).last == newest
    assert event_feed(user=owner, kinds=["findes_ikke"]).last == newest


def test_the_cursor_never_moves_past_events_that_have_not_settled(submit, karen, settings):
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 60
    case = submit()
    old = _event(case, at=clock.now() - dt.timedelta(hours=1))
    _event(case, "fresh")

    page = event_feed(user=karen, after=old.pk - 1, kinds=["findes_ikke"])

    assert page.last == old.pk  # the newest settled one, not the fresh one after it


def test_cursor_is_opaque_and_round_trips():
    cursor = cursor_encode(123456)

    assert "123456" not in cursor
    assert cursor_decode(cursor) == 123456
    assert cursor_decode("") == 0 and cursor_decode(None) == 0


@pytest.mark.parametrize("bad", ["ikke-en-markør", "ZQ", "eDEy", "eC0x", "e" * 41, "x9"])
def test_a_cursor_that_is_not_ours_is_refused_on_its_field(bad):
    with pytest.raises(ValidationFailed) as refused:
        cursor_decode(bad)

    assert "after" in refused.value.errors


# --- never skipping an event ----------------------------------------------------------------


def test_an_event_committed_late_with_a_lower_id_is_not_skipped(submit, karen, settings):
    """The anomaly a naive ``id > cursor`` has: a transaction allocates id N, another one
    commits N+1, a client reads N+1 and moves its cursor past N; then N commits, and the
    client never sees it. Here N is written after N+1 with the ``at`` it read when it began;
    the feed holds N+1 back until every event that could still commit below it has."""
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 60
    case = submit()
    old = _event(case, at=clock.now() - dt.timedelta(hours=1))  # settled long ago
    began = clock.now()  # the slow transaction reads its clock and gets id old + 1 …
    high = _event(case, "quick", pk=old.pk + 2)  # … a quicker one commits old + 2 first

    # A client polls now: a naive id > cursor would hand it `high` and move past old + 1.
    page = event_feed(user=karen, after=old.pk - 1, limit=50)
    assert [e.pk for e in page.items] == [old.pk]

    late = _event(case, "slow", pk=old.pk + 1, at=began)  # the slow transaction commits
    later = event_feed(
        user=karen, after=page.last, limit=50, now=clock.now() + dt.timedelta(minutes=2)
    )

    assert [e.pk for e in later.items] == [late.pk, high.pk]


def test_without_a_margin_the_late_event_would_be_skipped(submit, karen, settings):
    """The same story with no margin (what ``id > cursor`` alone does): the late event is
    passed over for ever. Beside the test above, it shows what the margin buys."""
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 0
    case = submit()
    old = _event(case, at=clock.now() - dt.timedelta(hours=1))
    high = _event(case, "quick", pk=old.pk + 2)
    page = event_feed(user=karen, after=old.pk - 1, limit=50)
    assert [e.pk for e in page.items] == [old.pk, high.pk]

    _event(case, "slow", pk=old.pk + 1)

    assert event_feed(user=karen, after=page.last, limit=50).items == []


def test_an_event_is_served_once_it_has_settled(submit, karen, settings, time_machine):
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 60
    time_machine.move_to(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False)
    submit()
    assert event_feed(user=karen, limit=200).items == []

    time_machine.shift(dt.timedelta(seconds=59))
    assert event_feed(user=karen, limit=200).items == []

    time_machine.shift(dt.timedelta(seconds=1))
    assert len(event_feed(user=karen, limit=200).items) == Event.objects.count()


def test_a_page_stops_at_the_first_event_not_settled(submit, karen, settings):
    """Ids and ``at`` may disagree by a moment: the page is the settled prefix, never a
    settled event after an unsettled one (which would move the cursor past it)."""
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 60
    case = submit()
    Event.objects.update(at=clock.now() - dt.timedelta(hours=1))
    settled = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    _event(case, "fresh")
    _event(case, "old", at=clock.now() - dt.timedelta(hours=1))

    page = event_feed(user=karen, limit=200)

    assert [e.pk for e in page.items] == settled
    assert page.last == settled[-1] and not page.more


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's writers take the lock at BEGIN (IMMEDIATE) and commit in id order",
)
def test_a_really_concurrent_late_commit_is_not_skipped_on_postgresql(submit, karen, settings):
    """Two real transactions on PostgreSQL: one allocates an id and waits; another commits a
    higher id; the feed is read; then the first commits. Nothing is skipped."""
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 5
    case = submit()
    before = event_feed(user=karen, limit=200, now=clock.now() + dt.timedelta(minutes=1)).last
    inserted, release = threading.Event(), threading.Event()
    slow_id: list[int] = []

    def slow() -> None:
        try:
            with transaction.atomic():
                slow_id.append(_event(case, "slow").pk)
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=slow)
    worker.start()
    assert inserted.wait(10)
    quick = _event(case, "quick")
    assert quick.pk > slow_id[0]

    first = event_feed(user=karen, after=before, limit=200)  # the slow one is invisible
    release.set()
    worker.join(10)
    caught_up = event_feed(
        user=karen, after=first.last, limit=200, now=clock.now() + dt.timedelta(seconds=10)
    )

    served = [e.pk for e in first.items + caught_up.items]
    assert served == [slow_id[0], quick.pk]


# --- scope ----------------------------------------------------------------------------------


def test_a_business_user_reads_only_its_own_cases_lines_written_for_it(
    submit, karen, owner, other_owner, other_business
):
    mine = submit()
    case_screen(case=mine, actor=karen)
    case_message_post(case=mine, actor=karen, body="Intern vurdering", internal=True)
    theirs = submit(actor=other_owner, cvr=other_business.cvr)

    page = event_feed(user=owner, limit=200)

    assert page.items
    assert {e.case_id for e in page.items} == {mine.pk}
    assert all(e.business_text and not e.internal for e in page.items)
    shown = [event_payload(e, staff=False) for e in page.items]
    assert {s["text"] for s in shown} == {e.business_text for e in page.items}
    assert not any(s["internal"] for s in shown)
    assert theirs.pk not in {e.case_id for e in event_feed(user=owner, limit=200).items}
    assert {e.case_id for e in event_feed(user=other_owner, limit=200).items} == {theirs.pk}


def test_staff_read_the_full_log_with_internal_entries(submit, karen):
    case = submit()
    case_message_post(case=case, actor=karen, body="Intern vurdering", internal=True)

    page = event_feed(user=karen, limit=200)

    note = next(e for e in page.items if e.internal)
    shown = event_payload(note, staff=True)
    assert shown["internal"] is True and shown["text"] == note.text
    assert shown["case"] == case.reference
    assert shown["cursor"] == cursor_encode(note.pk)


def test_a_caseworker_reads_only_the_cases_of_their_department(submit, karen, bodil):
    submit()  # outdoor serving: a Vej case, not Byggeri's

    assert event_feed(user=bodil, limit=200).items == []


def test_a_business_user_whose_membership_ended_reads_nothing(submit, owner):
    from erhvervskontakt.businesses.models import Membership

    submit()
    Membership.objects.filter(user=owner).update(active=False)

    assert event_feed(user=owner, limit=200).items == []
