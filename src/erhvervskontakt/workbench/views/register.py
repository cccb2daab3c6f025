"""An inquiry registered by staff (it came by phone, e-mail, letter or a meeting)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.catalogue.selectors import service_type_list
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.web.access import can_coordinate, staff_required
from erhvervskontakt.web.pages import render_page

from .common import CPH, STAFF_CHANNELS, status_for


def _received_at(post: QueryDict) -> tuple[dt.datetime | None, str]:
    day, time = post.get("received_date", ""), post.get("received_time", "")
    if not day:
        return None, _("Angiv, hvornår henvendelsen blev modtaget.")
    try:
        moment = dt.datetime.fromisoformat(f"{day}T{time or '00:00'}")
    except ValueError:
        return None, _("Angiv dato og klokkeslæt, fx 2026-11-27 og 09:30.")
    return moment.replace(tzinfo=CPH), ""


@staff_required
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    """An inquiry that came by phone, e-mail, letter or meeting, with its real receipt time."""
    errors: dict[str, str] = {}
    general = ""
    status = 200
    post = request.POST
    if request.method == "POST":
        received_at, problem = _received_at(post)
        if post.get("channel") not in STAFF_CHANNELS:
            errors["channel"] = _("Vælg, hvordan henvendelsen kom ind.")
        if problem:
            errors["received_at"] = problem
        if not errors:
            try:
                case = inquiry_submit(
                    actor=request.user,  # type: ignore[arg-type]
                    cvr=post.get("cvr", ""),
                    business_name=post.get("business_name", ""),
                    service_types=post.getlist("service_types"),
                    description=post.get("description", ""),
                    contact={
                        "name": post.get("contact_name", ""),
                        "email": post.get("contact_email", ""),
                        "phone": post.get("contact_phone", ""),
                    },
                    channel=post.get("channel"),
                    received_at=received_at,
                )
            except DomainError as error:
                errors = {
                    key.replace("contact.", "contact_"): msg for key, msg in error.errors.items()
                }
                general = error.message
                status = status_for(error)
            else:
                messages.success(
                    request,
                    _("Henvendelsen er registreret som %(reference)s.")
                    % {"reference": case.reference},
                )
                target = "workbench:screening" if can_coordinate(request.user) else "workbench:case"
                return redirect(target, reference=case.reference)
        else:
            status = 422
    now = clock.now().astimezone(CPH)
    return render_page(
        request,
        "workbench/register.html",
        {
            "errors": errors,
            "general": general,
            "posted": post,
            "chosen": post.getlist("service_types"),
            "service_types": service_type_list(),
            "channels": [(c.value, c.label) for c in STAFF_CHANNELS],
            "default_date": now.date().isoformat(),
            "default_time": now.strftime("%H:%M"),
        },
        status=status,
    )
