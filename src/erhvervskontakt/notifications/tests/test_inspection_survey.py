"""The survey after an inspection visit: the invitation thanks for the visit (not »Sag … er
besvaret«), in Danish and English, through real SMTP; and the business is surveyed once — the
answer sweep leaves inspection cases alone when the inspector later answers or closes them.

Calendar: visited Mon 1 Feb 2027, report sent Mon 15 Feb 2027.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.services.reporting import visit_report_send
from erhvervskontakt.inspections.tests.visits import make_visit
from erhvervskontakt.notifications.defaults import DEFAULTS
from erhvervskontakt.notifications.models import MessageTemplate
from erhvervskontakt.notifications.services import sweep
from erhvervskontakt.surveys.models import Invitation

from .conftest import PORTAL_URL, cph

pytestmark = pytest.mark.django_db(transaction=True)

KIND = "survey_invitation"


@pytest.fixture
def visited(catalogue, business, owner, karen, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    """A visit by Karen carried out Mon 1 Feb 2027, its report written and not sent yet."""
    time_machine.move_to(cph(2027, 2, 1, 9), tick=False)
    visit = make_visit(
        business=business,
        owner=owner,
        inspector=karen,
        visited_on=dt.date(2027, 2, 1),
        status=Visit.Status.VISITED,
        self_monitoring="Egenkontrollen er ført.",
        conclusion="Reglerne overholdes.",
    )
    deliver_all()  # the inquiry's receipt
    smtp.received.clear()
    return visit


@pytest.fixture
def send_report(karen, time_machine, deliver_all):  # type: ignore[no-untyped-def]
    def run(visit):  # type: ignore[no-untyped-def]
        time_machine.move_to(cph(2027, 2, 15, 10), tick=False)
        sent = visit_report_send(visit=visit, actor=karen)
        deliver_all()
        return sent

    return run


def test_the_survey_after_an_inspection_thanks_for_the_visit(visited, send_report, smtp):
    sent = send_report(visited)

    mail = smtp.one(to="ejer@fynsk.dk", kind=KIND)
    reference = sent.case.reference
    assert mail.subject == (
        "Hvordan oplevede I tilsynsbesøget 1. februar 2027? Tre minutter om vores service"
    )
    assert f"Tak for tilsynsbesøget den 1. februar 2027 (sag {reference})." in mail.text
    assert "er besvaret" not in mail.text and "er besvaret" not in mail.html
    assert "Tak for tilsynsbesøget den <strong>1. februar 2027</strong>" in mail.html
    links = [link for link in mail.links() if link.startswith(f"{PORTAL_URL}/tilfredshed/")]
    assert len(links) == 1
    assert Invitation.objects.get(case=sent.case).occasion == "inspection"


def test_the_english_survey_after_an_inspection_thanks_for_the_visit(
    visited, send_report, smtp, owner
):
    owner.language = "en"
    owner.save(update_fields=["language"])

    sent = send_report(visited)

    mail = smtp.one(to="ejer@fynsk.dk", kind=KIND)
    assert mail.subject == (
        "How did you find the inspection visit on 1 February 2027? Three minutes about our service"
    )
    assert (
        f"Thank you for the inspection visit on 1 February 2027 (case {sent.case.reference})."
        in mail.text
    )
    assert "has been answered" not in mail.text


def test_an_administrators_wording_is_used_after_inspections_too(visited, send_report, smtp):
    MessageTemplate.objects.update_or_create(
        kind=KIND,
        language="da",
        defaults={
            "subject": "Fortæl os om {{ case.reference }}",
            "text": "{% if occasion == 'inspection' %}Besøget {{ visited_on|date:'j/n' }}"
            "{% endif %} {{ survey_url }}",
            "html": "<p>{{ survey_url }}</p>",
        },
    )

    sent = send_report(visited)

    mail = smtp.one(to="ejer@fynsk.dk", kind=KIND)
    assert mail.subject == f"Fortæl os om {sent.case.reference}"
    assert mail.text.startswith("Besøget 1/2 http")


def test_the_answer_sweep_does_not_survey_an_inspection_case_a_second_time(
    visited, send_report, karen, owner, smtp, time_machine, deliver_all
):
    case_screen(case=visited.case, actor=karen)
    sent = send_report(visited)
    assert smtp.one(to="ejer@fynsk.dk", kind=KIND)
    # Beside it, an ordinary inquiry answered the same day: that one is surveyed.
    ordinary = case_screen(
        case=inquiry_submit(
            actor=owner,
            cvr=visited.case.business.cvr,
            service_types=["udeservering"],
            description="Seks borde.",
            contact={"name": "Ole", "email": "ole@fynsk.dk"},
            answers={"areal": 12},
        ),
        actor=karen,
    )
    time_machine.move_to(cph(2027, 3, 1, 14), tick=False)
    # The agreed solutions are done: the inspector answers the inspection case.
    case_record_decision(case=sent.case, actor=karen, summary="Alt er i orden.")
    case_record_decision(case=ordinary, actor=karen, summary="Tilladelse givet.")
    deliver_all()

    for day in (2, 3, 4):
        time_machine.move_to(cph(2027, 3, day, 9), tick=False)
        sweep.sweep()
        deliver_all()

    assert [m["X-Erhvervskontakt-Kind"] for m in smtp.to("ejer@fynsk.dk")].count(KIND) == 1
    assert smtp.one(to="ole@fynsk.dk", kind=KIND)
    assert list(Invitation.objects.filter(case=sent.case).values_list("occasion", flat=True)) == [
        "inspection"
    ]
    assert Invitation.objects.filter(case=ordinary, occasion="answer").count() == 1


# --- the stored wording -----------------------------------------------------------------------

MIGRATION = "erhvervskontakt.notifications.migrations.0004_survey_invitation_inspection"


def test_the_migration_updates_stored_rows_still_in_the_old_default_only():
    migration = importlib.import_module(MIGRATION)
    MessageTemplate.objects.all().delete()
    MessageTemplate.objects.create(kind=KIND, language="da", **migration.OLD["da"])
    edited = {**migration.OLD["en"], "subject": "How was it? {{ case.reference }}"}
    MessageTemplate.objects.create(kind=KIND, language="en", **edited)

    migration.forwards(apps, None)

    new = DEFAULTS[(KIND, "da")]
    da = MessageTemplate.objects.get(kind=KIND, language="da")
    assert (da.subject, da.text, da.html) == (new.subject, new.text, new.html)
    en = MessageTemplate.objects.get(kind=KIND, language="en")
    assert (en.subject, en.text, en.html) == (edited["subject"], edited["text"], edited["html"])

    migration.backwards(apps, None)

    da = MessageTemplate.objects.get(kind=KIND, language="da")
    assert (da.subject, da.text, da.html) == tuple(migration.OLD["da"].values())
