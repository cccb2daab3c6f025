"""The inspection report of a visit: its fields kept as a draft, the report sent to the
business (the PDF itself is made by ``inspections/report.py``), and published.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.services.documents import case_add_generated_document
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import IllegalTransition

from ..announcements import VisitReportSent
from ..models import Finding, Visit
from .core import (
    _collect,
    _fmt,
    _lock_visit,
    _raise,
    _reload,
    _require_visit_staff,
    _require_visited,
    _save_visit,
    _text,
    _visit_event,
)

REPORT_TEXT_MAX = 10_000


@transaction.atomic
def visit_report_update(
    *,
    visit: Visit,
    actor: User,
    self_monitoring: str,
    follows_up: bool | None,
    conclusion: str,
    expected_version: int | None = None,
) -> Visit:
    """The report's own fields: the conclusion on self-monitoring, whether the unit follows
    up, and the overall conclusion. Until the report is sent."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    _require_visited(visit, "rapporten")
    errors: dict[str, str] = {}
    monitoring = _collect(
        errors,
        lambda: _text(
            self_monitoring, "self_monitoring", missing="", limit=REPORT_TEXT_MAX, required=False
        ),
    )
    summary = _collect(
        errors,
        lambda: _text(conclusion, "conclusion", missing="", limit=REPORT_TEXT_MAX, required=False),
    )
    if follows_up is not None and not isinstance(follows_up, bool):
        errors["follows_up"] = "Vælg ja, nej eller ikke relevant."
    _raise(errors, "Rapporten er ikke udfyldt korrekt.")
    if (monitoring, follows_up, summary) == (
        visit.self_monitoring,
        visit.follows_up,
        visit.conclusion,
    ):
        return _reload(visit)
    visit.self_monitoring = monitoring
    visit.follows_up = follows_up
    visit.conclusion = summary
    _save_visit(visit, "self_monitoring", "follows_up", "conclusion")
    _visit_event(
        visit, "visit_report_draft", actor, "Udkast til tilsynsrapporten opdateret.", internal=True
    )
    return _reload(visit)


@transaction.atomic
def visit_report_send(*, visit: Visit, actor: User, expected_version: int | None = None) -> Visit:
    """Send the inspection report: the PDF (``report.report_pdf``) is stored on the case as
    »Tilsynsrapport-<sagsnummer>.pdf«, the business gets a message, and — if the municipality
    surveys after inspections — a survey invitation. The case is not answered by this: the
    agreed solutions are still open; the inspector ends the case when they are done."""
    from ..report import report_filename, report_pdf  # WeasyPrint loads slowly

    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    _require_visited(visit, "rapporten")
    errors: dict[str, str] = {}
    if not visit.self_monitoring.strip():
        errors["self_monitoring"] = "Skriv rapportens konklusion på egenkontrollen."
    if not visit.conclusion.strip():
        errors["conclusion"] = "Skriv rapportens samlede konklusion."
    _raise(errors, "Rapporten mangler konklusioner.")
    today = clock.today()
    full = _reload(visit)
    full.report_sent_on = today  # the date the PDF carries
    name = report_filename(full)
    document = case_add_generated_document(
        case=visit.case, actor=actor, name=name, content=report_pdf(full)
    )
    visit.report_sent_on = today
    visit.report_document = document
    visit.status = Visit.Status.REPORTED
    _save_visit(visit, "report_sent_on", "report_document", "status")
    assert visit.report_due is not None and visit.visited_on is not None
    late = today > visit.report_due
    _visit_event(
        visit,
        "visit_report_sent",
        actor,
        f"Tilsynsrapporten er sendt til virksomheden {_fmt(today)}"
        + (f" (efter fristen {_fmt(visit.report_due)})." if late else ".")
        + f" Den offentliggøres senest {_fmt(visit.publish_due)}.",
        business_text=gettext_noop("Vi har sendt jer tilsynsrapporten."),
        business_args={},
        document=document.pk,
        on_time=not late,
    )
    agreed = visit.findings.filter(kind=Finding.Kind.AGREEMENT).count()
    case_message_post(
        case=visit.case,
        actor=actor,
        body=(
            f"Tak for besøget {_fmt(visit.visited_on)}. Tilsynsrapporten ligger nu som dokument"
            f" på sagen: {name}."
            + (
                f"\n\nDe {agreed} løsninger, vi aftalte, står i leveranceplanen med deres frister."
                if agreed > 1
                else "\n\nDen løsning, vi aftalte, står i leveranceplanen med sin frist."
                if agreed == 1
                else ""
            )
            + "\n\nRapporten offentliggøres på kommunens hjemmeside senest"
            f" {_fmt(visit.publish_due)}, som miljøtilsynsbekendtgørelsen kræver."
            f"\n\nVenlig hilsen\n{visit.inspector.display_name}"
        ),
    )
    # Notifications invites the business to the survey, if the municipality surveys after
    # inspections (``notifications.hooks.visit_report_sent``).
    announcements.announce(VisitReportSent(visit=visit.pk))
    return _reload(visit)


@transaction.atomic
def visit_publish(*, visit: Visit, actor: User, expected_version: int | None = None) -> Visit:
    """Publish the sent report (it is then in the public list of inspection reports)."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status != Visit.Status.REPORTED:
        raise IllegalTransition(
            "Kun en sendt tilsynsrapport kan offentliggøres"
            f" (tilsynsbesøget er {visit.get_status_display().lower()})."
        )
    today = clock.today()
    visit.published_on = today
    visit.status = Visit.Status.PUBLISHED
    _save_visit(visit, "published_on", "status")
    late = visit.publish_due is not None and today > visit.publish_due
    _visit_event(
        visit,
        "visit_published",
        actor,
        f"Tilsynsrapporten er offentliggjort {_fmt(today)}"
        + (f" (efter fristen {_fmt(visit.publish_due)})." if late else "."),
        business_text=gettext_noop("Tilsynsrapporten er offentliggjort."),
        business_args={},
        on_time=not late,
    )
    return _reload(visit)
