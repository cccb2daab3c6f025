"""The inspectors' workbench pages: permissions, refusals (422, Danish, nothing changed) and
constant query counts on the lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.inspections.models import PlanAdjustment, PlanItem, RiskAssessment
from erhvervskontakt.inspections.services.planning import plan_item_move, plan_propose

pytestmark = pytest.mark.django_db

REGISTER = "/medarbejder/tilsyn/"
PLAN = "/medarbejder/tilsyn/plan/2027/"


def client(user=None) -> Client:
    made = Client()
    if user is not None:
        made.force_login(user)
    return made


def state() -> tuple[int, int, int, list[tuple[str, int | None]]]:
    return (
        RiskAssessment.objects.count(),
        BusinessEvent.objects.count(),
        PlanAdjustment.objects.count(),
        list(PlanItem.objects.order_by("id").values_list("status", "month")),
    )


def queries(browser: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", [REGISTER, PLAN, "/medarbejder/tilsyn/enheder/1000000001/"])
def test_only_staff_see_the_inspection_pages(register, owner, karen, url):
    register("2")
    assert client(karen).get(url).status_code == 200
    assert client(owner).get(url).status_code == 403
    anonymous = client().get(url)
    assert anonymous.status_code == 302 and "/log-ind/" in anonymous["Location"]


def test_a_business_user_cannot_post_an_assessment_or_change_the_plan(register, owner, karen):
    unit = register("2")
    plan_propose(year=2027)
    item = PlanItem.objects.get()
    before = state()
    assert (
        client(owner)
        .post(
            f"/medarbejder/tilsyn/enheder/{unit.p_number}/",
            {**dict.fromkeys("abcde", "5"), **{f"{k}_reason": "x" for k in "abcde"}},
        )
        .status_code
        == 403
    )
    assert (
        client(owner).post(PLAN, {"action": "cancel", "item": item.pk, "reason": "Nej"}).status_code
        == 403
    )
    assert state() == before


def test_the_register_lists_units_with_category_score_and_frequency(register, karen):
    register("1a", scores=(5, 5, 5, 3, 3), name="Galvaniseringen")
    register("2", scores=None, name="Snedkeriet")
    html = client(karen).get(REGISTER).content.decode()
    assert "Galvaniseringen" in html and "4,33" in html and "Hvert år" in html
    assert "Snedkeriet" in html and "Basistilsyn hvert 6. år" in html
    assert html.index("Galvaniseringen") < html.index("Snedkeriet")


def test_an_assessment_from_the_unit_page_is_stored_and_shown(register, karen):
    unit = register("1a", scores=None)
    url = f"/medarbejder/tilsyn/enheder/{unit.p_number}/"
    posted = {
        "assessed_on": "2026-11-01",
        "a": "3",
        "b": "5",
        "c": "1",
        "d": "3",
        "e": "1",
        **{f"{k}_reason": f"Fordi {k}" for k in "abcde"},
    }
    response = client(karen).post(url, posted, follow=True)
    html = response.content.decode()
    assert "Risikovurderingen er gemt: score 2,93." in html
    assert "Hvert 2. år" in html
    assert RiskAssessment.objects.get().score == Decimal("2.93")


def test_a_bad_assessment_is_refused_422_with_danish_errors_and_nothing_changes(register, karen):
    unit = register("1a")
    before = state()
    response = client(karen).post(
        f"/medarbejder/tilsyn/enheder/{unit.p_number}/",
        {"a": "4", "b": "3", "c": "3", "d": "3", "e": "3", "a_reason": "x", "b_reason": "x"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Giv parameter A (miljøledelse) scoren 1, 3 eller 5." in html
    assert "Begrund scoren for parameter C (kemikalier og farligt affald)." in html
    assert 'value="x"' in html  # what was typed is put back
    assert state() == before


def test_an_unknown_unit_is_404(karen):
    assert client(karen).get("/medarbejder/tilsyn/enheder/9999999999/").status_code == 404


def test_the_plan_page_proposes_shows_why_and_is_adjusted_with_a_reason(register, karen):
    unit = register("1b")
    browser = client(karen)
    assert "Der er ingen tilsynsplan for 2027 endnu." in browser.get(PLAN).content.decode()
    browser.post(PLAN, {"action": "propose"})
    html = browser.get(PLAN).content.decode()
    assert "Kategori 1b: Basistilsyn (0 af 1 udført)" in html
    assert "Basistilsyn mangler i perioden 2027–2029" in html
    item = PlanItem.objects.get()

    before = state()
    refused = browser.post(PLAN, {"action": "move", "item": item.pk, "month": "4", "reason": ""})
    assert refused.status_code == 422
    assert "Angiv en begrundelse." in refused.content.decode()
    bad_month = browser.post(
        PLAN, {"action": "move", "item": item.pk, "month": "13", "reason": "x"}
    )
    assert bad_month.status_code == 422
    assert "Vælg en måned fra 1 til 12." in bad_month.content.decode()
    assert browser.post(PLAN, {"action": "move", "item": "abc", "reason": "x"}).status_code == 404
    assert state() == before

    moved = browser.post(PLAN, {"action": "move", "item": item.pk, "month": "4", "reason": "Ferie"})
    assert moved.status_code == 302
    assert PlanItem.objects.get().month == 4
    html = browser.get(PLAN).content.decode()
    assert "Begrundelse: Ferie" in html
    added = browser.post(
        PLAN, {"action": "add", "p_number": unit.p_number, "kind": "basic", "reason": "Igen"}
    )
    assert added.status_code == 422
    assert "Enheden har allerede den type tilsyn på planen." in added.content.decode()


def test_the_register_and_the_plan_run_a_constant_number_of_queries(register, karen):
    browser = client(karen)
    register("2")
    register("1a", scores=(5, 5, 5, 5, 5))
    plan_propose(year=2027)
    item = PlanItem.objects.first()
    plan_item_move(plan=item.plan, item_id=item.pk, month=5, actor=karen, reason="Tidligere")
    few = queries(browser, REGISTER), queries(browser, PLAN)
    for n in range(20):
        register(("1a", "1b", "2")[n % 3], scores=(5, 3, 1, 3, 5))
    plan_propose(year=2027)
    for moved in PlanItem.objects.all()[:5]:
        if moved.status == "planned":
            plan_item_move(plan=moved.plan, item_id=moved.pk, month=6, actor=karen, reason="Samlet")
    assert PlanItem.objects.count() > 10
    many = queries(browser, REGISTER), queries(browser, PLAN)
    assert many == few


def test_an_inspection_recorded_on_the_unit_page_completes_its_plan_item(
    register, karen, time_machine
):
    time_machine.move_to("2027-05-02 10:00 +02:00")
    unit = register("1b")
    plan_propose(year=2027)
    browser = client(karen)
    url = f"/medarbejder/tilsyn/enheder/{unit.p_number}/"

    before = state()
    refused = browser.post(
        url, {"form": "inspection", "on": "2027-05-01", "kind": "basic", "note": "x"}
    )
    assert refused.status_code == 422
    assert "Basis- og opstartstilsyn skal være fysiske." in refused.content.decode()
    future = browser.post(
        url, {"form": "inspection", "on": "2027-06-01", "kind": "basic", "physical": "ja"}
    )
    assert future.status_code == 422
    assert "Et tilsyn kan ikke registreres frem i tiden." in future.content.decode()
    assert state() == before

    done = browser.post(
        url,
        {"form": "inspection", "on": "2027-05-01", "kind": "basic", "physical": "ja"},
        follow=True,
    )
    assert "Basistilsyn den 01.05.2027 er registreret." in done.content.decode()
    assert PlanItem.objects.get().status == "done"
    assert "Kategori 1b: Basistilsyn (1 af 1 udført)" in browser.get(PLAN).content.decode()


def test_a_category_change_from_the_unit_page_keeps_the_history(register, karen):
    unit = register("2")
    browser = client(karen)
    url = f"/medarbejder/tilsyn/enheder/{unit.p_number}/"
    before = state()
    refused = browser.post(url, {"form": "register", "category": "3", "valid_from": "2027-01-01"})
    assert refused.status_code == 422
    assert "Vælg kategori 1a, 1b eller 2." in refused.content.decode()
    bad_day = browser.post(url, {"form": "register", "category": "1a", "valid_from": "1/1"})
    assert "Angiv gælder fra som en dato, fx 2027-03-01." in bad_day.content.decode()
    assert state() == before
    browser.post(
        url, {"form": "register", "category": "1a", "valid_from": "2026-01-01", "note": "Udvidet"}
    )
    assert list(unit.register_entries.values_list("category", flat=True)) == ["1a", "2"]


def test_the_pages_speak_english_when_asked(register, karen, settings):
    register("2")
    browser = client(karen)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Inspection register" in browser.get(REGISTER).content.decode()
    assert "There is no inspection plan for 2027 yet." in browser.get(PLAN).content.decode()
