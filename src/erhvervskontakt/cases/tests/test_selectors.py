"""Reads of cases: who sees what (``Case.objects.visible_to``), the detail, the filtered list,
and a constant number of queries whatever the number of cases, deliverables and events.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.businesses.tests.factories import BusinessUserFactory
from erhvervskontakt.cases.models import Case, CaseStatus, sees_case
from erhvervskontakt.cases.selectors import (
    case_get,
    case_list,
    case_missing,
    case_open_count_by_coordinator,
)
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def two_cases(submit, karen, business, other_business):
    """One case for business A (``owner``), one for business B (``other_owner``)."""
    mine = submit(actor=karen, cvr=business.cvr)
    theirs = submit(actor=karen, cvr=other_business.cvr)
    return mine, theirs


# --- visibility --------------------------------------------------------------------------


def _screened_building_case(submit, karen) -> Case:
    """A complete building case, screened: a Byggeri task."""
    case = submit(
        actor=karen,
        service_types=["byggetilladelse-erhverv"],
        answers={"matrikel": "1a", "etageareal": 100},
    )
    return case_screen(case=case, actor=karen)


def test_coordinators_heads_of_unit_and_admins_see_every_case(
    two_cases, karen, admin_user, catalogue
):
    head = StaffFactory(
        username="leder", is_head_of_unit=True, department=catalogue["udeservering"].department
    )
    for user in (karen, admin_user, head):
        assert set(Case.objects.visible_to(user)) == set(two_cases)


def test_staff_without_a_department_see_every_case(two_cases):
    integration = StaffFactory(username="fagsystem")

    assert set(Case.objects.visible_to(integration)) == set(two_cases)


def test_a_caseworker_sees_cases_with_a_task_for_their_department_or_given_to_them(
    submit, karen, bodil, catalogue
):
    # Given an outdoor-serving case (a Vej task) and a building case (a Byggeri task)
    road = case_screen(case=submit(actor=karen), actor=karen)
    building = _screened_building_case(submit, karen)
    unscreened = submit(actor=karen, service_types=["byggetilladelse-erhverv"], answers={})

    # Bodil (Byggeri) sees the building case only; not the unscreened one (no task yet)
    assert list(Case.objects.visible_to(bodil)) == [building]
    assert unscreened not in Case.objects.visible_to(bodil)

    # When the Vej task is given to her (by an administrator), she sees that case too
    road.tasks.update(assignee=bodil)
    assert set(Case.objects.visible_to(bodil)) == {building, road}


def test_a_business_user_sees_only_its_businesses_cases(two_cases, owner, other_owner):
    mine, theirs = two_cases

    assert list(Case.objects.visible_to(owner)) == [mine]
    assert list(Case.objects.visible_to(other_owner)) == [theirs]


def test_a_user_acting_for_two_businesses_sees_both(two_cases, business, other_business):
    adviser = BusinessUserFactory(username="revisor@raad.dk", business=business)
    Membership.objects.create(user=adviser, business=other_business, role="adviser")

    assert set(Case.objects.visible_to(adviser)) == set(two_cases)


def test_an_inactive_user_sees_nothing(two_cases, owner, karen):
    owner.is_active = False
    owner.save()
    karen.is_active = False
    karen.save()

    assert list(Case.objects.visible_to(owner)) == []
    assert list(Case.objects.visible_to(karen)) == []


def test_a_user_whose_access_ended_sees_nothing(two_cases, owner):
    owner.memberships.update(active=False)

    assert list(Case.objects.visible_to(owner)) == []


def test_an_anonymous_visitor_sees_nothing(two_cases):
    assert list(Case.objects.visible_to(AnonymousUser())) == []


def test_one_cases_visibility_agrees_with_the_list_rule_for_every_persona(
    submit, karen, bodil, owner, other_owner, admin_user, business, other_business, catalogue
):
    """``sees_case`` (the services' access check on one case) answers as ``visible_to``
    does, for each kind of user and each case: screened or not, another department's, one
    whose task was given to a caseworker of another department, another business's."""
    road = case_screen(case=submit(actor=karen), actor=karen)
    given = case_screen(case=submit(actor=karen), actor=karen)
    given.tasks.update(assignee=bodil)
    building = _screened_building_case(submit, karen)
    unscreened = submit(actor=karen, service_types=["byggetilladelse-erhverv"], answers={})
    theirs = submit(actor=karen, cvr=other_business.cvr)
    adviser = BusinessUserFactory(username="revisor@raad.dk", business=business)
    Membership.objects.create(user=adviser, business=other_business, role="adviser")
    ended = BusinessUserFactory(username="tidligere@firma.dk", business=business)
    ended.memberships.update(active=False)
    inactive = StaffFactory(
        username="stoppet", department=catalogue["udeservering"].department, is_active=False
    )
    users = [
        karen,
        bodil,
        owner,
        other_owner,
        admin_user,
        adviser,
        ended,
        inactive,
        AnonymousUser(),
        StaffFactory(username="fagsystem"),
        StaffFactory(username="vej", department=catalogue["udeservering"].department),
        StaffFactory(
            username="leder", is_head_of_unit=True, department=catalogue["udeservering"].department
        ),
    ]
    cases = [road, given, building, unscreened, theirs]
    seen = 0
    for user in users:
        visible = set(Case.objects.visible_to(user))
        for case in cases:
            assert sees_case(user, case) == (case in visible), (user, case.reference)
            seen += case in visible
    assert 0 < seen < len(users) * len(cases)  # the rule both shows and hides here


# --- detail ------------------------------------------------------------------------------


def test_case_get_finds_a_visible_case_by_reference(two_cases, owner):
    mine, _ = two_cases

    found = case_get(user=owner, reference=f"  {mine.reference.lower()} ")

    assert found == mine


def test_another_business_s_case_is_not_found(two_cases, owner):
    _, theirs = two_cases

    with pytest.raises(NotFound):
        case_get(user=owner, reference=theirs.reference)


def test_an_unknown_reference_is_not_found(two_cases, karen):
    with pytest.raises(NotFound):
        case_get(user=karen, reference="EK-2026-99999")


# --- list and filters --------------------------------------------------------------------


@pytest.fixture
def dated_cases(submit, karen, lars, owner, business, other_business, time_machine):
    """Six cases at known dates, looked at on Fri 27 Nov 2026.

    - late_screening: received Mon 2 Nov, screening due Mon 9 Nov, not screened → overdue
    - fresh: received Thu 26 Nov (business B), due Thu 3 Dec → not overdue
    - late_answer: screened Tue 3 Nov, estimate Tue 17 Nov, in progress → overdue
    - on_track: screened Mon 23 Nov by Lars, estimate Mon 7 Dec → not overdue
    - late_material: screened Tue 3 Nov, the business's material due Tue 17 Nov → overdue
    - answered: screened Tue 3 Nov, answered Fri 20 Nov (late, but no longer open) → not
    """

    def received(day: dt.datetime, **fields):
        time_machine.move_to(day, tick=False)
        return submit(actor=karen, **fields)

    def screen(case, day, coordinator="karen"):
        time_machine.move_to(day, tick=False)
        return case_screen(case=case, actor=karen, coordinator=coordinator)

    cases = {
        "late_screening": received(cph(2026, 11, 2)),
        "fresh": received(cph(2026, 11, 26), cvr=other_business.cvr),
        "late_answer": screen(received(cph(2026, 11, 2, 11)), cph(2026, 11, 3)),
        "on_track": screen(received(cph(2026, 11, 20)), cph(2026, 11, 23), "lars"),
        "late_material": screen(received(cph(2026, 11, 2, 12), answers={}), cph(2026, 11, 3)),
        "answered": screen(received(cph(2026, 11, 2, 13)), cph(2026, 11, 3)),
    }
    time_machine.move_to(cph(2026, 11, 20), tick=False)
    case_record_decision(case=cases["answered"], actor=karen, summary="Ja.")
    time_machine.move_to(cph(2026, 11, 27, 12), tick=False)
    return {name: Case.objects.get(pk=case.pk) for name, case in cases.items()}


def names(page, cases) -> set[str]:
    by_pk = {case.pk: name for name, case in cases.items()}
    return {by_pk[case.pk] for case in page.items}


def test_the_list_is_newest_first_with_a_total_count(dated_cases, karen):
    page = case_list(user=karen)

    assert page.count == 6
    received = [case.received_at for case in page.items]
    assert received == sorted(received, reverse=True)
    assert page.items[0] == dated_cases["fresh"]


def test_the_list_pages_with_limit_and_offset(dated_cases, karen):
    everything = case_list(user=karen).items

    page = case_list(user=karen, limit=2, offset=2)

    assert page.count == 6
    assert page.items == everything[2:4]


def test_the_list_filters_on_status(dated_cases, karen):
    page = case_list(user=karen, status=CaseStatus.IN_PROGRESS)

    assert names(page, dated_cases) == {"late_answer", "on_track"}
    assert page.count == 2


def test_an_unknown_status_filter_is_refused(dated_cases, karen):
    with pytest.raises(ValidationFailed) as refused:
        case_list(user=karen, status="lost")

    assert list(refused.value.errors) == ["status"]


def test_the_list_filters_on_cvr_written_any_accepted_way(dated_cases, karen, other_business):
    page = case_list(user=karen, cvr=f"DK {other_business.cvr[:4]} {other_business.cvr[4:]}")

    assert names(page, dated_cases) == {"fresh"}


def test_an_invalid_cvr_filter_is_refused(dated_cases, karen):
    with pytest.raises(ValidationFailed) as refused:
        case_list(user=karen, cvr="12345678")

    assert list(refused.value.errors) == ["cvr"]


def test_the_list_filters_on_coordinator(dated_cases, karen):
    assert names(case_list(user=karen, coordinator="lars"), dated_cases) == {"on_track"}
    assert names(case_list(user=karen, coordinator="karen"), dated_cases) == {
        "late_answer",
        "late_material",
        "answered",
    }


def test_the_list_filters_on_overdue(dated_cases, karen):
    late = case_list(user=karen, overdue=True)
    not_late = case_list(user=karen, overdue=False)

    assert names(late, dated_cases) == {"late_screening", "late_answer", "late_material"}
    assert names(not_late, dated_cases) == {"fresh", "on_track", "answered"}
    assert (late.count, not_late.count) == (3, 3)


def test_a_case_is_not_overdue_on_its_due_date_but_the_day_after(submit, karen, time_machine):
    time_machine.move_to(cph(2026, 11, 20), tick=False)
    case = submit(actor=karen)  # Fri 20 Nov + 5 working days: due Fri 27 Nov

    time_machine.move_to(cph(2026, 11, 27, 23, 59), tick=False)
    assert case_list(user=karen, overdue=True).items == []

    time_machine.move_to(cph(2026, 11, 28, 0, 1), tick=False)
    assert case_list(user=karen, overdue=True).items == [case]


def test_a_business_user_s_filters_stay_within_its_own_cases(dated_cases, owner, other_owner):
    assert names(case_list(user=owner), dated_cases) == set(dated_cases) - {"fresh"}
    assert names(case_list(user=other_owner), dated_cases) == {"fresh"}
    assert case_list(user=other_owner, overdue=True).items == []
    assert case_list(user=owner, cvr=dated_cases["fresh"].business.cvr).items == []


def test_open_cases_are_counted_per_coordinator(dated_cases, karen, lars):
    # Karen: late_answer and late_material are open, answered is not; Lars: on_track.
    assert case_open_count_by_coordinator() == {karen.pk: 2, lars.pk: 1}


# --- constant queries --------------------------------------------------------------------


@pytest.fixture
def busy_case(submit, karen, owner, time_machine, pdf_bytes):
    """``busy_case()``: a case in three departments, screened, with answers, a document,
    several deliverables and a dozen events — everything a case representation shows."""
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)

    def make() -> Case:
        case = submit(
            service_types=["byggetilladelse-erhverv", "miljoegodkendelse", "udeservering"],
            answers={"matrikel": "12a"},
        )
        case = case_screen(case=case, actor=karen)
        case_supply_answers(case=case, actor=owner, answers={"etageareal": 900, "areal": 10})
        case_add_document(
            case=case,
            actor=owner,
            upload=SimpleUploadedFile("t.pdf", pdf_bytes),
            requirement_key="tegninger",
        )
        return Case.objects.get(pk=case.pk)

    return make


def read_everything(case: Case, *, timeline: bool) -> None:
    """Touch every relation the case representation shows, as an interface would."""
    _ = (case.business.cvr, case.business.name, case.coordinator and case.coordinator.email)
    _ = [st.code for st in case.service_types.all()]
    _ = [(m.key, m.label) for m in case_missing(case)]
    _ = [(d.party, d.title, d.due_date, d.status) for d in case.deliverables.all()]
    _ = [
        (t.department.code, [st.code for st in t.service_types.all()], t.assignee)
        for t in case.tasks.all()
    ]
    _ = [(a.key, a.value) for a in case.answers.all()]
    _ = [d.original_name for d in case.documents.all()]
    if timeline:
        _ = [(e.kind, e.actor and e.actor.display_name, e.text) for e in case.events.all()]


def count_list_queries(user, **filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = case_list(user=user, **filters)
        for case in page.items:
            read_everything(case, timeline=False)
    return len(queries)


def count_detail_queries(user, reference: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        read_everything(case_get(user=user, reference=reference), timeline=True)
    return len(queries)


def test_the_list_runs_the_same_queries_for_one_case_and_for_twenty(busy_case, karen, owner):
    busy_case()
    one = {
        "staff": count_list_queries(karen),
        "business": count_list_queries(owner),
        "filtered": count_list_queries(karen, status="awaiting_business", overdue=False),
    }

    for _ in range(19):
        busy_case()
    twenty = {
        "staff": count_list_queries(karen),
        "business": count_list_queries(owner),
        "filtered": count_list_queries(karen, status="awaiting_business", overdue=False),
    }

    assert case_list(user=owner).count == 20
    assert twenty == one


def test_the_detail_runs_the_same_queries_however_much_the_case_holds(
    busy_case, submit, karen, owner
):
    # A small case: one service type, so one task, one deliverable and a few events. (An
    # unscreened case has no tasks at all, so Django skips the tasks' own prefetch: one
    # query fewer, never more.)
    small = case_screen(case=submit(), actor=karen)
    full = busy_case()
    assert full.events.count() >= 15
    assert full.deliverables.count() == 8  # 3 municipality + 5 business

    small_queries = count_detail_queries(owner, small.reference)
    full_queries = count_detail_queries(owner, full.reference)
    for _ in range(19):
        busy_case()

    assert full_queries == small_queries
    assert count_detail_queries(owner, full.reference) == full_queries
    assert count_detail_queries(karen, full.reference) == full_queries


def test_a_case_with_another_coordinator_and_assignees_needs_no_extra_queries(
    busy_case, karen, lars
):
    first = busy_case()
    before = count_detail_queries(karen, first.reference)
    case_change_coordinator(case=first, actor=karen, coordinator="lars")
    first.tasks.update(assignee=StaffFactory(username="sagsbehandler"))

    assert count_detail_queries(karen, first.reference) == before
