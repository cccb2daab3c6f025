"""The published inspection reports (``/tilsynsrapporter/``): anyone may search them by
business name, CVR or P-number and read each report as the PDF the business received.

The environmental inspection order requires a report to be published within 4 months of the
inspection with its minimum content (unit, date, kind, physical or not, enforcement issued);
the list shows exactly that. Only published reports are reachable here: an unpublished one
answers 404 as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.web import labels
from erhvervskontakt.web.files import document_response
from erhvervskontakt.web.pages import render_page

REPORTS_PER_PAGE = 25
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class ReportRow:
    """One published report as the list shows it, its choices written out."""

    visit: Visit
    kind: str
    enforcement: str  # "Nej" or the kinds issued, e.g. "Påbud, indskærpelse"


def _row(visit: Visit) -> ReportRow:
    kinds = list(dict.fromkeys(e.kind for e in visit.enforcements.all()))
    enforcement = ", ".join(
        str(labels.ENFORCEMENT_KINDS.get(kind, kind)) for kind in kinds
    ).capitalize()
    return ReportRow(
        visit=visit,
        kind=str(labels.INSPECTION_KINDS.get(visit.kind, visit.get_kind_display())),
        enforcement=enforcement or _("Nej"),
    )


@require_GET
def reports_page(request: HttpRequest) -> HttpResponse:
    """A page of published reports, newest first; the same few queries whatever its length."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    paginator = Paginator(
        selectors.published_reports(query=query).prefetch_related("enforcements"),
        REPORTS_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("side"))
    keep = {"q": query} if query else {}
    return render_page(
        request,
        "public/inspection_reports.html",
        {
            "query": query,
            "page": page,
            "rows": [_row(visit) for visit in page.object_list],
            "page_numbers": range(
                max(1, page.number - 3), min(paginator.num_pages, page.number + 3) + 1
            ),
            "keep": urlencode(keep) + "&" if keep else "",
        },
    )


@require_GET
def report_pdf(request: HttpRequest, visit_id: int) -> FileResponse:
    """The published report's PDF, shown in the browser; 404 unless it is published."""
    visit = selectors.published_report(visit_id=visit_id)
    document = visit.report_document if visit is not None else None
    if document is None:
        raise Http404
    return document_response(
        document, as_attachment=False, content_type="application/pdf", public=True
    )
