"""Recording a read (one INSERT), pruning old ones (also from the sweep), and the lookups of
one business or person for an access request (command and admin)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.audit.services import personal_data_read_record, personal_data_reads_prune
from erhvervskontakt.notifications.services.sweep import sweep

from .conftest import old_read

pytestmark = pytest.mark.django_db


def test_recording_a_read_is_one_insert_and_names_the_cases_business(karen, a_case):
    with CaptureQueriesContext(connection) as captured:
        row = personal_data_read_record(
            user=karen, use="view", purpose="case_handling", case=a_case, person=" Eva@Fynsk.DK "
        )

    assert len(captured) == 1
    assert captured[0]["sql"].lstrip().upper().startswith("INSERT")
    stored = PersonalDataRead.objects.get(pk=row.pk)
    assert (stored.business_id, stored.case_id, stored.person) == (
        a_case.business_id,
        a_case.pk,
        "eva@fynsk.dk",
    )


def test_an_unknown_use_or_purpose_is_refused_and_writes_nothing(karen):
    with pytest.raises(ValueError):
        personal_data_read_record(user=karen, use="peek", purpose="case_handling")
    with pytest.raises(ValueError):
        personal_data_read_record(user=karen, use="view", purpose="curiosity")
    assert PersonalDataRead.objects.count() == 0


def test_prune_deletes_only_reads_past_six_months_and_a_day(karen):
    kept = [old_read(0), old_read(183), old_read(183.9)]
    gone = [old_read(184.1), old_read(400)]

    assert personal_data_reads_prune(now=timezone.now()) == 2
    assert personal_data_reads_prune(now=timezone.now()) == 0

    left = set(PersonalDataRead.objects.values_list("pk", flat=True))
    assert left == {row.pk for row in kept}
    assert not left & {row.pk for row in gone}


def test_prune_with_a_clock_far_ahead_deletes_nothing_the_database_refuses():
    old_read(10)

    assert personal_data_reads_prune(now=timezone.now() + dt.timedelta(days=365)) == 0
    assert PersonalDataRead.objects.count() == 1


def test_the_sweep_prunes_old_reads():
    old_read(10)
    old_read(300)

    report = sweep(now=timezone.now())

    assert report.reads_pruned == 1
    assert PersonalDataRead.objects.count() == 1


@pytest.fixture
def lookups(karen, bodil, a_case, other_business):
    """Two reads of the case (Eva is its contact), a search for its CVR number, a search
    for Eva's e-mail, and a read of another business."""
    personal_data_read_record(user=karen, use="view", purpose="screening", case=a_case)
    personal_data_read_record(
        user=bodil, use="document", purpose="case_handling", case=a_case, person="eva@fynsk.dk"
    )
    personal_data_read_record(
        user=karen, use="search", purpose="case_handling", criterion=f"q={a_case.business.cvr}"
    )
    personal_data_read_record(
        user=bodil, use="search", purpose="inspection", criterion="q=eva@fynsk.dk",
        person="eva@fynsk.dk",
    )  # fmt: skip
    personal_data_read_record(
        user=karen, use="view", purpose="case_handling", business=other_business
    )
    return a_case


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_lookups_of_a_business_give_dates_and_purposes_not_staff(lookups, capsys):
    call_command("personal_data_lookups", "--cvr", lookups.business.cvr)
    rows = _csv(capsys.readouterr().out)

    assert rows[0] == ["tidspunkt", "anvendelse", "formål", "sag"]
    assert [row[1:] for row in rows[1:]] == [
        ["visning", "screening", lookups.reference],
        ["dokument åbnet", "sagsbehandling", lookups.reference],
        ["søgning", "sagsbehandling", ""],
    ]
    assert "Karen" not in str(rows) and "bodil" not in str(rows)


def test_the_lookups_of_a_person_with_staff_as_json(lookups, capsys):
    call_command("personal_data_lookups", "--email", "EVA@fynsk.dk", "--with-staff",
                 "--format", "json")  # fmt: skip
    rows = json.loads(capsys.readouterr().out)

    assert [(r["use"], r["purpose"], r["case"]) for r in rows] == [
        ("view", "screening", lookups.reference),
        ("document", "case_handling", lookups.reference),
        ("search", "inspection", ""),
    ]
    assert rows[0]["staff"] == "Karen Kofoed (karen)"
    assert rows[1]["staff"] == "Bodil Bach (bodil)"


def test_the_command_refuses_a_wrong_cvr_number_or_e_mail(db):
    with pytest.raises(CommandError, match="CVR-nummeret"):
        call_command("personal_data_lookups", "--cvr", "1234")
    with pytest.raises(CommandError, match="e-mail"):
        call_command("personal_data_lookups", "--email", "ikke en adresse")
    with pytest.raises(CommandError):
        call_command("personal_data_lookups")


def test_a_cell_that_starts_like_a_formula_is_exported_as_text(karen, capsys):
    personal_data_read_record(user=karen, use="view", purpose="case_handling", person="=x@y.dk")
    karen.first_name = "=HYPERLINK(1)"
    karen.save()

    call_command("personal_data_lookups", "--email", "=x@y.dk", "--with-staff")
    rows = _csv(capsys.readouterr().out)

    assert rows[1][4] == "'=HYPERLINK(1) Kofoed (karen)"


# --- the admin ---------------------------------------------------------------------------

CHANGELIST = "/admin/audit/personaldataread/"


def test_the_admin_shows_the_log_read_only(client_for, admin_user, lookups):
    client = client_for(admin_user)
    row = PersonalDataRead.objects.first()
    assert row is not None

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(f"{CHANGELIST}?q={lookups.business.cvr}").status_code == 200
    assert client.get(f"{CHANGELIST}?purpose__exact=screening").status_code == 200
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{row.pk}/delete/").status_code == 403
    assert (
        client.post(f"{CHANGELIST}{row.pk}/change/", {"purpose": "statistics"}).status_code == 403
    )
    # Nothing changed; the administrator's own looking is logged too (three list pages).
    own = PersonalDataRead.objects.filter(user=admin_user, purpose="administration")
    assert own.count() == 3
    assert {r.route for r in own} == {"admin:audit_personaldataread_changelist"}
    assert sorted(r.criterion for r in own) == sorted(
        ["", f"q={lookups.business.cvr}", "purpose__exact=screening"]
    )
    assert (
        not PersonalDataRead.objects.exclude(pk__in=own)
        .exclude(purpose__in=["screening", "case_handling", "inspection"])
        .exists()
    )


def test_the_admin_downloads_the_lookups_of_the_business_chosen(client_for, admin_user, lookups):
    client = client_for(admin_user)
    chosen = PersonalDataRead.objects.filter(business=lookups.business)

    response = client.post(
        CHANGELIST,
        {"action": "download_lookups", "_selected_action": [r.pk for r in chosen]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response.content.decode())
    assert len(rows) == 4  # the header, the two reads of the case, the search for the CVR
    assert rows[0] == ["tidspunkt", "anvendelse", "formål", "sag"]


def test_the_admin_refuses_a_download_about_several_subjects(client_for, admin_user, lookups):
    client = client_for(admin_user)
    every = list(PersonalDataRead.objects.exclude(business=None).values_list("pk", flat=True))

    response = client.post(
        CHANGELIST, {"action": "download_lookups_with_staff", "_selected_action": every}
    )

    assert response.status_code == 302
    assert "Vælg rækker om én virksomhed" in str(list(client.get(CHANGELIST).context["messages"]))


def test_a_criterion_no_database_can_store_is_logged_as_text_all_the_same(karen):
    """A NUL in a query string's name reaches the log from the API (which refuses NULs only
    in the fields it knows); the read is logged, the NUL shown as the replacement character."""
    row = personal_data_read_record(
        user=karen,
        use="search",
        purpose="case_handling",
        criterion="\x00=x&q=ab\ud800",
        person="\x00@x.dk",
    )

    row.refresh_from_db()
    assert row.criterion == "\ufffd=x&q=ab\ufffd"
    assert "\x00" not in row.person
