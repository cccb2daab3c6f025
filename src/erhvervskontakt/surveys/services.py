"""Writes of the satisfaction surveys: invite the business (a one-time link), take its
answers (once), and follow up on a dissatisfied business.

The link's token is the only credential (no login), so it is long and random, only its hash
is stored, it expires, and it works once. The messages are Danish msgids through gettext, so
the survey page can show them in English too.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from erhvervskontakt.cases.models import Case, Event
from erhvervskontakt.cases.services.tasks import task_create_follow_up
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, IllegalTransition, NotFound, ValidationFailed

from .defaults import DEFAULT_QUESTIONS
from .models import OVERALL_KEY, SCALE_MAX, SCALE_MIN, Answer, Invitation, Occasion, Question
from .selectors import follow_up_assignee, questions_for, survey_wanted, token_hash

TOKEN_BYTES = 32  # 256 bits: 43 characters in the link
MAX_TEXT = 2000
YES = {"ja", "yes", "true", "1"}
NO = {"nej", "no", "false", "0"}


class SurveyClosed(DomainError):
    """The link has been used, or its time is up: the page says so politely (HTTP 410)."""

    status_code = 410
    code = "gone"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "answered" or "expired"


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def expiry(created_at: dt.datetime, valid_days: int) -> dt.datetime:
    """The link works through the ``valid_days``-th calendar day after it was made (local
    time) and stops at midnight after it: made Mon 14 Dec, 14 days → works until Mon 28 Dec
    23:59:59, refused from Tue 29 Dec 00:00."""
    last = clock.local_date(created_at) + dt.timedelta(days=valid_days)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=clock.local_tz())


def last_valid_day(invitation: Invitation) -> dt.date:
    return clock.local_date(invitation.expires_at - dt.timedelta(microseconds=1))


@transaction.atomic
def invitation_create(
    *, case: Case, occasion: str = Occasion.ANSWER, language: str = "da"
) -> tuple[Invitation, str]:
    """A new survey link for the case's contact person; returns it and the raw token.

    The raw token is returned once, to be put in the e-mail; only its hash is stored. After
    an answer the case must have been answered; after an inspection visit the municipality
    must survey those (``Municipality.survey_after_inspection``; callers may ask
    ``selectors.survey_wanted`` first).
    """
    if occasion not in Occasion.values:
        raise ValidationFailed.field("occasion", f"Ukendt anledning: {occasion}.")
    if not survey_wanted(occasion):
        raise IllegalTransition("Kommunen sender ikke tilfredshedsmålinger efter tilsynsbesøg.")
    if occasion == Occasion.ANSWER and case.answered_at is None:
        raise IllegalTransition(f"Sagen {case.reference} er ikke besvaret endnu.")
    moment = clock.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        case=case,
        occasion=occasion,
        token_hash=token_hash(token),
        email=case.contact_email,
        language=language if language in ("da", "en") else "da",
        created_at=moment,
        created_on=clock.local_date(moment),
        expires_at=expiry(moment, municipality().survey_valid_days),
        coordinator_id=case.coordinator_id,
        department_ids=case.department_ids,
        service_type_ids=case.service_type_ids,
    )
    Event.objects.create(
        case=case,
        at=moment,
        kind="survey_invited",
        actor=None,
        text=f"Link til tilfredshedsmåling ({Occasion(occasion).label.lower()}) lavet til "
        f"{invitation.email}; det kan bruges til og med {_fmt(last_valid_day(invitation))}.",
        data={"invitation": invitation.pk, "occasion": occasion},
        internal=True,
    )
    return invitation, token


# --- answering ---------------------------------------------------------------------------------


@dataclass
class _Cleaned:
    question: Question
    value_int: int | None = None
    value_bool: bool | None = None
    value_text: str = ""

    @property
    def value(self) -> int | bool | str:
        if self.value_int is not None:
            return self.value_int
        if self.value_bool is not None:
            return self.value_bool
        return self.value_text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_one(question: Question, value: object) -> _Cleaned:
    """One answer in its kind's form, or ValueError with the message for the person."""
    if question.kind == Question.Kind.SCALE:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,2}", value.strip()):
            number = int(value.strip())
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValueError(_("Vælg et tal fra 1 til 5."))
        return _Cleaned(question, value_int=number)
    if question.kind == Question.Kind.YES_NO:
        if isinstance(value, bool):
            return _Cleaned(question, value_bool=value)
        word = value.strip().lower() if isinstance(value, str) else ""
        if word in YES:
            return _Cleaned(question, value_bool=True)
        if word in NO:
            return _Cleaned(question, value_bool=False)
        raise ValueError(_("Svar ja eller nej."))
    if not isinstance(value, str):
        raise ValueError(_("Skriv jeres svar som tekst."))
    text = value.strip()
    if "\x00" in text:
        raise ValueError(_("Teksten indeholder et tegn, der ikke kan gemmes."))
    if len(text) > MAX_TEXT:
        raise ValueError(
            _("Skriv højst %(max)s tegn (I har skrevet %(n)s).") % {"max": MAX_TEXT, "n": len(text)}
        )
    return _Cleaned(question, value_text=text)


def _clean_answers(questions: list[Question], answers: object) -> list[_Cleaned]:
    """Every answer checked; all problems reported at once, by question key."""
    if not isinstance(answers, Mapping):
        raise ValidationFailed(_("Svarene kunne ikke læses."))
    by_key = {q.key: q for q in questions}
    errors: dict[str, str] = {}
    cleaned: list[_Cleaned] = []
    for key, value in answers.items():
        question = by_key.get(key) if isinstance(key, str) else None
        if question is None:
            errors[str(key)[:60]] = _("Spørgsmålet findes ikke i denne måling.")
            continue
        if _blank(value):
            continue
        try:
            cleaned.append(_clean_one(question, value))
        except ValueError as error:
            errors[key] = str(error)
    overall = by_key.get(OVERALL_KEY)
    if overall is not None and OVERALL_KEY not in errors and _blank(answers.get(OVERALL_KEY)):
        errors[OVERALL_KEY] = _(
            "Besvar venligst dette spørgsmål – det er det eneste, der skal besvares."
        )
    if errors:
        raise ValidationFailed(_("Svarene er ikke udfyldt korrekt."), errors=errors)
    return sorted(cleaned, key=lambda c: (c.question.position, c.question.pk))


def _locked_open_invitation(token: str) -> Invitation:
    """The link's invitation under a row lock, if it can still be answered.

    The lock (PostgreSQL; SQLite's IMMEDIATE transactions serialise) makes "once" hold when
    the same link is submitted twice at the same moment: the second waits, then sees it
    answered.
    """
    found = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(token_hash=token_hash(token))
        .first()
        if token and len(token) <= 100
        else None
    )
    if found is None:
        raise NotFound(_("Linket til tilfredshedsmålingen findes ikke."))
    if found.responded_at is not None:
        raise SurveyClosed(
            _("Tilfredshedsmålingen er allerede besvaret. Tak for jeres svar."), reason="answered"
        )
    if clock.now() >= found.expires_at:
        raise SurveyClosed(
            _("Linket til tilfredshedsmålingen er udløbet. Tak for jeres interesse."),
            reason="expired",
        )
    return found


def _follow_up_reason(answer: _Cleaned) -> str:
    if answer.value_int is not None:
        said = f"{answer.value_int} af {SCALE_MAX}"
    else:
        said = "ja" if answer.value_bool else "nej"
    return f"Virksomheden svarede {said} på det samlede spørgsmål i tilfredshedsmålingen."


@transaction.atomic
def response_submit(*, token: str, answers: Mapping[str, object]) -> Invitation:
    """The business's answers to the survey its link belongs to: all checked, then stored
    with the timeline event in one transaction; refused (and nothing stored) if the link is
    unknown (NotFound), used or expired (SurveyClosed), or an answer is wrong
    (ValidationFailed, by question key). Only the overall question must be answered.

    A negative overall answer makes a follow-up task (``cases.services.task_create_follow_up``)
    for the person ``selectors.follow_up_assignee`` names, linked from the invitation.
    """
    invitation = _locked_open_invitation(token)
    case = invitation.case
    cleaned = _clean_answers(questions_for(invitation.occasion), answers)
    moment = clock.now()
    Answer.objects.bulk_create(
        Answer(
            invitation=invitation,
            case=case,
            question=item.question,
            created_on=invitation.created_on,
            occasion=invitation.occasion,
            value_int=item.value_int,
            value_bool=item.value_bool,
            value_text=item.value_text,
            positive=item.question.is_positive(item.value) if item.value_text == "" else None,
            coordinator_id=invitation.coordinator_id,
            department_ids=invitation.department_ids,
            service_type_ids=invitation.service_type_ids,
        )
        for item in cleaned
    )
    invitation.responded_at = moment
    overall = next((c for c in cleaned if c.question.key == OVERALL_KEY), None)
    Event.objects.create(
        case=case,
        at=moment,
        kind="survey_answered",
        actor=None,
        text="Tilfredshedsmåling besvaret. Tak for svaret.",
        data={"invitation": invitation.pk, "occasion": invitation.occasion},
    )
    if overall is not None and overall.question.is_negative(overall.value):
        assignee = follow_up_assignee(case)
        if assignee is not None:
            invitation.follow_up_task = task_create_follow_up(
                case=case, assignee=assignee, reason=_follow_up_reason(overall)
            )
    invitation.save(update_fields=["responded_at", "follow_up_task"])
    return invitation


# --- questions ------------------------------------------------------------------------------------


@transaction.atomic
def questions_seed_defaults() -> int:
    """Store the default questions that are missing (by key); returns how many were added."""
    created = 0
    for fields in DEFAULT_QUESTIONS:
        values = dict(fields)
        _, made = Question.objects.get_or_create(key=values.pop("key"), defaults=values)
        created += made
    return created


@transaction.atomic
def questions_deactivate(*, ids: list[int]) -> int:
    """Stop asking these questions; their answers stay (nothing is deleted)."""
    return Question.objects.filter(pk__in=ids, active=True).update(active=False)


@transaction.atomic
def invitations_anonymise_contact(*, case_id: int, email: str) -> int:
    """Retention anonymised the case's contact (``cases.announcements.CaseAnonymised``):
    the survey invitations sent to that contact forget the address. The answers, which are
    counted in the satisfaction figures, hold no contact data and stay."""
    if not email:
        return 0
    return Invitation.objects.filter(case_id=case_id, email__iexact=email.strip()).update(email="")
