"""The demo's satisfaction surveys: every answered case is invited on the working day after
its answer, about 60 % answer within a few days, mostly positively, and a few negative
overall answers make their follow-up task for the head of unit (done a while later, with a
note, unless recent).

Replayed through the real services under ``clock.travel`` (``surveys.services`` and
``cases.services.task_complete``), so tokens, expiry, timeline events and follow-up tasks are
what the product makes. The answers lean on the case's own history: an answer after the
promised date makes "was the answer on time" a no and the business less satisfied.
"""

from __future__ import annotations

import datetime as dt
import random

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.tasks import task_complete
from erhvervskontakt.common import clock
from erhvervskontakt.surveys import services
from erhvervskontakt.surveys.models import Occasion

RESPONSE_RATE = 0.6
# Overall satisfaction (1–5) when the answer came on time, and when it came late.
ON_TIME_WEIGHTS = {5: 50, 4: 34, 3: 9, 2: 4, 1: 3}
LATE_WEIGHTS = {5: 15, 4: 30, 3: 25, 2: 18, 1: 12}

POSITIVE_COMMENTS = [
    "Det var en stor hjælp at have én kontaktperson hele vejen.",
    "Hurtigt svar og god vejledning undervejs.",
    "Vi vidste hele tiden, hvad vi manglede at sende. Tak!",
    "Venlig og kompetent sagsbehandling.",
    "Godt at kunne følge sagen på siden og se, hvornår svaret kom.",
    "Mødet i starten sparede os for mange spørgsmål senere.",
]
NEUTRAL_COMMENTS = [
    "Fint forløb, men ansøgningsskemaet var svært at forstå.",
    "Det tog lidt længere tid end forventet, men vi blev holdt orienteret.",
    "Gerne tydeligere besked om, hvilke tegninger der skal med.",
]
NEGATIVE_COMMENTS = [
    "Svaret kom senere end den dato, vi fik oplyst.",
    "Vi måtte rykke flere gange for at få svar.",
    "Svært at få fat på den rette sagsbehandler.",
    "Uklart, hvad vi skulle levere og hvornår.",
]
FOLLOW_UP_NOTES = [
    "Ringet til virksomheden; forsinkelsen skyldtes høring hos en anden myndighed. "
    "Virksomheden fik en forklaring.",
    "Talt med virksomheden og tovholderen; vi sender fremover en statusmail ved hver frist.",
    "Virksomheden ringet op og tilbudt et opfølgende møde.",
]


def _weighted(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _answers(rng: random.Random, case: Case) -> dict[str, str]:
    assert case.answered_at is not None
    promised = case.estimate_at_screening
    on_time = promised is None or clock.local_date(case.answered_at) <= promised
    overall = _weighted(rng, ON_TIME_WEIGHTS if on_time else LATE_WEIGHTS)
    answers = {
        "overall": str(overall),
        "knew_deliverables": "ja" if rng.random() < (0.9 if overall >= 3 else 0.5) else "nej",
        "answer_on_time": "ja" if on_time != (rng.random() < 0.05) else "nej",
        "contact_helpful": str(max(1, min(5, overall + rng.choice([-1, 0, 0, 1])))),
        "may_contact": rng.choice(["ja", "ja", "nej", ""]),
    }
    if rng.random() < 0.15:
        answers.pop("contact_helpful")  # some skip the optional questions
    if overall <= 2 or rng.random() < 0.35:
        pool = (
            NEGATIVE_COMMENTS
            if overall <= 2
            else NEUTRAL_COMMENTS
            if overall == 3
            else POSITIVE_COMMENTS
        )
        answers["comments"] = rng.choice(pool)
    return answers


def load_surveys(*, rng: random.Random, now: dt.datetime) -> dict[str, int]:
    """Invite, answer and follow up the demo's answered cases; returns what it made."""
    calendar = working_calendar()
    tz = clock.local_tz()
    counts = {"invited": 0, "responded": 0, "follow_ups": 0}
    cases = Case.objects.filter(answered_at__isnull=False).order_by("answered_at", "id")
    for case in cases:
        assert case.answered_at is not None
        day = calendar.add_working_days(clock.local_date(case.answered_at), 1)
        invited_at = dt.datetime.combine(day, dt.time(7, rng.randrange(0, 60)), tzinfo=tz)
        if invited_at > now:
            continue
        with clock.travel(invited_at):
            invitation, token = services.invitation_create(case=case, occasion=Occasion.ANSWER)
        counts["invited"] += 1
        if rng.random() >= RESPONSE_RATE:
            continue
        answered_at = invited_at + dt.timedelta(hours=rng.choice([1, 3, 6, 26, 50, 120]))
        answered_at += dt.timedelta(minutes=rng.randrange(0, 60))
        if answered_at > now or answered_at >= invitation.expires_at:
            continue
        with clock.travel(answered_at):
            invitation = services.response_submit(token=token, answers=_answers(rng, case))
        counts["responded"] += 1
        task = invitation.follow_up_task
        if task is None:
            continue
        counts["follow_ups"] += 1
        done_on = calendar.add_working_days(clock.local_date(answered_at), rng.randint(1, 6))
        done_at = dt.datetime.combine(done_on, dt.time(rng.randint(9, 15)), tzinfo=tz)
        if done_at > now - dt.timedelta(days=10):
            continue  # recent: still in the head of unit's inbox
        assert task.assignee is not None
        actor = User.objects.get(pk=task.assignee_id)
        with clock.travel(done_at):
            task_complete(task=task, actor=actor, result=rng.choice(FOLLOW_UP_NOTES))
    return counts
