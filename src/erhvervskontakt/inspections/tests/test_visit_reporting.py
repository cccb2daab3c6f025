"""The inspection report of a visit: kept as a draft, sent on time or late (the PDF on the
case, the business told, the survey invitation), final once sent, and published.

The set-up is in conftest.py: the clock frozen at Friday 27 November 2026, 10:00 in
Copenhagen (``friday``), the inspector ``soeren``, ``create(**fields)``, and a visit
``offered``, ``booked``, ``visited`` or ``ready`` to send its report.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from erhvervskontakt.cases.models import Event, Message
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.services.carrying_out import finding_add
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.surveys.models import Invitation

from .conftest import cph, state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday")]


# --- the report ---------------------------------------------------------------------------


def test_the_report_fields_are_kept_as_a_draft_until_sent(visited, soeren, counts):
    updated = visit_report_update(
        visit=visited,
        actor=soeren,
        self_monitoring="Egenkontrollen af olieudskilleren er ført.",
        follows_up=True,
        conclusion="Virksomheden overholder reglerne med de aftalte løsninger.",
        expected_version=visited.version,
    )

    assert (updated.self_monitoring, updated.follows_up, updated.conclusion) == (
        "Egenkontrollen af olieudskilleren er ført.",
        True,
        "Virksomheden overholder reglerne med de aftalte løsninger.",
    )
    event = Event.objects.get(kind="visit_report_draft")
    assert event.internal  # the business never sees the drafting
    before = counts()
    same = visit_report_update(
        visit=updated,
        actor=soeren,
        self_monitoring=updated.self_monitoring,
        follows_up=True,
        conclusion=updated.conclusion,
    )
    assert same.version == updated.version and counts() == before
    with pytest.raises(Conflict):
        visit_report_update(
            visit=updated,
            actor=soeren,
            self_monitoring="",
            follows_up=None,
            conclusion="",
            expected_version=visited.version,
        )
    with pytest.raises(ValidationFailed) as refused:
        visit_report_update(
            visit=updated,
            actor=soeren,
            self_monitoring="x" * 10_001,
            follows_up="måske",  # type: ignore[arg-type]
            conclusion="",
        )
    assert set(refused.value.errors) == {"self_monitoring", "follows_up"}
    assert counts() == before


def test_the_report_needs_its_conclusions_before_it_is_sent(visited, soeren, counts):
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        visit_report_send(visit=visited, actor=soeren)
    assert refused.value.errors == {
        "self_monitoring": "Skriv rapportens konklusion på egenkontrollen.",
        "conclusion": "Skriv rapportens samlede konklusion.",
    }
    assert (counts(), state(visited)) == (before, was)


def test_sending_the_report_stores_the_pdf_tells_the_business_and_invites_to_the_survey(
    ready, soeren, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(cph(2026, 12, 14, 9), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        sent = visit_report_send(visit=ready, actor=soeren, expected_version=ready.version)

    reference = sent.case.reference
    assert (sent.status, sent.report_sent_on) == ("reported", dt.date(2026, 12, 14))
    document = sent.report_document
    assert document.case == sent.case
    assert (document.original_name, document.content_type) == (
        f"Tilsynsrapport-{reference}.pdf",
        "application/pdf",
    )
    content = document.file.read()
    assert content.startswith(b"%PDF")
    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert Event.objects.get(kind="visit_report_sent").text == (
        "Tilsynsrapporten er sendt til virksomheden 14.12.2026. "
        "Den offentliggøres senest 07.04.2027."
    )
    message = Message.objects.filter(case=sent.case).last()
    assert not message.internal
    assert f"Tilsynsrapporten ligger nu som dokument på sagen: Tilsynsrapport-{reference}.pdf" in (
        message.body
    )
    assert "Den løsning, vi aftalte, står i leveranceplanen med sin frist." in message.body
    # The survey after an inspection, e-mailed as answer surveys are, with its own link.
    invitation = Invitation.objects.get(case=sent.case)
    assert (invitation.occasion, invitation.email) == ("inspection", "eva@fynsk.dk")
    mails = dict(Notification.objects.filter(case=sent.case).values_list("kind", "body_text"))
    assert set(mails) == {"staff_message", "survey_invitation"}
    assert "/tilfredshed/" in mails["survey_invitation"]
    # Sending the report does not answer the case: the agreed solution is still open.
    assert sent.case.status == "in_progress" and sent.case.answered_at is None


def test_a_report_sent_in_replayed_history_invites_and_mails_nobody(
    ready, soeren, time_machine, django_capture_on_commit_callbacks
):
    """The demo replays history under ``clock.travel``: as the case hooks announce nothing
    from the past, no survey link is made and no e-mail recorded."""
    time_machine.move_to(cph(2026, 12, 14, 9), tick=False)

    with django_capture_on_commit_callbacks(execute=True), clock.travel(cph(2026, 12, 11, 9)):
        sent = visit_report_send(visit=ready, actor=soeren)

    assert (sent.status, sent.report_sent_on) == ("reported", dt.date(2026, 12, 11))
    assert not Invitation.objects.exists() and not Notification.objects.exists()


def test_no_survey_when_the_municipality_does_not_survey_after_inspections(
    ready, soeren, django_capture_on_commit_callbacks
):
    Municipality.objects.filter(pk=1).update(survey_after_inspection=False)

    with django_capture_on_commit_callbacks(execute=True):
        sent = visit_report_send(visit=ready, actor=soeren)

    assert sent.status == "reported"
    assert not Invitation.objects.exists()
    assert list(Notification.objects.values_list("kind", flat=True)) == ["staff_message"]


def test_a_late_report_says_so_and_a_sent_report_is_final(ready, soeren, counts, time_machine):
    time_machine.move_to(cph(2027, 2, 8, 9), tick=False)  # report due 7 Feb 2027

    sent = visit_report_send(visit=ready, actor=soeren)

    assert Event.objects.get(kind="visit_report_sent").data["on_time"] is False
    assert "(efter fristen 07.02.2027)" in Event.objects.get(kind="visit_report_sent").text
    before = counts()
    with pytest.raises(IllegalTransition) as final:
        finding_add(visit=sent, actor=soeren, kind="observation", text="Glemt.")
    assert final.value.message == "Tilsynsrapporten er sendt; konstateringerne kan ikke ændres."
    with pytest.raises(IllegalTransition):
        visit_report_send(visit=sent, actor=soeren)
    with pytest.raises(IllegalTransition):
        visit_report_update(
            visit=sent, actor=soeren, self_monitoring="", follows_up=None, conclusion=""
        )
    assert counts() == before


def test_the_report_is_published_and_listed_publicly(ready, soeren, owner, time_machine):
    with pytest.raises(IllegalTransition):
        visit_publish(visit=ready, actor=soeren)  # not sent yet
    sent = visit_report_send(visit=ready, actor=soeren)
    assert selectors.published_report(visit_id=sent.pk) is None
    assert list(selectors.published_reports()) == []
    time_machine.move_to(cph(2027, 1, 4, 9), tick=False)

    published = visit_publish(visit=sent, actor=soeren, expected_version=sent.version)

    assert (published.status, published.published_on) == ("published", dt.date(2027, 1, 4))
    assert Event.objects.get(kind="visit_published").text == (
        "Tilsynsrapporten er offentliggjort 04.01.2027."
    )
    assert selectors.published_report(visit_id=sent.pk) == published
    assert list(selectors.published_reports()) == [published]
    with pytest.raises(IllegalTransition):
        visit_publish(visit=published, actor=soeren)
    with pytest.raises(Forbidden):
        visit_publish(visit=published, actor=owner)
