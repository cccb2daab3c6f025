"""The survey's writes: a one-time link that expires, answers checked and stored once, and a
follow-up task when the business is dissatisfied overall.

Calendar: the case is answered and the link made on Mon 14 Dec 2026 at 10:00; with the
default 14 days it works through Mon 28 Dec and is refused from Tue 29 Dec 00:00 (local).
"""

from __future__ import annotations

import hashlib

import pytest

from erhvervskontakt.cases.models import Event, Task
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.common.errors import IllegalTransition, NotFound, ValidationFailed
from erhvervskontakt.surveys import services
from erhvervskontakt.surveys.models import Answer, Invitation, Occasion, Question
from erhvervskontakt.surveys.selectors import questions_for

from .conftest import cph, snapshot

pytestmark = pytest.mark.django_db

GOOD = {"overall": "5", "knew_deliverables": "ja", "comments": "Hurtigt og venligt."}


@pytest.fixture
def link(answered_case, time_machine):  # type: ignore[no-untyped-def]
    """An answered case and its survey link, made Mon 14 Dec 2026 10:00."""
    time_machine.move_to(cph(2026, 12, 14, 10), tick=False)
    case = answered_case()
    invitation, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
    return case, invitation, token


# --- the link ---------------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(link):
    case, invitation, token = link
    assert len(token) >= 43
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert stored.email == "ejer@fynsk.dk"
    event = Event.objects.get(case=case, kind="survey_invited")
    assert event.internal
    assert token not in event.text
    assert "til og med 28.12.2026" in event.text


def test_two_links_for_one_case_have_different_tokens(link):
    case, _, token = link
    _, second = services.invitation_create(case=case, occasion=Occasion.ANSWER)
    assert second != token


def test_the_link_works_through_the_last_day_of_the_window(link, time_machine):
    _, invitation, token = link
    assert invitation.expires_at == cph(2026, 12, 29, 0)
    time_machine.move_to(cph(2026, 12, 28, 23, 59), tick=False)

    services.response_submit(token=token, answers=GOOD)

    assert Invitation.objects.get(pk=invitation.pk).responded_at == cph(2026, 12, 28, 23, 59)


def test_the_link_is_refused_from_midnight_after_the_window(link, time_machine):
    _, _invitation, token = link
    time_machine.move_to(cph(2026, 12, 29, 0, 0), tick=False)
    before = snapshot()

    with pytest.raises(services.SurveyClosed) as refused:
        services.response_submit(token=token, answers=GOOD)

    assert refused.value.reason == "expired"
    assert refused.value.status_code == 410
    assert snapshot() == before


def test_the_window_is_the_municipalitys_setting(answered_case, time_machine):
    Municipality.objects.filter(pk=1).update(survey_valid_days=3)
    time_machine.move_to(cph(2026, 12, 14, 10), tick=False)
    invitation, _ = services.invitation_create(case=answered_case(), occasion=Occasion.ANSWER)
    assert invitation.expires_at == cph(2026, 12, 18, 0)  # works Mon 14 – Thu 17 Dec


def test_the_link_works_once(link):
    _case, invitation, token = link
    services.response_submit(token=token, answers=GOOD)
    before = snapshot()

    with pytest.raises(services.SurveyClosed) as refused:
        services.response_submit(token=token, answers={"overall": "1"})

    assert refused.value.reason == "answered"
    assert snapshot() == before
    assert Answer.objects.get(invitation=invitation, question__key="overall").value_int == 5


def test_an_unknown_token_is_not_found(link):
    before = snapshot()
    for token in ("", "nope", link[2][:-1], "x" * 5000):
        with pytest.raises(NotFound):
            services.response_submit(token=token, answers=GOOD)
    assert snapshot() == before


def test_a_case_not_yet_answered_gets_no_survey(answered_case, owner, business):
    from erhvervskontakt.cases.services.intake import inquiry_submit

    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Råd om etablering.",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
    )
    with pytest.raises(IllegalTransition):
        services.invitation_create(case=case, occasion=Occasion.ANSWER)
    assert not Invitation.objects.exists()


def test_after_an_inspection_visit_only_if_the_municipality_wants_it(answered_case):
    case = answered_case()
    invitation, _ = services.invitation_create(case=case, occasion=Occasion.INSPECTION)
    assert invitation.occasion == Occasion.INSPECTION

    Municipality.objects.filter(pk=1).update(survey_after_inspection=False)
    with pytest.raises(IllegalTransition):
        services.invitation_create(case=case, occasion=Occasion.INSPECTION)
    with pytest.raises(ValidationFailed):
        services.invitation_create(case=case, occasion="party")
    assert Invitation.objects.count() == 1


def test_inspection_surveys_leave_out_the_questions_about_the_answer():
    answer_keys = [q.key for q in questions_for(Occasion.ANSWER)]
    inspection_keys = [q.key for q in questions_for(Occasion.INSPECTION)]
    assert answer_keys == [
        "overall",
        "knew_deliverables",
        "answer_on_time",
        "contact_helpful",
        "comments",
        "may_contact",
    ]
    assert inspection_keys == ["overall", "contact_helpful", "comments", "may_contact"]


# --- the answers ------------------------------------------------------------------------------


def test_answers_are_stored_with_whether_each_is_positive(link):
    case, invitation, token = link
    services.response_submit(
        token=token,
        answers={
            "overall": "4",
            "knew_deliverables": "nej",
            "answer_on_time": "ja",
            "contact_helpful": "3",
            "comments": "  Tegningerne var svære at forstå.  ",
            "may_contact": "ja",
        },
    )
    stored = {
        a.question.key: (a.value, a.positive)
        for a in Answer.objects.filter(invitation=invitation).select_related("question")
    }
    assert stored == {
        "overall": (4, True),
        "knew_deliverables": (False, False),
        "answer_on_time": (True, True),
        "contact_helpful": (3, False),
        "comments": ("Tegningerne var svære at forstå.", None),
        "may_contact": (True, None),
    }
    assert set(Answer.objects.values_list("case_id", "created_on")) == {
        (case.pk, invitation.created_on)
    }
    event = Event.objects.get(case=case, kind="survey_answered")
    assert event.text == "Tilfredshedsmåling besvaret. Tak for svaret."
    assert not event.internal


def test_only_the_overall_question_must_be_answered(link):
    _, _invitation, token = link
    services.response_submit(
        token=token, answers={"overall": 3, "comments": "", "may_contact": None}
    )
    assert list(Answer.objects.values_list("question__key", flat=True)) == ["overall"]


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        (
            {},
            {"overall": "Besvar venligst dette spørgsmål – det er det eneste, der skal besvares."},
        ),
        (
            {"overall": "  ", "comments": "Fint"},
            {"overall": "Besvar venligst dette spørgsmål – det er det eneste, der skal besvares."},
        ),
        ({"overall": "6"}, {"overall": "Vælg et tal fra 1 til 5."}),
        ({"overall": "0"}, {"overall": "Vælg et tal fra 1 til 5."}),
        ({"overall": "4.5"}, {"overall": "Vælg et tal fra 1 til 5."}),
        ({"overall": "²"}, {"overall": "Vælg et tal fra 1 til 5."}),
        ({"overall": True}, {"overall": "Vælg et tal fra 1 til 5."}),
        ({"overall": ["5"]}, {"overall": "Vælg et tal fra 1 til 5."}),
        (
            {"overall": "5", "knew_deliverables": "måske"},
            {"knew_deliverables": "Svar ja eller nej."},
        ),
        ({"overall": "5", "comments": 17}, {"comments": "Skriv jeres svar som tekst."}),
        (
            {"overall": "5", "comments": "x" * 2001},
            {"comments": "Skriv højst 2000 tegn (I har skrevet 2001)."},
        ),
        (
            {"overall": "5", "comments": "a\x00b"},
            {"comments": "Teksten indeholder et tegn, der ikke kan gemmes."},
        ),
        ({"overall": "5", "hacked": "1"}, {"hacked": "Spørgsmålet findes ikke i denne måling."}),
    ],
)
def test_wrong_answers_are_refused_with_a_danish_reason_and_nothing_changes(link, answers, errors):
    _, _invitation, token = link
    before = snapshot()

    with pytest.raises(ValidationFailed) as refused:
        services.response_submit(token=token, answers=answers)

    assert refused.value.errors == errors
    assert snapshot() == before


def test_answers_that_are_not_a_mapping_are_refused(link):
    with pytest.raises(ValidationFailed):
        services.response_submit(token=link[2], answers=["overall", "5"])  # type: ignore[arg-type]


def test_a_deactivated_question_is_no_longer_asked_or_taken(link):
    _, _, token = link
    services.questions_deactivate(
        ids=list(Question.objects.filter(key="comments").values_list("pk", flat=True))
    )
    with pytest.raises(ValidationFailed) as refused:
        services.response_submit(token=token, answers={"overall": "5", "comments": "Hej"})
    assert refused.value.errors == {"comments": "Spørgsmålet findes ikke i denne måling."}
    assert Question.objects.filter(key="comments").exists()  # kept, not deleted


# --- follow-up --------------------------------------------------------------------------------


def test_a_negative_overall_answer_gives_the_head_of_unit_a_follow_up_task(link, hanne, erhverv):
    case, invitation, token = link
    version = case.version

    services.response_submit(token=token, answers={"overall": "2", "comments": "For langsomt."})

    invitation.refresh_from_db()
    task = invitation.follow_up_task
    assert task is not None
    assert (task.case_id, task.department_id, task.assignee_id, task.status) == (
        case.pk,
        erhverv.pk,
        hanne.pk,
        Task.Status.OPEN,
    )
    event = Event.objects.get(case=case, kind="follow_up_task_created")
    assert event.internal
    assert event.text == (
        "Opfølgningsopgave oprettet for Erhvervskontakt, givet til Hanne Skov. "
        "Virksomheden svarede 2 af 5 på det samlede spørgsmål i tilfredshedsmålingen."
    )
    case.refresh_from_db()
    assert case.version == version + 1


def test_the_follow_up_task_is_made_once(link, hanne):
    case, _, token = link
    services.response_submit(token=token, answers={"overall": "1"})
    with pytest.raises(services.SurveyClosed):
        services.response_submit(token=token, answers={"overall": "1"})
    assert Task.objects.filter(case=case, assignee=hanne).count() == 1
    assert Event.objects.filter(case=case, kind="follow_up_task_created").count() == 1


def test_a_neutral_or_positive_overall_answer_gives_no_task(answered_case, hanne):
    for value in ("3", "4", "5"):
        case = answered_case()
        invitation, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
        services.response_submit(token=token, answers={"overall": value})
        invitation.refresh_from_db()
        assert invitation.follow_up_task is None
        assert not Task.objects.filter(case=case, assignee=hanne).exists()


def test_an_existing_task_of_the_department_is_reopened(answered_case, hanne, erhverv):
    case = answered_case(codes=("raadgivning",))  # Erhvervskontakt's own task, done
    own = Task.objects.get(case=case, department=erhverv)
    assert own.status == Task.Status.DONE
    _, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)

    services.response_submit(token=token, answers={"overall": "1"})

    own.refresh_from_db()
    assert (own.status, own.assignee_id, own.done_at) == (Task.Status.OPEN, hanne.pk, None)
    assert Task.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind="follow_up_task_reopened").exists()


def test_the_head_of_unit_of_the_coordinators_department_is_preferred(
    answered_case, hanne, catalogue, karen
):
    from erhvervskontakt.accounts.tests.factories import StaffFactory

    vej = catalogue["udeservering"].department
    other_head = StaffFactory(username="vejchef", department=vej, is_head_of_unit=True)
    karen.department = vej
    karen.save(update_fields=["department"])
    case = answered_case(coordinator=karen)
    _, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)

    invitation = services.response_submit(token=token, answers={"overall": "1"})

    assert invitation.follow_up_task is not None
    assert invitation.follow_up_task.assignee_id == other_head.pk


def test_without_a_head_of_unit_the_coordinator_follows_up(link, karen):
    _case, _, token = link
    invitation = services.response_submit(token=token, answers={"overall": "1"})
    assert invitation.follow_up_task is not None
    assert invitation.follow_up_task.assignee_id == karen.pk


def test_the_municipality_can_give_it_to_the_coordinator_or_to_nobody(answered_case, hanne, karen):
    Municipality.objects.filter(pk=1).update(survey_follow_up="coordinator")
    _, token = services.invitation_create(case=answered_case(), occasion=Occasion.ANSWER)
    invitation = services.response_submit(token=token, answers={"overall": "1"})
    assert invitation.follow_up_task is not None
    assert invitation.follow_up_task.assignee_id == karen.pk

    Municipality.objects.filter(pk=1).update(survey_follow_up="none")
    case = answered_case()
    _, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
    invitation = services.response_submit(token=token, answers={"overall": "1"})
    assert invitation.follow_up_task is None
    assert invitation.responded_at is not None
    assert not Event.objects.filter(case=case, kind__startswith="follow_up").exists()


def test_the_default_questions_are_there_once():
    assert services.questions_seed_defaults() == 0
    overall = Question.objects.get(key="overall")
    assert (overall.kind, overall.positive_from, overall.negative_to) == ("scale", 4, 2)
    assert overall.text_en.startswith("Overall, how satisfied")
