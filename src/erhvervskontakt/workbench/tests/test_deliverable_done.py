"""»Markér som udført« in the case view's delivery plan: a pending line on the business's
side that is not a requirement (an agreed solution, a line staff added) is confirmed done by
staff — in place with htmx like the plan's change and waive forms, as a plain form without —
and refused (409/404/403) in its line with nothing changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from erhvervskontakt.cases.models import Case, Deliverable, Event
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.plan import deliverable_add
from erhvervskontakt.common import clock

from .conftest import snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ACTION = "leverance-udfoert"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def post(client, case, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/medarbejder/sager/{case.reference}/{ACTION}/", data, **HTMX)


def agreed(case: Case, actor, title: str = "Spildbakke under olietønderne") -> Deliverable:  # type: ignore[no-untyped-def]
    return deliverable_add(
        case=case,
        actor=actor,
        party="business",
        title=title,
        due_date=clock.today() + dt.timedelta(days=20),
    )


def form_for(html: str, line: Deliverable) -> bool:
    """Whether the line's row has the »Markér som udført« form."""
    row = html[html.index(f'<tr id="leverance-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    return f"/{ACTION}/" in row and "Markér som udført" in row


def test_only_business_lines_that_are_no_requirement_can_be_marked_done(
    client_for, karen, building_case
):
    case = building_case(screen=True)
    drawings = case.deliverables.get(party=Deliverable.Party.BUSINESS)  # a requirement line
    answer = case.deliverables.get(party=Deliverable.Party.MUNICIPALITY)
    line = agreed(case, karen)

    html = text(client_for(karen).get(f"/medarbejder/sager/{case.reference}/"))

    assert form_for(html, line)
    assert not form_for(html, drawings) and not form_for(html, answer)


def test_marking_a_line_done_in_place_answers_with_the_plan_and_what_it_moved(
    client_for, karen, make_case
):
    case = make_case(screen=True)
    line = agreed(case, karen)
    case = Case.objects.get(pk=case.pk)

    response = post(client_for(karen), case, version=case.version, deliverable=line.pk)

    assert response.status_code == 200
    page = text(response)
    assert page.startswith('<section id="leveranceplan"') and "<html" not in page
    assert page.count('hx-swap-oob="true"') == 4  # summary, clocks, missing, timeline
    assert "Leverancen er markeret som udført." in page  # the status message
    assert "Leveret af virksomheden: Spildbakke under olietønderne." in page  # the timeline
    fresh = Case.objects.get(pk=case.pk)
    assert json.loads(response["HX-Trigger"]) == {
        "wb-case-version": {"from": case.version, "to": fresh.version}
    }
    done = Deliverable.objects.get(pk=line.pk)
    assert done.status == Deliverable.Status.DELIVERED and done.delivered_at is not None
    assert not form_for(page, done), "a delivered line has no actions"
    assert Event.objects.filter(case=case, kind="deliverable_delivered").count() == 1


def test_without_javascript_the_form_redirects_to_the_case(client_for, karen, make_case):
    case = make_case(screen=True)
    line = agreed(case, karen)
    case = Case.objects.get(pk=case.pk)

    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/{ACTION}/",
        {"version": case.version, "deliverable": line.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/medarbejder/sager/{case.reference}/"
    assert Deliverable.objects.get(pk=line.pk).status == Deliverable.Status.DELIVERED


def test_a_stale_plan_is_refused_in_the_line_and_nothing_changes(
    client_for, karen, lars, make_case
):
    case = make_case(screen=True)
    line = agreed(case, karen)
    seen = Case.objects.get(pk=case.pk).version
    case_change_coordinator(case=case, actor=lars, coordinator=lars)
    before = snapshot(case)

    response = post(client_for(karen), case, version=seen, deliverable=line.pk)

    assert response.status_code == 409
    page = text(response)
    assert page.startswith('<section id="leveranceplan"')
    row = page[page.index(f'<tr id="leverance-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'role="alert"' in row and "ændret af en anden" in row  # shown in its line
    assert "<details open>" not in row, "the change/waive forms stay closed"
    assert f'name="version" value="{Case.objects.get(pk=case.pk).version}"' in page
    assert "HX-Trigger" not in response and "wb-toasts" not in page
    assert snapshot(case) == before


def test_a_requirement_line_is_refused_it_is_delivered_by_the_material(
    client_for, karen, building_case
):
    case = building_case(screen=True)
    drawings = case.deliverables.get(party=Deliverable.Party.BUSINESS)
    before = snapshot(case)

    response = post(client_for(karen), case, version=case.version, deliverable=drawings.pk)

    assert response.status_code == 409
    assert "Leverancen er et krav" in text(response)
    assert snapshot(case) == before


def test_an_unknown_line_or_another_cases_line_is_404_and_changes_nothing(
    client_for, karen, make_case
):
    case = make_case(screen=True)
    other = make_case(screen=True)
    foreign = agreed(other, karen)
    before, other_before = snapshot(case), snapshot(other)

    for value in (999999, foreign.pk, "x"):
        response = post(client_for(karen), case, version=case.version, deliverable=value)
        assert response.status_code == 404, value
    assert (snapshot(case), snapshot(other)) == (before, other_before)


def test_a_business_user_cannot_mark_a_line_done(client_for, karen, owner, make_case):
    case = make_case(screen=True)
    line = agreed(case, karen)
    before = snapshot(case)

    response = post(client_for(owner), case, version=case.version, deliverable=line.pk)

    assert response.status_code == 403
    assert snapshot(case) == before
