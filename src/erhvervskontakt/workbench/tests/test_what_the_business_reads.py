"""What the business reads of what staff do (issue 14, items 2, 3, 4 and 9).

- Everything staff write in the workbench is internal unless the form says the business
  sees it (item 2): a marker written in every internal free-text field never reaches the
  business's case page or the API, while staff read it.
- The business reads a short history written for it, not the internal log (item 9).
- Every pending line the business owes is counted and can be delivered from its case page
  (item 3).
- Each department has its own date; the case's estimate is the latest (item 4).
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import Deliverable, Document, Event, Task
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.lifecycle import case_close
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import (
    deliverable_add,
    deliverable_change,
    deliverable_waive,
)
from erhvervskontakt.cases.services.screening import PlanLine, case_screen_checked
from erhvervskontakt.cases.services.tasks import task_complete
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf
from erhvervskontakt.testing.html import text

pytestmark = pytest.mark.django_db

SECRET = "HEMMELIG"


def page_text(response) -> str:
    return text(response.content.decode())


def _days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def _business_reads(client, case) -> str:
    page = page_text(client.get(f"/sager/{case.reference}/"))
    api = client.get(f"/api/v1/cases/{case.reference}").content.decode()
    return page + api


def test_nothing_staff_write_internally_reaches_the_business(
    client_for, karen, lars, owner, make_case
):
    case = make_case(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "1a"})
    client = client_for(karen)
    response = client.post(
        f"/medarbejder/screening/{case.reference}/",
        {"version": case.version, "coordinator": "karen", "note": f"{SECRET}-screening"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    requirement_mark_not_needed(
        case=case, actor=karen, requirement_key="etageareal", reason=f"{SECRET}-not-needed"
    )
    line = deliverable_add(
        case=case,
        actor=karen,
        party="business",
        title="Støjberegning",
        due_date=_days(20),
        reason=f"{SECRET}-added",
    )
    deliverable_change(deliverable=line, actor=karen, due_date=_days(25), reason=f"{SECRET}-moved")
    deliverable_waive(deliverable=line, actor=karen, reason=f"{SECRET}-waived")
    case_message_post(case=case, actor=karen, body=f"{SECRET}-note", internal=True)
    case_change_coordinator(case=case, actor=karen, coordinator="lars", reason=f"{SECRET}-coord")
    case_change_coordinator(case=case, actor=lars, coordinator="karen", reason="")
    requirement_mark_not_needed(
        case=case, actor=karen, requirement_key="tegninger", reason=f"{SECRET}-drawings"
    )
    task = Task.objects.get(case=case)
    task_complete(task=task, actor=karen, result=f"{SECRET}-result")
    case_record_decision(case=case, actor=karen, summary="Byggetilladelse givet.")
    case_close(case=case, actor=karen, note=f"{SECRET}-closed")

    business = client_for(owner)
    reads = _business_reads(business, case)
    assert SECRET not in reads
    assert "Byggetilladelse givet." in reads  # what is for the business, it reads
    staff_page = page_text(client.get(f"/medarbejder/sager/{case.reference}/"))
    assert f"{SECRET}-screening" in staff_page  # staff keep the full log
    logged = " ".join(Event.objects.filter(case=case).values_list("text", flat=True))
    for field in ("not-needed", "added", "moved", "waived", "coord", "result", "closed"):
        assert f"{SECRET}-{field}" in logged


def test_a_screening_note_shown_to_the_business_is_there_and_the_form_says_which(
    client_for, karen, owner, make_case
):
    case = make_case()
    client = client_for(karen)
    form = page_text(client.get(f"/medarbejder/screening/{case.reference}/"))
    assert "Intern note til screeningen" in form
    assert "Vis noten for virksomheden" in form

    client.post(
        f"/medarbejder/screening/{case.reference}/",
        {
            "version": case.version,
            "coordinator": "karen",
            "note": "Husk at tage billeder af facaden med.",
            "share_note": "1",
        },
    )

    page = page_text(client_for(owner).get(f"/sager/{case.reference}/"))
    assert "Besked fra jeres tovholder: Husk at tage billeder af facaden med." in page


def test_the_business_history_on_day_one_is_short_and_written_for_it(
    client_for, karen, owner, make_case
):
    case = make_case(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "1a"})
    case_screen_checked(
        case=case,
        actor=karen,
        estimate=_days(70),
        estimate_reason="Høring",
        plan=[PlanLine(party="business", title="Støjberegning", due_date=_days(30))],
    )

    shown = list(
        Event.objects.filter(case=case, internal=False).exclude(business_text="").order_by("id")
    )
    assert [e.kind for e in shown] == [
        "received",
        "screened",
        "coordinator_appointed",
        "estimate_set",
        "deliverable_added",
    ]
    assert Event.objects.filter(case=case).count() > len(shown) + 3  # staff keep it all
    page = page_text(client_for(owner).get(f"/sager/{case.reference}/"))
    for noise in ("0 leverancer", "Ændret ved screeningen", "Status:", "Tilføjet ved screening"):
        assert noise not in page
    assert "Vi har modtaget jeres henvendelse om Byggetilladelse til industri og lager." in page
    assert "Vi har bedt jer om: Støjberegning" in page
    # the date promised is the one confirmed: no "moved" from a date never given
    assert not Event.objects.filter(case=case, kind="estimate_moved").exists()


def test_the_business_history_reads_in_english_on_the_english_page(
    client_for, karen, owner, make_case
):
    case = make_case()
    case_screen_checked(case=case, actor=karen)
    client = client_for(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = page_text(client.get(f"/sager/{case.reference}/"))
    assert "We have received your inquiry about Udeservering." in page
    assert "We have reviewed your inquiry and have everything we need." in page
    assert "Vi har modtaget jeres henvendelse" not in page


def test_a_line_the_business_owes_is_counted_and_delivered_from_the_case_page(
    client_for, karen, owner, other_owner, make_case
):
    case = make_case(screen=True)  # complete: nothing missing
    client = client_for(owner)
    assert "Vi mangler ikke noget fra jer." in page_text(client.get(f"/sager/{case.reference}/"))
    line = deliverable_add(
        case=case, actor=karen, party="business", title="Støjberegning", due_date=_days(20)
    )

    page = page_text(client.get(f"/sager/{case.reference}/"))
    assert "Vi mangler ikke noget fra jer." not in page
    assert "Vi mangler 1 ting fra jer." in page
    assert "Markér som leveret : Støjberegning" in page  # the button, named for its line

    url = f"/sager/{case.reference}/leverance/{line.pk}/"
    assert client_for(other_owner).post(url, {"note": "x"}).status_code == 404
    response = client.post(url, {"note": "Vedlagt.", "file": pdf("stoej.pdf")})
    assert response.status_code == 302

    line.refresh_from_db()
    assert (line.status, line.delivered_by, line.note) == ("delivered", owner, "Vedlagt.")
    document = Document.objects.get(case=case, deliverable=line)
    assert document.original_name == "stoej.pdf"
    page = page_text(client.get(f"/sager/{case.reference}/"))
    assert "Vi mangler ikke noget fra jer." in page
    assert "I har leveret: Støjberegning." in page


def test_the_business_cannot_deliver_the_municipalitys_line_and_gets_a_clear_answer(
    client_for, owner, make_case
):
    case = make_case(screen=True)
    theirs = Deliverable.objects.get(case=case, party="municipality")
    response = client_for(owner).post(
        f"/sager/{case.reference}/leverance/{theirs.pk}/", {}, follow=True
    )
    # back on the case page, the refusal at the line
    assert response.redirect_chain[-1][0] == f"/sager/{case.reference}/"
    assert "Kun kommunen kan markere" in page_text(response)
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_each_department_gets_its_own_date_and_the_estimate_is_the_latest(karen, make_case):
    case = make_case(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "1a", "etageareal": 100, "areal": 10},
    )
    screened = case_screen_checked(case=case, actor=karen)
    lines = {
        d.service_type.code: d.due_date
        for d in screened.deliverables.all()
        if d.party == "municipality"
    }
    assert lines["udeservering"] < lines["byggetilladelse-erhverv"]  # 10 and 30 working days
    assert screened.estimated_answer_date == lines["byggetilladelse-erhverv"]

    tasks = {t.department.code: t for t in Task.objects.filter(case=case)}
    assert tasks["vej"].due_date == lines["udeservering"]
    assert tasks["byggeri"].due_date == lines["byggetilladelse-erhverv"]

    # The coordinator moves a department's line: that department's date follows.
    road_line = screened.deliverables.get(service_type__code="udeservering")
    deliverable_change(deliverable=road_line, actor=karen, due_date=_days(40), reason="Politiet")
    task = Task.objects.get(case=case, department__code="vej")
    assert task.due_date == _days(40)
