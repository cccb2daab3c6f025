"""Retention reaches the copies of the contact's data that other apps keep: the e-mails in
the outbox and the survey invitations (``cases.announcements.CaseAnonymised``, heard by
notifications and surveys after the case's anonymisation commits).

Received Fri 27 Nov 2026, screened Mon 30 Nov, answered and closed the same day; outdoor
serving keeps 5 years, so the case is anonymised from Mon 1 Dec 2031.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.lifecycle import case_close
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.retention import PLACEHOLDER, cases_anonymise_expired
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Municipality, ServiceType
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.surveys.models import Invitation
from erhvervskontakt.surveys.services import invitation_create

from .conftest import CONTACT, cph

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_outbox_and_the_survey_invitations_forget_the_contact(
    submit, karen, owner, time_machine
):
    ServiceType.objects.filter(code="udeservering").update(retention_years=5)
    Municipality.objects.filter(pk=1).update(retention_enabled=True)
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    other = submit()  # not ended: its e-mails stay as they are
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    case_message_post(case=case, actor=karen, body=f"Kære {CONTACT['name']}, tak for det.")
    case = case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
    invitation_create(case=case)
    case = case_close(case=case, actor=karen)
    to_contact = Notification.objects.filter(case=case, recipient_email=CONTACT["email"])
    assert to_contact.count() >= 3  # receipt, message, decision
    assert Invitation.objects.filter(case=case, email=CONTACT["email"]).exists()
    other_mails = list(
        Notification.objects.filter(case=other).values_list("recipient_email", "body_text")
    )
    time_machine.move_to(cph(2031, 12, 1, 9), tick=False)

    assert [c.reference for c in cases_anonymise_expired().cases] == [case.reference]

    rows = Notification.objects.filter(case=case)
    assert rows.exists()
    for row in rows:
        for part in (row.recipient_email, row.subject, row.body_text, row.body_html):
            assert CONTACT["email"] not in part and CONTACT["name"] not in part
            assert CONTACT["phone"] not in part
    assert {row.body_text for row in rows if row.recipient_email == ""} == {PLACEHOLDER}
    assert not Invitation.objects.filter(email=CONTACT["email"], case=case).exists()
    assert Invitation.objects.filter(case=case, email="").exists()  # the row stays, counted
    assert (
        list(Notification.objects.filter(case=other).values_list("recipient_email", "body_text"))
        == other_mails
    )
