"""The demo's surveys (replayed through the services) and the bulk volume generator: what
they make obeys the same rules as what the services make."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import F, Q

from erhvervskontakt.cases.models import Event, Task
from erhvervskontakt.common import clock
from erhvervskontakt.demo.surveys import load_surveys
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.surveys import selectors
from erhvervskontakt.surveys.models import Answer, Invitation
from erhvervskontakt.surveys.volume import load_survey_volume

from .conftest import cph

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_cases(answered_case, time_machine):  # type: ignore[no-untyped-def]
    """Twenty cases answered on working days from 1 September 2026, every third day; the
    clock then stands at Fri 27 Nov 2026 12:00."""
    made = []
    day = dt.date(2026, 9, 1)
    while len(made) < 20:
        if day.weekday() < 5:
            time_machine.move_to(cph(day.year, day.month, day.day, 11), tick=False)
            made.append(answered_case())
        day += dt.timedelta(days=3)
    time_machine.move_to(cph(2026, 11, 27, 12), tick=False)
    return made


def test_the_demo_invites_every_answered_case_and_most_answer(answered_cases, hanne):
    counts = load_surveys(rng=random.Random(7), now=clock.now())

    assert counts["invited"] == Invitation.objects.count() == 20
    responded = Invitation.objects.filter(responded_at__isnull=False)
    assert counts["responded"] == responded.count()
    assert 8 <= counts["responded"] <= 16  # about 60 %
    assert not Invitation.objects.filter(created_at__gt=clock.now()).exists()
    assert not responded.filter(responded_at__gte=F("expires_at")).exists()
    assert Answer.objects.filter(question__key="overall").count() == counts["responded"]
    negative = Answer.objects.filter(question__key="overall", value_int__lte=2).count()
    assert (
        counts["follow_ups"] == negative == Invitation.objects.exclude(follow_up_task=None).count()
    )
    for task in Task.objects.filter(pk__in=Invitation.objects.values("follow_up_task")):
        assert task.assignee_id == hanne.pk
        if task.status == Task.Status.DONE:
            assert Event.objects.filter(case=task.case, kind="task_done").exists()
    assert Event.objects.filter(kind="survey_answered").count() == counts["responded"]


def test_the_volume_generator_writes_what_the_services_would(
    answered_cases, django_assert_max_num_queries
):
    ids = [case.pk for case in answered_cases]

    with django_assert_max_num_queries(40):
        made = load_survey_volume(cases=ids, seed=3, batch_size=8)

    assert made.invited == Invitation.objects.count() == 20
    assert made.responded == Invitation.objects.filter(responded_at__isnull=False).count()
    assert 4 <= made.responded <= 14  # about 40 %
    assert made.answers == Answer.objects.count()
    assert not Answer.objects.exclude(created_on=F("invitation__created_on")).exists()
    assert not Answer.objects.exclude(case=F("invitation__case")).exists()
    overall = Answer.objects.filter(question__key="overall")
    assert overall.count() == made.responded
    assert not overall.filter(
        Q(value_int__gte=4, positive=False) | Q(value_int__lte=3, positive=True)
    ).exists()
    assert not Answer.objects.filter(
        question__key__in=["comments", "may_contact"], positive__isnull=False
    ).exists()
    assert Event.objects.filter(kind="survey_invited", internal=True).count() == 20
    assert Event.objects.filter(kind="survey_answered").count() == made.responded

    year = MeasureFilter(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    rate = selectors.response_rate(year)
    assert (rate.invited, rate.responded) == (20, made.responded)
    assert selectors.overall_positive(year)[1] == made.responded

    again = load_survey_volume()  # only cases without a survey: none left
    assert again.invited == 0 and Invitation.objects.count() == 20
