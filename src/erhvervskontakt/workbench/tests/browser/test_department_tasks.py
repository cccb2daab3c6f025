"""A department's daily work in real Chromium (issue 14, items 4, 5 and 10): the inbox is a
compact, sorted list with the department's own date and "over fristen" in words; a task is
completed with a result, the decision and the answer line delivered, and reopened with a
reason; nobody sees buttons they may not use. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case, Deliverable, Event, Task
from erhvervskontakt.cases.services.plan import deliverable_change
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf_bytes
from erhvervskontakt.testing.browser import MOBILE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_departments(make_case, karen):
    """A building and environment case: Byggeri's answer line is three days overdue, Miljø's
    is on the case's estimate, weeks ahead."""
    case = make_case(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
        answers={"matrikel": "12a", "etageareal": 400},
        screen=True,
    )
    line = case.deliverables.get(party="municipality", service_type__code__startswith="bygge")
    deliverable_change(
        deliverable=line,
        actor=karen,
        reason="Byggeri svarer hurtigt.",
        due_date=clock.today() - dt.timedelta(days=3),
    )
    return Case.objects.get(pk=case.pk)


def test_the_inbox_is_a_compact_list_with_the_departments_own_date_in_words(
    staff_login, screenshot, axe, bodil, building_case, two_departments
):
    for _ in range(3):
        building_case(screen=True)
    task = two_departments.tasks.get(department__code="byggeri")
    page = staff_login(bodil)

    page.goto("/medarbejder/afdeling/")

    rows = page.locator("li.wb-inbox-row")
    expect(rows).to_have_count(4)
    first = rows.first
    expect(first).to_have_id(f"opgave-{task.pk}")  # the earliest date first: the overdue one
    expect(first).to_contain_text("3 dage over fristen")
    expect(first).not_to_contain_text("Miljø")
    row_height = first.bounding_box()["height"]
    assert row_height < 140, f"an inbox row is {row_height} px high"
    screenshot(page, "inbox-1280")
    assert axe(page) == []

    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Vis opgaverne").click()
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(rows).to_have_count(1)
    expect(page.get_by_text("1 opgave", exact=True)).to_be_visible()

    page.set_viewport_size(MOBILE)
    page.goto("/medarbejder/afdeling/")
    expect(rows.first).to_contain_text("Frist:")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot(page, "inbox-390")
    assert axe(page) == []


def test_a_caseworker_completes_with_a_result_and_the_decision_and_reopens_with_a_reason(
    staff_login, screenshot, axe, bodil, two_departments, tmp_path
):
    case = two_departments
    building = case.tasks.get(department__code="byggeri")
    environment = case.tasks.get(department__code="miljoe")
    decision = tmp_path / "afgoerelse.pdf"
    decision.write_bytes(pdf_bytes())
    page = staff_login(bodil)
    page.goto(f"/medarbejder/sager/{case.reference}/")

    # Only her own department's task has buttons; "Tag opgaven" goes once she has taken it.
    other = page.locator(f"#opgave-{environment.pk}")
    expect(other).to_contain_text("Miljø")
    expect(other.get_by_role("button")).to_have_count(0)
    expect(other.locator("summary")).to_have_count(0)
    card = page.locator(f"#opgave-{building.pk}")
    expect(card).to_contain_text("over fristen")
    card.get_by_role("button", name="Tag opgaven").click()
    expect(card).to_contain_text("I gang – Bodil Bach")
    expect(card.get_by_role("button", name="Tag opgaven")).to_have_count(0)

    card.get_by_text("Markér som færdig").click()
    card.get_by_label("Resultat (kort)").fill("Tilladelse givet på vilkår om støjskærm.")
    card.get_by_label("Afgørelse (dokument)").set_input_files(str(decision))
    deliver = card.get_by_label("Markér som leveret i leveranceplanen", exact=False)
    expect(deliver).to_be_checked()
    screenshot(page, "task-card-complete-1280")
    assert axe(page) == []
    card.get_by_role("button", name="Afslut opgaven").click()

    expect(page.get_by_text("Opgaven er markeret som færdig.")).to_be_visible()
    card = page.locator(f"#opgave-{building.pk}")
    expect(card).to_contain_text("Resultat: Tilladelse givet på vilkår om støjskærm.")
    expect(page.locator("#leveranceplan")).to_contain_text("Leveret")
    line = Deliverable.objects.get(
        case=case, party="municipality", service_type__code__startswith="bygge"
    )
    assert (line.status, line.delivered_by) == (Deliverable.Status.DELIVERED, bodil)
    done = Task.objects.get(pk=building.pk)
    assert done.result_document is not None
    assert done.result_document.original_name == "afgoerelse.pdf"
    told = list(
        Event.objects.filter(case=case, internal=False)
        .exclude(business_text="")
        .values_list("business_text", flat=True)
    )
    assert any(t.startswith("Kommunen har leveret: Svar: Byggetilladelse") for t in told)
    assert not any("støjskærm" in t for t in told)

    page.set_viewport_size(MOBILE)
    card.get_by_text("Genåbn opgaven").click()
    card.get_by_label("Begrundelse for at genåbne").fill("Vilkåret skal formuleres om.")
    screenshot(page, "task-card-reopen-390")
    wide = page.evaluate(
        """(id) => [...document.querySelectorAll(`#${id} *`)]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth)
            .map((e) => e.tagName + "." + e.className)""",
        f"opgave-{building.pk}",
    )
    assert wide == [], "the task card fits a phone's width"
    card.get_by_role("button", name="Genåbn").click()
    expect(page.locator("#wb-toasts")).to_contain_text("Opgaven er genåbnet.")
    expect(card).to_contain_text("I gang – Bodil Bach")
    assert Task.objects.get(pk=building.pk).status == Task.Status.IN_PROGRESS
