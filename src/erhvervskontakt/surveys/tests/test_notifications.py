"""The invitation e-mail, end to end: the sweep records it (making the one-time link), the
worker sends it through a real SMTP server (aiosmtpd), and the link in the received e-mail
opens the survey and takes the answers once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from erhvervskontakt.notifications.services import sweep
from erhvervskontakt.surveys.models import Answer, Invitation

from .conftest import cph

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def answered_on_thursday(answered_case, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    """A case answered Thu 10 Dec 2026; the receipts and the answer e-mail already sent."""
    time_machine.move_to(cph(2026, 12, 10, 14), tick=False)
    case = answered_case()
    deliver_all()
    smtp.received.clear()
    return case


def survey_link(mail) -> str:  # type: ignore[no-untyped-def]
    found = [link for link in mail.links() if link.startswith(f"{SITE}/tilfredshed/")]
    assert len(found) == 1, mail.links()
    return found[0].removeprefix(SITE)


def test_the_e_mailed_link_opens_the_survey_and_works_once(
    answered_on_thursday, smtp, deliver_all, time_machine
):
    case = answered_on_thursday
    time_machine.move_to(cph(2026, 12, 11, 9), tick=False)  # the next working day
    sweep.sweep()
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="survey_invitation")
    path = survey_link(mail)
    assert re.fullmatch(r"/tilfredshed/[A-Za-z0-9_-]{43}/", path)
    assert path in mail.html
    invitation = Invitation.objects.get(case=case)
    assert invitation.language == "da"

    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    answered = client.post(path, {"q-overall": "5", "q-comments": "Tak for hjælpen."})
    assert answered.status_code == 302
    assert client.get(path).status_code == 410
    assert Answer.objects.filter(invitation=invitation).count() == 2

    time_machine.move_to(cph(2026, 12, 14, 9), tick=False)
    sweep.sweep()  # recorded once: no second e-mail or link
    deliver_all()
    assert smtp.kinds().count("survey_invitation") == 1
    assert Invitation.objects.filter(case=case).count() == 1


def test_an_english_speaking_contact_gets_an_english_link_e_mail(
    answered_on_thursday, owner, smtp, deliver_all, time_machine
):
    owner.language = "en"
    owner.save(update_fields=["language"])
    time_machine.move_to(cph(2026, 12, 11, 9), tick=False)
    sweep.sweep()
    deliver_all()

    mail = smtp.one(to="ejer@fynsk.dk", kind="survey_invitation")
    assert "Answer here" in mail.text
    assert Invitation.objects.get(case=answered_on_thursday).language == "en"
    page = Client().get(survey_link(mail))  # no language chosen yet: the e-mail's
    assert page.status_code == 200
    assert "How did you find our service?" in page.content.decode()
