"""The satisfaction figures on hand-made data where the right answer is worked out by hand.

December 2026, invitations by local date (Europe/Copenhagen):

| case | service types (departments)         | coordinator | invited        | overall | other answers            |
|------|-------------------------------------|-------------|----------------|---------|--------------------------|
| A    | udeservering (Vej og Park)          | Karen       | 1 Dec          | 5       | knew: yes, helpful: 4, comment, may contact: yes |
| B    | raadgivning (Erhvervskontakt)       | Lars        | 2 Dec          | 2       | knew: no, comment        |
| C    | udeservering + raadgivning (both)   | Karen       | 3 Dec          | 4       | comment "" (not a comment) |
| D    | udeservering                        | Lars        | 4 Dec          | —       | (not answered)           |
| E    | raadgivning                         | Karen       | 30 Nov         | 1       | before the period        |
| G    | udeservering                        | Lars        | 31 Dec 23:30   | 5       | in: local date 31 Dec    |
| H    | udeservering                        | Lars        | 1 Jan 00:30    | 1       | out: local date 1 Jan (31 Dec UTC) |

So in December: invited 5 (A B C D G), responded 4; overall positive 3 of 4 (A C G);
by department Vej og Park 3 of 3 (A C G), Erhvervskontakt 1 of 2 (B C); by coordinator
Karen 2 of 2 (A C), Lars 1 of 2 (B G).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.surveys import selectors, services
from erhvervskontakt.surveys.models import Occasion, Question
from erhvervskontakt.surveys.selectors import BreakdownRow, QuestionResult, ResponseRate

from .conftest import cph

pytestmark = pytest.mark.django_db

DECEMBER = MeasureFilter(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))


@pytest.fixture
def december(answered_case, coordinators, time_machine):  # type: ignore[no-untyped-def]
    karen, lars = coordinators
    rows = [
        (
            "A",
            ("udeservering",),
            karen,
            cph(2026, 12, 1),
            {
                "overall": "5",
                "knew_deliverables": "ja",
                "contact_helpful": "4",
                "comments": "Rigtig god hjælp.",
                "may_contact": "ja",
            },
        ),
        (
            "B",
            ("raadgivning",),
            lars,
            cph(2026, 12, 2),
            {"overall": "2", "knew_deliverables": "nej", "comments": "For langsomt."},
        ),
        (
            "C",
            ("udeservering", "raadgivning"),
            karen,
            cph(2026, 12, 3),
            {"overall": "4", "comments": ""},
        ),
        ("D", ("udeservering",), lars, cph(2026, 12, 4), None),
        (
            "E",
            ("raadgivning",),
            karen,
            cph(2026, 11, 30),
            {"overall": "1", "comments": "Før perioden."},
        ),
        ("G", ("udeservering",), lars, cph(2026, 12, 31, 23, 30), {"overall": "5"}),
        (
            "H",
            ("udeservering",),
            lars,
            cph(2027, 1, 1, 0, 30),
            {"overall": "1", "comments": "Efter perioden."},
        ),
    ]
    made = {}
    for name, codes, coordinator, at, answers in rows:
        time_machine.move_to(at, tick=False)
        case = answered_case(codes=codes, coordinator=coordinator)
        _invitation, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
        if answers is not None:
            time_machine.move_to(at + dt.timedelta(minutes=10), tick=False)
            services.response_submit(token=token, answers=answers)
        made[name] = case
    return made


def test_share_positive_per_question(december, django_assert_num_queries):
    with django_assert_num_queries(2):
        results = selectors.satisfaction_by_question(DECEMBER)

    overall = Question.objects.get(key="overall")
    assert results == [
        QuestionResult("overall", overall.text_da, "scale", 4, 3, 0.75),
        QuestionResult(
            "knew_deliverables",
            "Vidste I undervejs, hvad I skulle levere, og hvornår?",
            "yes_no",
            2,
            1,
            0.5,
        ),
        QuestionResult(
            "answer_on_time",
            "Fik I svar på eller før den dato, I fik oplyst?",
            "yes_no",
            0,
            0,
            None,
        ),
        QuestionResult(
            "contact_helpful", "Hvor hjælpsom var jeres kontaktperson?", "scale", 1, 1, 1.0
        ),
    ]


def test_question_texts_follow_the_active_language(december):
    with translation.override("en"):
        results = selectors.satisfaction_by_question(DECEMBER)
    assert results[0].text.startswith("Overall, how satisfied")


def test_a_deactivated_question_counts_only_where_it_was_answered(december):
    Question.objects.filter(key__in=["knew_deliverables", "answer_on_time"]).update(active=False)
    keys = [r.key for r in selectors.satisfaction_by_question(DECEMBER)]
    assert keys == ["overall", "knew_deliverables", "contact_helpful"]


def test_overall_positive_and_response_rate(december, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert selectors.overall_positive(DECEMBER) == (3, 4)
        assert selectors.response_rate(DECEMBER) == ResponseRate(5, 4, 0.8)


def test_the_period_is_the_local_date_the_invitation_was_made(december):
    january = MeasureFilter(start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    assert selectors.overall_positive(january) == (0, 1)  # H
    last_day = MeasureFilter(start=dt.date(2026, 12, 31), end=dt.date(2026, 12, 31))
    assert selectors.overall_positive(last_day) == (1, 1)  # G
    november = MeasureFilter(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert selectors.response_rate(november) == ResponseRate(1, 1, 1.0)  # E


def test_breakdown_by_department_counts_a_case_under_each_of_its_departments(
    december, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the departments, then one aggregate
        rows = selectors.satisfaction_breakdown(DECEMBER, "department")
    assert rows == [
        BreakdownRow("Erhvervskontakt", "erhverv", 2, 1, 0.5),
        BreakdownRow("Vej og Park", "vej", 3, 3, 1.0),
    ]


def test_breakdown_by_service_type_and_by_coordinator(december):
    assert selectors.satisfaction_breakdown(DECEMBER, "service_type") == [
        BreakdownRow("Rådgivning om etablering", "raadgivning", 2, 1, 0.5),
        BreakdownRow("Udeservering", "udeservering", 3, 3, 1.0),
    ]
    assert selectors.satisfaction_breakdown(DECEMBER, "coordinator") == [
        BreakdownRow("Karen Kofoed", "karen", 2, 2, 1.0),
        BreakdownRow("Lars Lund", "lars", 2, 1, 0.5),
    ]


def test_breakdown_of_another_question(december):
    assert selectors.satisfaction_breakdown(DECEMBER, "coordinator", "knew_deliverables") == [
        BreakdownRow("Karen Kofoed", "karen", 1, 1, 1.0),
        BreakdownRow("Lars Lund", "lars", 1, 0, 0.0),
    ]


def test_filters_by_department_service_type_and_coordinator(december):
    vej = MeasureFilter(start=DECEMBER.start, end=DECEMBER.end, department="vej")
    assert selectors.overall_positive(vej) == (3, 3)  # A C G
    assert selectors.response_rate(vej) == ResponseRate(4, 3, 0.75)  # A C D G
    assert selectors.satisfaction_breakdown(vej, "department") == [
        BreakdownRow("Vej og Park", "vej", 3, 3, 1.0)
    ]
    advice = MeasureFilter(start=DECEMBER.start, end=DECEMBER.end, service_type="raadgivning")
    assert selectors.satisfaction_breakdown(advice, "service_type") == [
        BreakdownRow("Rådgivning om etablering", "raadgivning", 2, 1, 0.5)
    ]
    assert selectors.overall_positive(advice) == (1, 2)  # B C
    lars = MeasureFilter(start=DECEMBER.start, end=DECEMBER.end, coordinator="lars")
    assert selectors.overall_positive(lars) == (1, 2)  # B G
    assert selectors.response_rate(lars) == ResponseRate(3, 2, 2 / 3)  # B D G


def test_no_data_gives_counts_of_zero_and_no_share():
    empty = MeasureFilter(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    results = selectors.satisfaction_by_question(empty)
    assert [(r.key, r.answered, r.positive, r.share) for r in results] == [
        ("overall", 0, 0, None),
        ("knew_deliverables", 0, 0, None),
        ("answer_on_time", 0, 0, None),
        ("contact_helpful", 0, 0, None),
    ]
    assert selectors.satisfaction_breakdown(empty, "department") == []
    assert selectors.response_rate(empty) == ResponseRate(0, 0, None)
    assert selectors.overall_positive(empty) == (0, 0)
    assert list(selectors.comments(empty)) == []


def test_an_unknown_breakdown_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown breakdown"):
        selectors.satisfaction_breakdown(DECEMBER, "weather")  # type: ignore[arg-type]


def test_comments_newest_first_with_the_overall_answer(december, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (c.case_id, c.value_text, c.overall, c.overall_positive, c.may_contact)
            for c in selectors.comments(DECEMBER)
        ]
    assert rows == [
        (december["B"].pk, "For langsomt.", 2, False, None),
        (december["A"].pk, "Rigtig god hjælp.", 5, True, True),
    ]


def test_comments_are_scoped_to_what_the_user_may_see(december, bodil, karen):
    assert list(selectors.comments(DECEMBER, user=bodil)) == []  # Byggeri has no such cases
    assert len(selectors.comments(DECEMBER, user=karen)) == 2


def test_a_cases_responses_for_staff(december, django_assert_num_queries, time_machine):
    time_machine.move_to(cph(2026, 12, 10), tick=False)
    with django_assert_num_queries(2):
        responses = selectors.case_responses(december["A"])
    assert len(responses) == 1
    assert responses[0].state == "answered"
    assert [(line.value, line.positive) for line in responses[0].lines] == [
        (5, True),
        (True, True),
        (4, True),
        ("Rigtig god hjælp.", None),
        (True, None),
    ]
    assert selectors.case_responses(december["D"])[0].state == "open"
    time_machine.move_to(cph(2026, 12, 19, 0), tick=False)
    assert selectors.case_responses(december["D"])[0].state == "expired"
