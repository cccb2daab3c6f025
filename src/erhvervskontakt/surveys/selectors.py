"""Reads of the satisfaction surveys: the questions, an invitation by its token, a case's
responses, the staff's list of comments, and the satisfaction figures (issue 7).

The figures take a ``measures.filters.MeasureFilter``; its period applies to the date the
invitation was created (``created_on``, local). They are the surveys after an answer unless
asked for another occasion (``occasion="inspection"``: after an inspection visit, which is
not an inquiry and is measured apart). Each is one or two SQL aggregates over the
answers (``positive`` is stored on the row), never a loop over rows in Python.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Case
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock

from .models import MAY_CONTACT_KEY, OVERALL_KEY, Answer, Invitation, Occasion, Question

if TYPE_CHECKING:
    from erhvervskontakt.measures.filters import MeasureFilter

RATED = Q(kind=Question.Kind.SCALE, positive_from__isnull=False) | Q(
    kind=Question.Kind.YES_NO, positive_answer__isnull=False
)


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


def _share(positive: int, n: int) -> float | None:
    return positive / n if n else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


# --- the survey itself ------------------------------------------------------------------------


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (looked up by its hash), or None."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("case").filter(token_hash=token_hash(token)).first()


def questions_for(occasion: str) -> list[Question]:
    """The active questions asked on this occasion, in order."""
    asked = Question.Asked.INSPECTION if occasion == Occasion.INSPECTION else Question.Asked.ANSWER
    return list(
        Question.objects.filter(active=True, asked__in=[asked, Question.Asked.BOTH]).order_by(
            "position", "id"
        )
    )


def survey_wanted(occasion: str) -> bool:
    """Whether the municipality sends a survey on this occasion (always after an answer;
    after an inspection visit unless the setting is off)."""
    if occasion == Occasion.INSPECTION:
        return municipality().survey_after_inspection
    return occasion == Occasion.ANSWER


def follow_up_assignee(case: Case) -> User | None:
    """Who gets the task when the business is dissatisfied overall (``Municipality``'s
    ``survey_follow_up``), or None for no task.

    *Head of unit* (the default): the active head of unit in the coordinator's department;
    if that department has none (or the case has no coordinator), the first active head of
    unit; if nobody is head of unit, the coordinator. *Coordinator*: the case's coordinator
    if active, else as for head of unit. *None*: no task (the answer is still recorded).
    """
    rule = municipality().survey_follow_up
    if rule == Municipality.SurveyFollowUp.NONE:
        return None
    coordinator = case.coordinator
    if coordinator is not None and not (coordinator.is_active and coordinator.is_staff):
        coordinator = None
    if rule == Municipality.SurveyFollowUp.COORDINATOR and coordinator is not None:
        return coordinator
    heads = User.objects.filter(is_active=True, is_staff=True, is_head_of_unit=True).order_by("id")
    department_id = coordinator.department_id if coordinator is not None else None
    head = (heads.filter(department_id=department_id).first() if department_id else None) or (
        heads.first()
    )
    return head or coordinator


# --- staff: a case's responses and the comments ------------------------------------------------


@dataclass(frozen=True)
class ResponseLine:
    question: str
    kind: str
    value: int | bool | str
    positive: bool | None


@dataclass(frozen=True)
class CaseResponse:
    invitation: Invitation
    lines: list[ResponseLine]
    state: str  # "answered", "open" (the link still works) or "expired"


def case_responses(case: Case) -> list[CaseResponse]:
    """A case's survey invitations, answered or not, with the answers (two queries).

    For staff only: the case was read through ``Case.objects.visible_to`` by the caller.
    """
    language = _language()
    now = clock.now()
    answers = Answer.objects.select_related("question").order_by("question__position", "id")
    invitations = (
        Invitation.objects.filter(case=case)
        .select_related("follow_up_task__assignee")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("created_at", "id")
    )
    return [
        CaseResponse(
            invitation=invitation,
            lines=[
                ResponseLine(
                    question=answer.question.text(language),
                    kind=answer.question.kind,
                    value=answer.value if answer.value is not None else "",
                    positive=answer.positive,
                )
                for answer in invitation.answers.all()
            ],
            state="answered"
            if invitation.responded_at is not None
            else ("open" if now < invitation.expires_at else "expired"),
        )
        for invitation in invitations
    ]


def _answer_of(key: str, field: str) -> Subquery:
    return Subquery(
        Answer.objects.filter(invitation_id=OuterRef("invitation_id"), question__key=key).values(
            field
        )[:1]
    )


def comments(f: MeasureFilter, *, user: User | None = None) -> QuerySet[Answer]:
    """Free-text answers in the period, newest first, each with the overall answer and
    whether the business may be contacted (annotated: one query per page).

    Pass ``user`` to see only the cases that user may see (the staff list does).
    """
    queryset = Answer.objects.filter(
        f.case_q("case__"),
        created_on__range=(f.start, f.end),
        question__kind=Question.Kind.TEXT,
    ).exclude(value_text="")
    if user is not None:
        queryset = queryset.filter(case__in=Case.objects.visible_to(user))
    return (
        queryset.select_related("case__business", "case__coordinator", "question", "invitation")
        .annotate(
            overall=_answer_of(OVERALL_KEY, "value_int"),
            overall_yes=_answer_of(OVERALL_KEY, "value_bool"),
            overall_positive=_answer_of(OVERALL_KEY, "positive"),
            may_contact=_answer_of(MAY_CONTACT_KEY, "value_bool"),
        )
        .order_by("-invitation__responded_at", "-id")
    )


# --- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    kind: str
    answered: int
    positive: int
    share: float | None


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    code: str
    n: int
    positive: int
    share: float | None


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    responded: int
    share: float | None


def _rated_answers(
    f: MeasureFilter, question_key: str | None = None, occasion: str = Occasion.ANSWER
) -> QuerySet[Answer]:
    # The answer row carries its case's coordinator, departments and service types
    # (CaseDimensions) and its invitation's occasion: the filter applies to it directly,
    # without joining the cases or the invitations.
    answers = Answer.objects.filter(
        f.case_q(),
        occasion=occasion,
        created_on__range=(f.start, f.end),
        positive__isnull=False,
    )
    if question_key is not None:
        # A scalar subquery, not a join on the key: the planner then reads the one
        # question's rows from the (question, created_on) index.
        answers = answers.filter(
            question_id=Subquery(Question.objects.filter(key=question_key).values("pk")[:1])
        )
    return answers


def satisfaction_by_question(
    f: MeasureFilter, *, occasion: str = Occasion.ANSWER
) -> list[QuestionResult]:
    """Per scale and yes/no question with a notion of positive: answers, positive, share.

    Active questions are listed even without answers (n = 0, share None); a deactivated
    one only if it was answered in the period. Two queries.
    """
    counts = {
        row["question_id"]: (row["n"], row["positive_n"])
        for row in _rated_answers(f, occasion=occasion)
        .order_by()
        .values("question_id")
        .annotate(n=Count("positive"), positive_n=Count("positive", filter=Q(positive=True)))
    }
    language = _language()
    questions = Question.objects.filter(RATED).filter(Q(active=True) | Q(pk__in=list(counts)))
    results = []
    for question in questions.order_by("position", "id"):
        n, positive = counts.get(question.pk, (0, 0))
        results.append(
            QuestionResult(
                key=question.key,
                text=question.text(language),
                kind=question.kind,
                answered=n,
                positive=positive,
                share=_share(positive, n),
            )
        )
    return results


def satisfaction_breakdown(
    f: MeasureFilter,
    by: Literal["department", "service_type", "coordinator"],
    question_key: str = OVERALL_KEY,
    *,
    occasion: str = Occasion.ANSWER,
) -> list[BreakdownRow]:
    """One question's answers per department, service type or coordinator (one aggregate;
    a second query for the names).

    A case with several service types counts once under each of its service types and once
    under each of its departments, so the rows may add up to more than the total. With the
    filter on a department (or a service type), only that department's (or service type's;
    or the department's service types) rows are shown. Answers without a coordinator are one
    row with an empty code. Rows without answers are left out.
    """
    from erhvervskontakt.catalogue.models import Department, ServiceType

    if by not in ("department", "service_type", "coordinator"):
        raise ValueError(f"unknown breakdown {by!r}")
    answers = _rated_answers(f, question_key, occasion).order_by()
    made: list[BreakdownRow] = []
    if by == "coordinator":
        rows = list(
            answers.values("coordinator").annotate(
                n=Count("positive"), positive_n=Count("positive", filter=Q(positive=True))
            )
        )
        people = User.objects.in_bulk([r["coordinator"] for r in rows if r["coordinator"]])
        for row in rows:
            person = people.get(row["coordinator"])
            made.append(
                BreakdownRow(
                    label=person.display_name if person else _("Ingen tovholder"),
                    code=person.username if person else "",
                    n=row["n"],
                    positive=row["positive_n"],
                    share=_share(row["positive_n"], row["n"]),
                )
            )
    else:
        # One scan of the index, no join to the cases: the answers grouped by their own
        # "|id|" column (a few hundred combinations at most), each combination then added to
        # each of its departments or service types here.
        field = "department_ids" if by == "department" else "service_type_ids"
        groups: list[Any]
        if by == "department":
            departments = Department.objects.order_by("name")
            if f.department:
                departments = departments.filter(code=f.department)
            elif f.service_type:
                departments = departments.filter(service_types__code=f.service_type)
            groups = list(departments)
        else:
            service_types = ServiceType.objects.order_by("name")
            if f.service_type:
                service_types = service_types.filter(code=f.service_type)
            elif f.department:
                service_types = service_types.filter(department__code=f.department)
            groups = list(service_types)
        counts: dict[int, tuple[int, int]] = {}
        if groups:
            for row in answers.values(field).annotate(
                n=Count("positive"), positive_n=Count("positive", filter=Q(positive=True))
            ):
                for part in row[field].strip("|").split("|"):
                    if part:
                        n, positive = counts.get(int(part), (0, 0))
                        counts[int(part)] = (n + row["n"], positive + row["positive_n"])
        english = _language() == "en"
        for g in groups:
            n, positive = counts.get(g.pk, (0, 0))
            if n:
                label = (getattr(g, "name_en", "") if english else "") or g.name
                made.append(
                    BreakdownRow(
                        label=label, code=g.code, n=n, positive=positive, share=_share(positive, n)
                    )
                )
    return sorted(made, key=lambda r: (r.label.casefold(), r.code))


def response_rate(f: MeasureFilter, *, occasion: str = Occasion.ANSWER) -> ResponseRate:
    """Invitations created in the period on ``occasion`` and how many of them were answered
    (one query)."""
    totals = Invitation.objects.filter(
        f.case_q(), occasion=occasion, created_on__range=(f.start, f.end)
    ).aggregate(invited=Count("*"), responded=Count("responded_at"))  # from the index alone
    invited, responded = totals["invited"], totals["responded"]
    return ResponseRate(invited=invited, responded=responded, share=_share(responded, invited))


def overall_positive(f: MeasureFilter, *, occasion: str = Occasion.ANSWER) -> tuple[int, int]:
    """(positive, n) for the overall question in the period: "x % positive (n = …)", over
    the surveys sent on ``occasion`` (after an answer; "inspection": after a visit)."""
    # Count("positive"), not Count("id"): the index holds it (never null here).
    totals = _rated_answers(f, OVERALL_KEY, occasion).aggregate(
        n=Count("positive"), positive_n=Count("positive", filter=Q(positive=True))
    )
    return totals["positive_n"], totals["n"]


SATISFACTION_OUTCOMES = ("answered", "positive", "not_positive")


def satisfaction_cases(
    f: MeasureFilter, question_key: str, outcome: str, *, user: User
) -> QuerySet[Case]:
    """The cases behind a satisfaction figure: those with an answer to ``question_key`` in the
    period (``answered``), a positive one, or one that is not positive — as ``user`` may see
    them. The same answers as :func:`satisfaction_by_question` and
    :func:`satisfaction_breakdown` count."""
    from erhvervskontakt.common.errors import ValidationFailed

    if (
        outcome not in SATISFACTION_OUTCOMES
        or not Question.objects.filter(key=question_key).exists()
    ):
        raise ValidationFailed.field("tal", f"Ukendt tal: »satisfaction.{question_key}.{outcome}«.")
    answers = _rated_answers(f, question_key)
    if outcome == "positive":
        answers = answers.filter(positive=True)
    elif outcome == "not_positive":
        answers = answers.filter(positive=False)
    return Case.objects.visible_to(user).filter(pk__in=answers.values("case_id"))


def survey_data_version() -> str:
    """Changes whenever a survey is sent (a new invitation) or answered (new answer rows):
    the newest ids of both, two index lookups — for cache keys."""
    from django.db.models import Max

    newest_invitation = Invitation.objects.aggregate(newest=Max("id"))["newest"]
    newest_answer = Answer.objects.aggregate(newest=Max("id"))["newest"]
    return f"{newest_invitation or 0}-{newest_answer or 0}"
