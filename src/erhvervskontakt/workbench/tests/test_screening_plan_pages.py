"""The screening view's editable delivery plan, through the Django test client.

Forms are posted as a browser without JavaScript would post them: the fields are read from
the rendered page (``confirm_form``), a few are changed, and the form is sent back.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.cases.models import CaseStatus, Deliverable, Event
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.common import clock

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def text(response) -> str:
    return response.content.decode()


class _Form(HTMLParser):
    """The fields of the screening form (``aria-labelledby="confirm-heading"``) as a browser
    would submit them, without pressing a button."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("aria-labelledby") == "confirm-heading":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select is not None:
            if self.first_option is None:
                self.first_option = a.get("value", "")
                self.fields.setdefault(self.select, self.first_option)
            if "selected" in a:
                self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def confirm_form(response) -> dict[str, str]:
    parser = _Form()
    parser.feed(text(response))
    assert parser.fields, "no screening form on the page"
    return parser.fields


def row_of(form: dict[str, str], title: str) -> int:
    """The index of the proposed line with this title."""
    for key, value in form.items():
        if key.endswith("-proposed_title") and value == title:
            return int(key.split("-")[1])
    raise AssertionError(f"no line {title!r} in {form}")


@pytest.fixture
def screening(client_for, karen, building_case):
    """(client, case, url, form): Karen's screening view of a building case missing drawings."""
    case = building_case()
    client = client_for(karen)
    url = f"/medarbejder/screening/{case.reference}/"
    response = client.get(url)
    assert response.status_code == 200
    return client, case, url, confirm_form(response)


# --- what the view shows -----------------------------------------------------------------------


def test_every_proposed_line_is_editable_and_one_blank_line_can_be_added(screening):
    client, _case, url, form = screening

    svar = row_of(form, "Svar: Byggetilladelse til industri og lager")
    drawings = row_of(form, "Send: Tegninger")
    page = text(client.get(url))

    assert form["plan_rows"] == "3"
    assert form[f"plan-{svar}-due_date"] == form["proposed_estimate"]
    assert form[f"plan-{drawings}-due_date"] == form["proposed_business_due"]
    for i in (svar, drawings):
        assert f'id="plan-{i}-title"' in page
        assert f'id="plan-{i}-leave_out"' in page
        assert f'id="plan-{i}-reason"' in page
    assert form["plan-2-title"] == "" and form["plan-2-party"] == ""
    assert "Tilføj linje" in page
    assert f'hx-get="{url}linje/"' in page


def test_the_proposal_shown_is_what_screening_stores(screening):
    """The view's proposed titles and dates are the ones case_screen writes, so an
    untouched line posts as "no change"."""
    client, case, url, form = screening

    response = client.post(url, form)

    assert response.status_code == 302
    shown = {
        (form[f"plan-{i}-proposed_title"], form[f"plan-{i}-proposed_due"])
        for i in range(int(form["plan_rows"]))
        if f"plan-{i}-source" in form
    }
    stored = {(d.title, d.due_date.isoformat()) for d in Deliverable.objects.filter(case=case)}
    assert shown == stored
    assert not Event.objects.filter(case=case, kind__startswith="deliverable_").exists()


# --- confirming an edited plan -------------------------------------------------------------------


def test_confirming_an_edited_plan_applies_it_and_the_business_sees_it_at_once(
    screening, client_for, owner
):
    client, case, url, form = screening
    svar = row_of(form, "Svar: Byggetilladelse til industri og lager")
    drawings = row_of(form, "Send: Tegninger")
    form.update(
        {
            f"plan-{svar}-due_date": days(50).isoformat(),
            f"plan-{svar}-reason": "Høring hos naboerne",
            f"plan-{drawings}-leave_out": "1",
            f"plan-{drawings}-reason": "Tegningerne ligger i arkivet",
            "plan-2-party": "business",
            "plan-2-title": "Send brandplan",
            "plan-2-due_date": days(14).isoformat(),
        }
    )

    response = client.post(url, form)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS  # the only missing item was left out
    plan = {d.title: d for d in Deliverable.objects.filter(case=case)}
    assert plan["Svar: Byggetilladelse til industri og lager"].due_date == days(50)
    assert plan["Send: Tegninger"].status == Deliverable.Status.WAIVED
    assert plan["Send brandplan"].due_date == days(14)
    texts = " ".join(Event.objects.filter(case=case).values_list("text", flat=True))
    assert "Høring hos naboerne" in texts and "Tegningerne ligger i arkivet" in texts

    portal = text(client_for(owner).get(f"/sager/{case.reference}/"))
    assert "Send brandplan" in portal
    assert "Svar: Byggetilladelse til industri og lager" in portal
    assert f"{days(50).day}." in portal  # the answer line's new date, as a long date


def test_without_javascript_add_row_returns_the_form_with_one_more_line_and_values_kept(
    screening,
):
    client, case, url, form = screening
    before = snapshot(case)
    form.update(
        {
            "plan-0-title": "Svar på byggeansøgningen",
            "plan-2-party": "municipality",
            "plan-2-title": "Forhåndsmøde",
            "plan-2-due_date": days(3).isoformat(),
            "note": "Ringede i går",
            "action": "add_row",
        }
    )

    response = client.post(url, form)

    assert response.status_code == 200
    again = confirm_form(response)
    assert again["plan_rows"] == "4"
    assert again["plan-0-title"] == "Svar på byggeansøgningen"
    assert again["plan-2-title"] == "Forhåndsmøde"
    assert again["plan-2-party"] == "municipality"
    assert again["plan-2-due_date"] == days(3).isoformat()
    assert again["plan-3-title"] == "" and again["plan-3-due_date"] == ""
    assert again["note"] == "Ringede i går"
    assert again["version"] == str(case.version)
    assert 'id="plan-3-party" name="plan-3-party" autofocus' in text(response)
    assert snapshot(case) == before

    # and the kept values are confirmed as typed, with the new line filled in
    again.update({"plan-3-party": "business", "plan-3-title": "Send brandplan"})
    again["plan-3-due_date"] = days(9).isoformat()
    assert client.post(url, again).status_code == 302
    titles = set(Deliverable.objects.filter(case=case).values_list("title", flat=True))
    assert {"Svar på byggeansøgningen", "Forhåndsmøde", "Send brandplan"} <= titles


def test_htmx_fetches_one_blank_line_and_updates_the_line_count(screening):
    client, _case, url, _form = screening

    response = client.get(f"{url}linje/", {"plan_rows": "3"}, headers={"HX-Request": "true"})

    page = text(response)
    assert response.status_code == 200
    assert 'id="plan-3"' in page and 'name="plan-3-title"' in page
    assert 'name="plan-3-party"' in page and "plan-3-leave_out" not in page
    assert 'id="plan-rows" name="plan_rows" value="4" hx-swap-oob="true"' in page
    assert "<html" not in page


@pytest.mark.parametrize("count", ["", "x", "-1", "999"])
def test_htmx_line_with_a_bad_count_is_refused(screening, count):
    client, _case, url, _form = screening

    assert client.get(f"{url}linje/", {"plan_rows": count}).status_code == 422


def test_htmx_line_is_for_coordinators_and_received_cases_only(
    client_for, bodil, karen, building_case, make_case
):
    received = building_case()
    screened = make_case(screen=True)
    url = "/medarbejder/screening/{}/linje/"

    # a caseworker does not see a case before screening gives their department a task
    assert client_for(bodil).get(url.format(received.reference), {"plan_rows": 3}).status_code == (
        404
    )
    assert client_for(karen).get(url.format(screened.reference), {"plan_rows": 3}).status_code == (
        403
    )


# --- refusals ----------------------------------------------------------------------------------


def test_errors_come_back_with_every_value_kept_field_errors_and_a_summary(screening):
    client, case, url, form = screening
    before = snapshot(case)
    svar = row_of(form, "Svar: Byggetilladelse til industri og lager")
    drawings = row_of(form, "Send: Tegninger")
    form.update(
        {
            f"plan-{svar}-title": "",
            f"plan-{svar}-due_date": days(-3).isoformat(),
            f"plan-{drawings}-leave_out": "1",
            f"plan-{drawings}-reason": "",
            "plan-2-title": "Send brandplan",
            "plan-2-due_date": days(4).isoformat(),
            "plan-2-party": "naboen",
            "plan-2-reason": "Aftalt med Eva",
            "note": "Min vigtige note",
            "estimate_reason": "Travlt",
        }
    )

    response = client.post(url, form)

    page = text(response)
    assert response.status_code == 422
    assert "Der er problemer" in page
    assert f'<a href="#plan-{svar}-title" class="function-link">Linje {svar + 1}: Skriv' in page
    assert f'href="#plan-{svar}-due_date"' in page
    assert f'href="#plan-{drawings}-reason"' in page and "Skriv, hvorfor linjen udelades." in page
    assert 'href="#plan-2-party"' in page and "Vælg, hvem der leverer" in page
    assert "Datoen kan ikke ligge i fortiden." in page
    assert f'id="plan-{svar}-title" name="plan-{svar}-title" value="" aria-invalid="true"' in page
    again = confirm_form(response)
    for key in (
        f"plan-{svar}-title",
        f"plan-{svar}-due_date",
        f"plan-{drawings}-leave_out",
        "plan-2-title",
        "plan-2-due_date",
        "plan-2-reason",
        "note",
        "estimate_reason",
    ):
        assert again[key] == form[key], key
    assert again["plan-2-party"] == ""  # an unknown party is not an option
    assert snapshot(case) == before


def test_an_invalid_date_is_a_field_error_not_a_crash(screening):
    client, case, url, form = screening
    before = snapshot(case)
    form.update({"plan-2-title": "Møde", "plan-2-party": "business", "plan-2-due_date": "31-02"})
    form["estimate"] = "2026-13-01"

    response = client.post(url, form)

    assert response.status_code == 422
    assert text(response).count("Angiv en dato, fx 2026-12-01.") >= 2
    assert confirm_form(response)["plan-2-due_date"] == "31-02"
    assert snapshot(case) == before


def test_a_tampered_line_is_refused(screening):
    client, case, url, form = screening
    before = snapshot(case)
    form["plan-0-source"] = "krav:matrikel"  # answered already, not in the proposal
    form["plan-0-title"] = "Oplys: Matrikel"

    response = client.post(url, form)

    assert response.status_code == 422
    assert "Linjen findes ikke i forslaget til leveranceplan." in text(response)
    assert snapshot(case) == before


def test_a_stale_form_with_an_edited_plan_is_refused_keeping_the_plan(screening, lars):
    client, case, url, form = screening
    case_message_post(case=case, actor=lars, body="Jeg kigger på den", internal=True)
    before = snapshot(case)
    form.update({"plan-2-party": "business", "plan-2-title": "Send brandplan"})
    form["plan-2-due_date"] = days(5).isoformat()

    response = client.post(url, form)

    assert response.status_code == 409
    assert "ændret af en anden" in text(response)
    assert confirm_form(response)["plan-2-title"] == "Send brandplan"
    assert snapshot(case) == before


def test_a_caseworker_cannot_confirm_a_plan(client_for, bodil, screening):
    _client, case, url, form = screening
    before = snapshot(case)
    form.update({"plan-2-party": "business", "plan-2-title": "Send brandplan"})

    assert client_for(bodil).post(url, form).status_code == 404  # not theirs to see yet
    assert snapshot(case) == before


# --- query counts --------------------------------------------------------------------------------


def _queries(client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_the_screening_page_runs_the_same_queries_for_few_or_many_plan_lines(
    client_for, karen, make_case
):
    """Plan lines cost no queries: same service types, 2 or 5 missing items, 1 or 20 blank
    lines. (Each service type's department is still read once for the inquiry box.)"""
    both = ["byggetilladelse-erhverv", "miljoegodkendelse"]
    few = make_case(
        service_types=both, answers={"matrikel": "12a", "etageareal": 400, "listepunkt": "K206"}
    )
    many = make_case(service_types=both, answers={})
    client = client_for(karen)
    urls = [f"/medarbejder/screening/{case.reference}/" for case in (few, many)]
    forms = [confirm_form(client.get(url)) for url in urls]
    assert [int(form["plan_rows"]) for form in forms] == [5, 8]

    assert _queries(client, "get", urls[0]) == _queries(client, "get", urls[1])

    form = dict(forms[0], action="add_row")
    one_more = _queries(client, "post", urls[0], form)
    form["plan_rows"] = "24"  # 20 blank lines posted back
    assert _queries(client, "post", urls[0], form) == one_more


def test_the_plan_form_speaks_english_on_an_english_page(screening):
    from django.conf import settings

    client, _case, url, form = screening
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form.update({"plan-2-title": "Fire plan", "plan-2-party": "business"})

    page = text(client.post(url, form))

    assert "Add line" in page and "New line" in page and "Leave the line out" in page
    assert "Line 3: Angiv, hvornår det skal leveres." in page  # service messages are Danish
