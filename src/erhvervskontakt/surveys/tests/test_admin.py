"""Administrators edit and deactivate questions in the admin (never delete them); the
invitations are read-only there and never show a token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from erhvervskontakt.surveys import services
from erhvervskontakt.surveys.models import Invitation, Occasion, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def form(question: Question, **changes: object) -> dict[str, object]:
    data = {
        "kind": question.kind,
        "text_da": question.text_da,
        "text_en": question.text_en,
        "asked": question.asked,
        "position": question.position,
        "active": "on" if question.active else "",
        "positive_from": question.positive_from or "",
        "negative_to": question.negative_to or "",
        "positive_answer": {True: "true", False: "false", None: "unknown"}[
            question.positive_answer
        ],
        "scale_low_da": question.scale_low_da,
        "scale_high_da": question.scale_high_da,
        "scale_low_en": question.scale_low_en,
        "scale_high_en": question.scale_high_en,
    }
    data.update(changes)
    return data


def test_an_administrator_changes_a_question_and_what_counts_as_positive(admin_client):
    question = Question.objects.get(key="contact_helpful")
    url = reverse("admin:surveys_question_change", args=[question.pk])

    response = admin_client.post(
        url, form(question, text_da="Var tovholderen til hjælp?", positive_from=5, negative_to=3)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert (question.text_da, question.positive_from, question.negative_to) == (
        "Var tovholderen til hjælp?",
        5,
        3,
    )


def test_a_scale_question_needs_a_positive_rule_and_the_overall_one_stays_a_rating(admin_client):
    overall = Question.objects.get(key="overall")
    url = reverse("admin:surveys_question_change", args=[overall.pk])

    no_rule = admin_client.post(url, form(overall, positive_from=""))
    as_text = admin_client.post(url, form(overall, kind="text", positive_from="", negative_to=""))

    assert (
        no_rule.status_code == 200
        and "Angiv, fra hvilket tal et svar er positivt." in no_rule.content.decode()
    )
    assert "Det samlede spørgsmål skal være en skala eller ja/nej." in as_text.content.decode()
    overall.refresh_from_db()
    assert (overall.kind, overall.positive_from) == ("scale", 4)


def test_an_answered_question_keeps_its_kind(admin_client, answered_case):
    _, token = services.invitation_create(case=answered_case(), occasion=Occasion.ANSWER)
    services.response_submit(token=token, answers={"overall": "4", "knew_deliverables": "ja"})
    question = Question.objects.get(key="knew_deliverables")
    url = reverse("admin:surveys_question_change", args=[question.pk])

    response = admin_client.post(url, form(question, kind="text", positive_answer="unknown"))

    assert "Spørgsmålet er besvaret; typen kan ikke ændres." in response.content.decode()
    assert Question.objects.get(pk=question.pk).kind == "yes_no"


def test_questions_are_deactivated_not_deleted(admin_client):
    question = Question.objects.get(key="may_contact")
    changelist = reverse("admin:surveys_question_changelist")

    response = admin_client.post(
        changelist, {"action": "deactivate", "_selected_action": [question.pk]}
    )

    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).active is False
    delete = reverse("admin:surveys_question_delete", args=[question.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


def test_invitations_are_read_only_and_show_no_token(admin_client, answered_case):
    invitation, token = services.invitation_create(case=answered_case(), occasion=Occasion.ANSWER)
    url = reverse("admin:surveys_invitation_change", args=[invitation.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"email": "other@example.com"})

    assert token not in page and invitation.token_hash not in page
    assert Invitation.objects.get(pk=invitation.pk).email == invitation.email
    assert admin_client.get(reverse("admin:surveys_invitation_add")).status_code == 403
