"""Retention (GDPR storage limitation): the contact person's personal data in cases that
ended long enough ago is anonymised; the case itself is kept.

The rule: a service type's ``retention_years`` (years after the case ended). A case's period
is the longest of its service types' — and a case with a service type without a rule is
never anonymised (no rule from the archive authority: keep). A case has ended when it is
closed (``closed_at``) or withdrawn (``withdrawn_at``); an answered case not yet closed has
not. The period has passed the day after its anniversary (closed 10 March 2020 with 5 years:
anonymised from 11 March 2025). Nothing runs unless the administrator switched it on
(``Municipality.retention_enabled``); a dry run may always be made, to see what would happen.

What is anonymised (``PLACEHOLDER``, or emptied where a field must not look like contact
data): the case's contact name (the placeholder), e-mail and phone (emptied, so no e-mail is
ever sent to it and no form suggests it again); the contact's name, e-mail and phone where
the case's description, its messages or its timeline entries quote them (text and data); the
whole text of the messages staff marked ``contains_personal_data``; the contact in the draft
the case was submitted from, and in the business's unsubmitted drafts last touched before the
period. Kept as journal material: the case row (reference, dates, status, service types,
answers, decision), every document row and file, every timeline entry (only quoted contact
data replaced), every message row. Nothing is deleted.

Every run is a ``RetentionRun`` (also a dry run); each case is anonymised in a transaction of
its own with an internal ``anonymised`` timeline entry, so a run over many cases holds no
long transaction, a run stopped half-way leaves each case either done or untouched (its run
then has no ``finished_at``), and the entry is what tells the next run the case is done.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.announcements import announce
from erhvervskontakt.common.errors import Forbidden

from ..announcements import CaseAnonymised
from ..models import Case, CaseStatus, Event, InquiryDraft, Message, RetentionRun
from .core import _event, _lock, _require_staff, _save

PLACEHOLDER = "[anonymiseret]"
ANONYMISED = "anonymised"  # the timeline entry's kind
ENDED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
# A first run may meet a great many cases: the run's record keeps this many in full.
SUMMARY_CASES = 1000


# --- the rule ----------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar date ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.local_tz())


def _ended_at(case: Case) -> dt.datetime | None:
    return case.closed_at if case.status == CaseStatus.CLOSED else case.withdrawn_at


def _longest_rule(case: Case) -> int | None:
    """The case's period in years: the longest of its service types', ``None`` when one of
    them has no rule (or the case has none)."""
    rules = list(case.service_types.values_list("retention_years", flat=True))
    if not rules or None in rules:
        return None
    return max(r for r in rules if r is not None)


def _expired(today: dt.date) -> QuerySet[Case]:
    """Ended cases whose period has passed by ``today`` and that are not anonymised yet.

    One condition per distinct period in the catalogue (a handful), so the database compares
    each case's end with a fixed instant instead of doing date arithmetic per row.
    """
    periods = sorted(
        {
            years
            for years in ServiceType.objects.filter(retention_years__isnull=False).values_list(
                "retention_years", flat=True
            )
            if years is not None
        }
    )
    if not periods:
        return Case.objects.none()
    # The longest rule among the case's service types; cases with an unruled one are left
    # out below, so the longest non-empty one is the case's period.
    longest = (
        ServiceType.objects.filter(cases=OuterRef("pk"), retention_years__isnull=False)
        .order_by("-retention_years")
        .values("retention_years")[:1]
    )
    unruled = ServiceType.objects.filter(cases=OuterRef("pk"), retention_years__isnull=True)
    done = Event.objects.filter(case_id=OuterRef("pk"), kind=ANONYMISED)
    passed = reduce(
        or_,
        (Q(longest=years, ended__lt=_start_of(years_before(today, years))) for years in periods),
    )
    return (
        Case.objects.filter(status__in=ENDED)
        .annotate(
            ended=Coalesce("closed_at", "withdrawn_at"),
            longest=Subquery(longest),
        )
        .filter(passed)
        .exclude(Exists(unruled))
        .exclude(Exists(done))
        .order_by("pk")
    )


# --- finding the contact's data in text --------------------------------------------------


def _patterns(case: Case) -> list[re.Pattern[str]]:
    """The contact's name, e-mail and phone as they may be quoted in a text."""
    return contact_patterns(case.contact_name, case.contact_email, case.contact_phone)


def contact_patterns(name: str, email: str, phone: str) -> list[re.Pattern[str]]:
    """A contact person's name, e-mail and phone as they may be quoted in a text (for
    ``scrub``; the apps that copy contact data into their own rows use it too)."""
    found: list[re.Pattern[str]] = []
    name = name.strip()
    if len(name) >= 2 and name != PLACEHOLDER:
        # Whole words only, so "Bo" never changes "Bolig".
        found.append(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE))
    email = email.strip()
    if email:
        found.append(re.compile(re.escape(email), re.IGNORECASE))
    phone = phone.strip()
    if phone:
        found.append(re.compile(rf"(?<!\d){re.escape(phone)}(?!\d)"))
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 6 and digits != phone:
            found.append(re.compile(rf"(?<!\d){digits}(?!\d)"))
    return found


def scrub(value: Any, patterns: Sequence[re.Pattern[str]]) -> Any:
    """``value`` (a text, or JSON data) with every quote of the contact replaced."""
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(PLACEHOLDER, value)
        return value
    if isinstance(value, list):
        return [scrub(item, patterns) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, patterns) for key, item in value.items()}
    return value


def _anonymous_contact(contact: Any) -> Any:
    """A draft's contact ({name, email, phone}) with the person taken out."""
    if not isinstance(contact, dict):
        return contact
    kept = dict(contact)
    if kept.get("name"):
        kept["name"] = PLACEHOLDER
    for key in ("email", "phone"):
        if kept.get(key):
            kept[key] = ""
    return kept


# --- one case ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAnonymisation:
    """What retention did (or would do) to one case."""

    reference: str
    retention_years: int
    ended_on: dt.date
    fields: tuple[str, ...]  # the case's own fields that changed
    messages: int  # messages whose text changed
    events: int  # timeline entries that quoted the contact
    drafts: int  # drafts whose contact was taken out

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "retention_years": self.retention_years,
            "ended_on": self.ended_on.isoformat(),
            "fields": list(self.fields),
            "messages": self.messages,
            "events": self.events,
            "drafts": self.drafts,
        }


def _changed_drafts(
    case: Case, cutoff: dt.datetime, seen: set[int]
) -> list[tuple[InquiryDraft, dict[str, Any]]]:
    """The drafts to take the contact out of, each with its new data (once per run)."""
    drafts = InquiryDraft.objects.filter(
        Q(submitted_case=case)
        | Q(business_id=case.business_id, submitted_case__isnull=True, updated_at__lt=cutoff)
    ).exclude(pk__in=seen)
    changed = []
    for draft in drafts.order_by("pk"):
        seen.add(draft.pk)
        data = dict(draft.data) if isinstance(draft.data, dict) else {}
        patterns = _patterns(case) if draft.submitted_case_id == case.pk else []
        new = {**data, "contact": _anonymous_contact(data.get("contact"))}
        if "description" in new:
            new["description"] = scrub(new["description"], patterns)
        if new != data:
            changed.append((draft, new))
    return changed


@transaction.atomic
def _case_anonymise(
    case_id: int,
    *,
    today: dt.date,
    run: RetentionRun,
    actor: User | None,
    seen_drafts: set[int],
) -> CaseAnonymisation | None:
    """Anonymise one case (or, in a dry run, say what would change); ``None`` when it is
    not (or no longer) due. The case row is locked and the rule checked again under the
    lock, so two runs at once anonymise each case once."""
    dry_run = run.dry_run
    cases = Case.objects.all() if dry_run else Case.objects.select_for_update()
    case = cases.get(pk=case_id)
    ended = _ended_at(case)
    years = _longest_rule(case)
    if case.status not in ENDED or ended is None or years is None:
        return None
    cutoff = _start_of(years_before(today, years))
    if ended >= cutoff or Event.objects.filter(case=case, kind=ANONYMISED).exists():
        return None
    patterns = _patterns(case)
    contact = CaseAnonymised(
        case=case.pk, name=case.contact_name, email=case.contact_email, phone=case.contact_phone
    )

    fields: list[str] = []
    if case.contact_name not in ("", PLACEHOLDER):
        case.contact_name = PLACEHOLDER
        fields.append("contact_name")
    for name in ("contact_email", "contact_phone"):
        if getattr(case, name):
            setattr(case, name, "")
            fields.append(name)
    description = scrub(case.description, patterns)
    if description != case.description:
        case.description = description
        fields.append("description")

    messages: list[Message] = []
    for message in Message.objects.filter(case=case).order_by("pk"):
        body = PLACEHOLDER if message.contains_personal_data else scrub(message.body, patterns)
        if body != message.body:
            message.body = body
            messages.append(message)

    events: list[Event] = []
    for entry in Event.objects.filter(case=case).order_by("pk"):
        before = (entry.text, entry.business_text, entry.data, entry.business_data)
        after = tuple(scrub(value, patterns) for value in before)
        if after != before:
            entry.text, entry.business_text, entry.data, entry.business_data = after
            events.append(entry)

    drafts = _changed_drafts(case, cutoff, seen_drafts)
    outcome = CaseAnonymisation(
        reference=case.reference,
        retention_years=years,
        ended_on=clock.local_date(ended),
        fields=tuple(fields),
        messages=len(messages),
        events=len(events),
        drafts=len(drafts),
    )
    if dry_run:
        return outcome

    Message.objects.bulk_update(messages, ["body"])
    Event.objects.bulk_update(events, ["text", "business_text", "data", "business_data"])
    for draft, data in drafts:
        draft.data = data
        draft.save(update_fields=["data"])  # updated_at stays: it is the user's last edit
    _save(case, *fields)
    _event(
        case,
        ANONYMISED,
        actor,
        f"Kontaktpersonens personoplysninger er anonymiseret: opbevaringsfristen "
        f"({years} år efter afslutningen) er udløbet. Ændret: "
        f"{', '.join(FIELD_LABELS[f] for f in fields) or 'ingen sagsfelter'}; "
        f"{len(messages)} besked(er), {len(events)} hændelse(r), {len(drafts)} kladde(r). "
        "Sagen, dens dokumenter og tidslinje er bevaret.",
        internal=True,
        run=run.pk,
        retention_years=years,
        fields=fields,
        messages=len(messages),
        events=len(events),
        drafts=len(drafts),
    )
    announce(contact)  # the outbox and the survey invitations, after commit
    return outcome


FIELD_LABELS = {
    "contact_name": "kontaktperson",
    "contact_email": "e-mail",
    "contact_phone": "telefon",
    "description": "beskrivelse",
}


# --- a run -------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    """What a run did; ``run`` is ``None`` when retention is off and nothing ran."""

    enabled: bool
    dry_run: bool
    run: RetentionRun | None
    cases: list[CaseAnonymisation] = field(default_factory=list)

    def __str__(self) -> str:
        if self.run is None:
            return (
                "Anonymisering efter opbevaringsfristen er slået fra for kommunen; intet er ændret."
            )
        what = "ville blive anonymiseret" if self.dry_run else "anonymiseret"
        references = ", ".join(c.reference for c in self.cases[:20])
        more = f" og {len(self.cases) - 20} flere" if len(self.cases) > 20 else ""
        return f"{len(self.cases)} sag(er) {what}" + (
            f": {references}{more}." if self.cases else "."
        )


def _summary(result: RetentionResult, today: dt.date) -> dict[str, Any]:
    cases = result.cases
    return {
        "enabled": result.enabled,
        "today": today.isoformat(),
        "cases": [c.as_dict() for c in cases[:SUMMARY_CASES]],
        "cases_truncated": len(cases) > SUMMARY_CASES,
        "messages": sum(c.messages for c in cases),
        "events": sum(c.events for c in cases),
        "drafts": sum(c.drafts for c in cases),
    }


def cases_anonymise_expired(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Callable[[Sequence[int]], Iterable[int]] | None = None,
) -> RetentionResult:
    """Apply the retention rule to every case whose period has passed by ``now``.

    ``dry_run``: change nothing, list what would change (recorded as a dry run).
    ``actor``: the administrator who started it; ``None`` is the system (the command, the
    daily sweep). With retention switched off a real run does nothing and records nothing
    (nothing ran); a dry run still runs, so the administrator can see the effect before
    switching it on. ``progress`` wraps the ids of the cases due (the command's progress
    bar). Not one transaction: each case is its own (see the module's docstring).
    """
    if actor is not None:
        _require_staff(actor, "anonymisere sager")
        if not actor.is_superuser:
            raise Forbidden("Kun en administrator kan anonymisere sager.")
    now = now or clock.now()
    today = clock.local_date(now)
    enabled = municipality().retention_enabled
    if not enabled and not dry_run:
        return RetentionResult(enabled=False, dry_run=False, run=None)
    run = RetentionRun.objects.create(started_at=clock.now(), dry_run=dry_run, actor=actor)
    result = RetentionResult(enabled=enabled, dry_run=dry_run, run=run)
    ids = list(_expired(today).values_list("pk", flat=True))
    seen_drafts: set[int] = set()
    for case_id in progress(ids) if progress is not None else ids:
        outcome = _case_anonymise(
            case_id, today=today, run=run, actor=actor, seen_drafts=seen_drafts
        )
        if outcome is not None:
            result.cases.append(outcome)
    run.finished_at = clock.now()
    run.cases_count = len(result.cases)
    run.summary = _summary(result, today)
    run.save(update_fields=["finished_at", "cases_count", "summary"])
    return result


def retention_run_due(*, now: dt.datetime | None = None) -> bool:
    """Whether the daily run should happen: retention is on and no real run has finished
    yet on ``now``'s local date (the sweep runs many times a day)."""
    if not municipality().retention_enabled:
        return False
    day = clock.local_date(now or clock.now())
    return not RetentionRun.objects.filter(
        dry_run=False,
        finished_at__gte=_start_of(day),
        finished_at__lt=_start_of(day + dt.timedelta(days=1)),
    ).exists()


# --- marking a message -------------------------------------------------------------------


@transaction.atomic
def message_mark_personal_data(*, message: Message, actor: User, contains: bool) -> Message:
    """Staff mark (or unmark) a message as holding personal data beyond the contact's
    details: retention then replaces its whole text. Written in the staff's timeline."""
    _require_staff(actor, "markere beskeder")
    case = _lock(message.case)
    message = Message.objects.get(pk=message.pk)
    if message.contains_personal_data == contains:
        return message
    message.contains_personal_data = contains
    message.save(update_fields=["contains_personal_data"])
    _event(
        case,
        "message_personal_data",
        actor,
        "En besked er markeret som indeholdende personoplysninger; hele teksten "
        "anonymiseres efter opbevaringsfristen."
        if contains
        else "En besked er ikke længere markeret som indeholdende personoplysninger.",
        internal=True,
        message=message.pk,
        contains_personal_data=contains,
    )
    return message
