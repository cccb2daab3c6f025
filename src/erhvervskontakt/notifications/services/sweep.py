"""The sweep: what has become due (deliverables, escalations, inspection deadlines, surveys,
digests), recorded and queued."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from erhvervskontakt.audit.services import personal_data_reads_prune
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import Case, Deliverable
from erhvervskontakt.cases.services.retention import cases_anonymise_expired, retention_run_due
from erhvervskontakt.catalogue.models import Municipality, Requirement
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.identity.services.login_log import login_log_prune
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.integrations.services import webhooks_sweep
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.services import invitation_create

from .. import rules, selectors
from ..links import (
    absolute,
    staff_case_path,
    survey_path,
    visit_path,
    workbench_path,
)
from ..models import Kind
from ..selectors import Recipient
from .case_mails import _business_draft, _case_context, _deliverable_title, case_event_notify
from .delivery import notifications_queue_due
from .recording import Draft, _fixed, _fmt, notifications_record

# How far back the sweep looks for overdue deliverables and missed screening deadlines: a
# first deployment (or a long outage) must not mail people about things months old.
CATCH_UP_DAYS = 30

logger = logging.getLogger(__name__)

PARTY_LABELS: dict[str, dict[str, str]] = {
    "da": {Deliverable.Party.BUSINESS: "Virksomheden", Deliverable.Party.MUNICIPALITY: "Kommunen"},
    "en": {Deliverable.Party.BUSINESS: "Business", Deliverable.Party.MUNICIPALITY: "Municipality"},
}


# The inspector is reminded of an inspection report's deadline this many calendar days before.
INSPECTION_SOON_DAYS = 10


# A receipt whose recording was lost (the database went away just after the case was
# committed, before the listener ran) is made up by the sweep within this long.
RECEIPT_CATCH_UP = dt.timedelta(hours=24)


@dataclass
class SweepReport:
    recorded: Counter[str] = field(default_factory=Counter)
    queued: int = 0
    anonymised: int = 0  # cases the daily retention run anonymised
    reads_pruned: int = 0  # personal-data reads past their 6 months (audit)
    logins_pruned: int = 0  # login-log lines past their 180 days (identity)
    webhooks_recorded: int = 0  # webhook deliveries recorded from the feed (integrations)

    def as_dict(self) -> dict[str, int]:
        return {**self.recorded, "queued": self.queued, "anonymised": self.anonymised}

    def __str__(self) -> str:
        made = ", ".join(f"{kind} {n}" for kind, n in sorted(self.recorded.items())) or "intet nyt"
        anonymised = f" Anonymiseret: {self.anonymised} sag(er)." if self.anonymised else ""
        return f"Registreret: {made}; sat i kø: {self.queued}.{anonymised}"


def _deliverable_drafts(
    today: dt.date, calendar: WorkingCalendar, row: Municipality
) -> Iterator[Draft]:
    """Business deliverables due soon (reminder) or past their date (overdue notice)."""
    before = row.deliverable_reminder_working_days
    horizon = today + dt.timedelta(days=2 * before + 14)
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    for deliverable in selectors.business_deliverables_due_between(first, horizon):
        case, due = deliverable.case, deliverable.due_date
        if due < today:
            if not rules.overdue_notice_is_due(today, due, calendar):
                continue
            kind = Kind.DELIVERABLE_OVERDUE
            text = f"Virksomheden er på e-mail gjort opmærksom på, at fristen for »{deliverable.title}« ({_fmt(due)}) er overskredet."
        elif rules.deliverable_reminder_is_due(today, due, before, calendar):
            kind = Kind.DELIVERABLE_REMINDER
            text = f"Påmindelse sendt på e-mail til virksomheden: »{deliverable.title}« senest {_fmt(due)}."
        else:
            continue

        def context(language: str, deliverable: Deliverable = deliverable) -> dict[str, Any]:
            requirements: dict[str, Requirement] = {}
            if language != "da":  # the stored titles are Danish; English comes from the catalogue
                full = selectors.case_for_messages(deliverable.case_id)
                requirements = selectors.requirements_of(full) if full else {}
            return {
                "deliverable": {
                    "title": _deliverable_title(deliverable, language, requirements),
                    "due": deliverable.due_date,
                }
            }

        yield _business_draft(
            case, kind, f"deliverable={deliverable.pk}:due={due.isoformat()}", text, context
        )


def _escalation_drafts(today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    cases = list(selectors.screenings_past_due(first, today))
    if not cases:
        return
    recipients = selectors.head_of_unit_recipients()
    if not recipients:
        logger.warning(
            "%s screening deadline(s) passed, but nobody is head of unit and the municipality "
            "has no e-mail: mark a head of unit in the admin",
            len(cases),
        )
        return
    for case in cases:
        if not rules.escalation_is_due(today, case.screening_due, calendar):
            continue
        late = calendar.working_days_between(case.screening_due, today)
        coordinator = case.coordinator.display_name if case.coordinator else ""
        for recipient in recipients:

            def context(
                recipient: Recipient, case: Case = case, late: int = late, name: str = coordinator
            ) -> dict[str, Any]:
                return {
                    "case": _case_context(case, recipient.language, staff=True),
                    "working_days_late": late,
                    "coordinator_name": name,
                }

            yield Draft(
                kind=Kind.SCREENING_ESCALATION,
                scope=f"case={case.pk}:due={case.screening_due.isoformat()}",
                to=recipient.email,
                recipient=_fixed(recipient),
                context=context,
                case=case,
                timeline_text=(
                    f"Screeningsfristen {_fmt(case.screening_due)} er overskredet; "
                    "sagen er eskaleret til enhedslederen på e-mail."
                ),
            )


def _inspection_drafts(today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    """The inspector's reminders of the two clocks of an inspection visit: the report to the
    business within 2 months of the visit, its publication within 4.

    Once when the deadline is at most ``INSPECTION_SOON_DAYS`` calendar days ahead, and once
    more when it has passed (the first working day after it); each to the visit's inspector.
    The due date is in the dedupe key, so a corrected visit date reminds again.
    """
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    last = today + dt.timedelta(days=INSPECTION_SOON_DAYS)
    for visit in inspection_selectors.visits_with_report_clock_between(first=first, last=last):
        clock_name = "report" if visit.status == Visit.Status.VISITED else "publish"
        deadline = visit.report_due if clock_name == "report" else visit.publish_due
        if deadline is None:  # the selector matched on it; never
            continue
        due: dt.date = deadline
        inspector = visit.inspector
        if not (inspector.is_active and inspector.email):
            logger.warning(
                "The %s deadline of inspection visit %s is near, but its inspector %s has no "
                "e-mail or is inactive",
                clock_name,
                visit.pk,
                inspector.pk,
            )
            continue
        overdue = due < today
        if overdue and not rules.overdue_notice_is_due(today, due, calendar):
            continue
        recipient = Recipient(
            email=inspector.email,
            name=inspector.first_name or inspector.display_name,
            language=inspector.language if inspector.language in ("da", "en") else "da",
            user=inspector,
        )
        what = (
            "offentliggørelsen af tilsynsrapporten"
            if clock_name == "publish"
            else ("tilsynsrapporten")
        )
        text = (
            f"Fristen for {what} ({_fmt(due)}) er overskredet; den tilsynsførende er gjort "
            "opmærksom på det på e-mail."
            if overdue
            else f"Den tilsynsførende er på e-mail mindet om fristen for {what} ({_fmt(due)})."
        )

        def context(
            recipient: Recipient,
            visit: Visit = visit,
            clock_name: str = clock_name,
            due: dt.date = due,
            overdue: bool = overdue,
        ) -> dict[str, Any]:
            return {
                "case": _case_context(visit.case, recipient.language, staff=True),
                "clock": clock_name,
                "due": due,
                "days": abs((due - today).days),
                "overdue": overdue,
                "visit": {
                    "unit_name": visit.unit.name,
                    "p_number": visit.unit.p_number,
                    "visited_on": visit.visited_on,
                    "kind": visit.get_kind_display(),
                    "url": absolute(visit_path(visit.pk)),
                },
            }

        yield Draft(
            kind=Kind.INSPECTION_REPORT_DUE,
            scope=(
                f"visit={visit.pk}:{clock_name}:{'overdue' if overdue else 'soon'}"
                f":due={due.isoformat()}"
            ),
            to=recipient.email,
            recipient=_fixed(recipient),
            context=context,
            case=visit.case,
            timeline_text=text,
        )


def _survey_drafts(now: dt.datetime, today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    """Invitations to the satisfaction survey, each with its own one-time link.

    The invitation (and its token) is made by the context, which runs only for a draft not
    recorded yet and inside the recording's transaction: one e-mail, one link, and a lost
    race for the dedupe key rolls the invitation back with the e-mail.
    """
    window = settings.NOTIFICATIONS_SURVEY_WINDOW_DAYS
    for case in selectors.cases_answered_since(now - dt.timedelta(days=window + 1)):
        assert case.answered_at is not None
        if not rules.survey_is_due(today, clock.local_date(case.answered_at), calendar, window):
            continue

        def context(language: str, case: Case = case) -> dict[str, Any]:
            _invitation, token = invitation_create(
                case=case, occasion=Occasion.ANSWER, language=language
            )
            return {"survey_url": absolute(survey_path(token)), "occasion": Occasion.ANSWER}

        yield _business_draft(
            case,
            Kind.SURVEY_INVITATION,
            f"case={case.pk}",
            "Invitation til tilfredshedsmåling sendt på e-mail til virksomheden.",
            context,
        )


def _digest_drafts(today: dt.date, calendar: WorkingCalendar, row: Municipality) -> Iterator[Draft]:
    coordinators = selectors.digest_recipients()
    digests = selectors.coordinator_digests(
        today=today,
        calendar=calendar,
        risk_working_days=row.estimate_risk_working_days,
        coordinators=coordinators,
    )
    for user in coordinators:
        digest = digests[user.pk]
        if not digest.total:
            continue  # nothing to report: no e-mail
        recipient = Recipient(
            email=user.email,
            name=user.first_name or user.display_name,
            language=user.language if user.language in ("da", "en") else "da",
            user=user,
        )

        def context(recipient: Recipient, digest: selectors.Digest = digest) -> dict[str, Any]:
            language = recipient.language

            def rows(found: list[selectors.DigestRow]) -> list[dict[str, Any]]:
                return [
                    {
                        "reference": r.case.reference,
                        "business_name": r.case.business.name,
                        "date": r.date,
                        "url": absolute(staff_case_path(r.case.reference)),
                        "unassigned": r.unassigned,
                        "title": r.title,
                        "party": PARTY_LABELS[language].get(r.party, "") if r.party else "",
                        "departments": list(r.departments),
                    }
                    for r in found
                ]

            return {
                "day": today,
                "total": digest.total,
                "screenings_overdue": rows(digest.screenings_overdue),
                "screenings_due": rows(digest.screenings_due),
                "overdue_deliverables": rows(digest.overdue_deliverables),
                "estimates_at_risk": rows(digest.estimates_at_risk),
                "workbench_url": absolute(workbench_path()),
            }

        yield Draft(
            kind=Kind.COORDINATOR_DIGEST,
            scope=f"user={user.pk}:day={today.isoformat()}",
            to=recipient.email,
            recipient=_fixed(recipient),
            context=context,
        )


def sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Find what is due and record it (each once), then queue whatever waits to be sent.

    On working days: reminders of business deliverables N working days before they are due
    (moved back to a working day), overdue notices, escalations of missed screening
    deadlines, the inspectors' reminders of the inspection report's deadlines (to the
    business within 2 months, published within 4), survey invitations, and (from
    ``NOTIFICATIONS_DIGEST_HOUR``) each coordinator's digest. Every time: the receipts of the
    last day's cases whose recording was lost (``RECEIPT_CATCH_UP``), the queueing of what
    waits, the webhooks' recording and queueing (``integrations``), the pruning of personal-data reads past their 6 months, and (once a day, when
    switched on) retention. Safe to run at any time, twice, or in two processes at once:
    recording is insert-or-ignore, and each recorded e-mail commits on its own, so a sweep
    killed half-way leaves nothing half-done for the next one.
    """
    now = now or clock.now()
    local_now = now.astimezone(clock.local_tz())
    today = local_now.date()
    calendar = working_calendar()
    row = municipality()
    report = SweepReport()
    if calendar.is_working_day(today):
        for drafts in (
            _deliverable_drafts(today, calendar, row),
            _escalation_drafts(today, calendar),
            _inspection_drafts(today, calendar),
            _survey_drafts(now, today, calendar),
        ):
            for notification in notifications_record(drafts):
                report.recorded[notification.kind] += 1
        if rules.digest_is_due(local_now, calendar, settings.NOTIFICATIONS_DIGEST_HOUR):
            for notification in notifications_record(_digest_drafts(today, calendar, row)):
                report.recorded[notification.kind] += 1
    for case_id in selectors.cases_received_without_receipt(now - RECEIPT_CATCH_UP):
        for notification in case_event_notify(kind="received", case_id=case_id):
            report.recorded[notification.kind] += 1
    report.queued = notifications_queue_due(now=now)
    # The webhooks (integrations): the settled events of every subscription recorded, and
    # what is due queued. After the e-mails, and on its own: a failure never holds them back.
    try:
        report.webhooks_recorded = webhooks_sweep(now=now).recorded
    except Exception:
        logger.exception("Recording the webhooks failed; the next sweep tries again")
    report.reads_pruned = personal_data_reads_prune(now=now)
    report.logins_pruned = login_log_prune(now=now)
    # Retention, once a day when the administrator switched it on (cases.services.retention);
    # after the queueing, so a failure here never holds e-mails back.
    if retention_run_due(now=now):
        report.anonymised = len(cases_anonymise_expired(now=now).cases)
    return report
