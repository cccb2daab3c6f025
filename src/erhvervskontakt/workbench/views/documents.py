"""The documents of a case for staff: listed with what each was sent for, opened in the
browser where that is safe (PDF and PNG/JPEG images) and downloaded.

Every document is read through the case the person may see (``case_get_for_staff_view``,
the one visibility rule), so a caseworker opens only the documents of their department's
cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erhvervskontakt.cases.models import Case, Document
from erhvervskontakt.cases.selectors import case_get_for_staff_view, case_requirements
from erhvervskontakt.common.errors import NotFound
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.files import SHOWN_INLINE, document_response
from erhvervskontakt.web.labels import requirement_label
from erhvervskontakt.web.readlog import logs_personal_data, read_subject


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    purpose: str  # the requirement's or delivery-plan line's label, or "Andet"
    can_show: bool


def document_rows(case: Case) -> list[DocumentRow]:
    """The case's documents with what each was sent for, in labels (not internal keys),
    from the prefetched catalogue, documents and delivery plan (no query per document)."""
    requirements = case_requirements(case)
    lines = {d.pk: d for d in case.deliverables.all()}
    rows = []
    for document in case.documents.all():
        if document.requirement_key in requirements:
            purpose = requirement_label(requirements[document.requirement_key])
        elif document.deliverable_id in lines:
            purpose = lines[document.deliverable_id].title
        else:
            purpose = _("Andet")
        rows.append(DocumentRow(document, purpose, document.content_type in SHOWN_INLINE))
    return rows


@require_GET
@staff_required
@logs_personal_data(use="document", purpose="case_handling")
def document_view(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """A document of a case the person may see: downloaded, or with ``?vis=1`` shown in the
    browser when its type is one a browser shows safely (else downloaded all the same)."""
    try:
        case = case_get_for_staff_view(user=request.user, reference=reference)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from error
    document = next((d for d in case.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    read_subject(request, case=case)
    inline = request.GET.get("vis") == "1" and document.content_type in SHOWN_INLINE
    return document_response(document, as_attachment=not inline)
