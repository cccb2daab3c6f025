"""A business contact answers the survey from the e-mail's link in a real browser: no login,
the required overall question first forgotten (the error summary says so), then answered;
the thank-you page; the link then says politely that it has been used."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.surveys import services
from erhvervskontakt.surveys.models import Answer, Invitation, Occasion

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_business_contact_answers_the_survey_from_the_link(
    page, answered_case, hanne, axe, screenshot
):
    case = answered_case()
    invitation, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
    page.goto(f"/tilfredshed/{token}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan oplevede I vores service?")
    expect(page.get_by_text(f"Tilfredshedsmåling om sag {case.reference}")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "survey-form")

    # Sent without the one required answer: the summary links to the question.
    page.get_by_label(re.compile("^Har I kommentarer")).fill("Svaret kom for sent til os.")
    page.get_by_role("button", name="Send svar").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Besvar venligst dette spørgsmål")
    expect(page.get_by_label(re.compile("^Har I kommentarer"))).to_have_value(
        "Svaret kom for sent til os."
    )
    assert axe(page) == []
    screenshot(page, "survey-form-error")
    summary.get_by_role("link").click()
    expect(page.locator("#q-overall")).to_be_focused()

    overall = page.get_by_role("group", name=re.compile("^Hvor tilfredse er I samlet set"))
    overall.get_by_label("2", exact=True).check()
    page.get_by_role("group", name=re.compile("^Vidste I undervejs")).get_by_label("Nej").check()
    page.get_by_role("group", name=re.compile("^Må vi kontakte jer")).get_by_label("Ja").check()
    page.get_by_role("button", name="Send svar").click()

    expect(page.get_by_role("heading", name="Tak for jeres svar")).to_be_visible()
    screenshot(page, "survey-thanks")
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    assert invitation.follow_up_task is not None and invitation.follow_up_task.assignee == hanne
    answers = dict(
        Answer.objects.filter(invitation=invitation).values_list("question__key", "positive")
    )
    assert answers == {
        "overall": False,
        "knew_deliverables": False,
        "comments": None,
        "may_contact": None,
    }

    page.goto(f"/tilfredshed/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tilfredshedsmålingen er allerede besvaret"
    )
    assert Invitation.objects.filter(case=case).count() == 1
