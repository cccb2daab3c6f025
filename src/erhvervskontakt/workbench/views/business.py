"""The business: its cases and its fixed contact person."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses import services as business_services
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_get, production_units_for
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import (
    coordinator_loads,
)
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.web.access import can_coordinate, staff_required
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from .common import paginate, status_for


@staff_required
@require_http_methods(["GET", "POST"])
@logs_personal_data(
    use="view", purpose="case_handling", choosable=("screening", "case_handling", "inspection")
)
def business_view(request: HttpRequest, cvr: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        business: Business = business_get(user=user, cvr=cvr)
    except DomainError as error:
        raise Http404(error.message) from error
    read_subject(request, business=business)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can_coordinate(user):
            errors["coordinator"] = _("Kun tovholdere kan skifte fast kontaktperson.")
            status = 403
        else:
            try:
                business_services.business_change_contact_person(
                    business=business,
                    actor=user,
                    username=request.POST.get("coordinator", ""),
                    reason=request.POST.get("reason", ""),
                )
            except DomainError as error:
                errors = dict(error.errors) or {"coordinator": error.message}
                status = status_for(error)
            else:
                messages.success(request, _("Den faste kontaktperson er skiftet."))
                return redirect("workbench:business", cvr=business.cvr)
    cases = (
        Case.objects.visible_to(user)
        .filter(business=business)
        .select_related("coordinator")
        .order_by("-received_at", "-id")
    )
    page = paginate(request, cases)
    return render_page(
        request,
        "workbench/business.html",
        {
            "business": business,
            "page": page,
            "coordinators": coordinator_loads(),
            "events": list(business.events.select_related("actor").order_by("-at", "-id")[:20]),
            "members": list(business.memberships.select_related("user").filter(active=True)),
            "units": production_units_for(user=user, business=business),
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )
