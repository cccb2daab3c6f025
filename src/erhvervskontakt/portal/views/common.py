"""What several of the businesses' pages use: the case a business user may see (or 404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import (
    case_get,
)
from erhvervskontakt.common.errors import NotFound
from erhvervskontakt.web.access import Acting, switch_business

CASES_PER_PAGE = 20


OTHER_DOCUMENT_ID = "andet-dokument"


CASE_DOCUMENT_ID = "dokument-fil"


SLOT_FIELD_ID = "tidspunkt"


def case_for(request: HttpRequest, acting: Acting, reference: str) -> Case:
    """The case if it belongs to one of the user's businesses (which becomes current), or 404."""
    try:
        case = case_get(user=acting.user, reference=reference)
    except NotFound as error:
        raise Http404(error.message) from error
    business = acting.find(case.business.cvr)
    if business is None:
        raise Http404
    if switch_business(request, acting, business):
        messages.info(request, _("I handler nu for %(name)s.") % {"name": business.name})
    return case
