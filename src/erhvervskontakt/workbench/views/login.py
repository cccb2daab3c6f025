"""Staff log in and out; the workbench's start page."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erhvervskontakt.web.access import can_coordinate, is_workbench_user, staff_required
from erhvervskontakt.web.pages import render_page, safe_next
from erhvervskontakt.web.ratelimit import throttled_login


@require_http_methods(["GET", "POST"])
@throttled_login("workbench", "web/login_blocked.html")
def login_view(request: HttpRequest) -> HttpResponse:
    """Staff log in with username and password (Django auth); business users are refused.
    Failures are limited as on the portal (``web.ratelimit``): staff see every business."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    form = AuthenticationForm(request, data=request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            if is_workbench_user(user):
                login(request, user)
                return redirect(next_url or reverse("workbench:home"))
            error = _("Kun kommunens medarbejdere kan logge på arbejdsbordet.")
        else:
            error = _("Brugernavnet eller adgangskoden er forkert.")
    return render_page(
        request,
        "workbench/login.html",
        {"error": error, "username": request.POST.get("username", ""), "next": next_url},
        status=422 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("workbench:login")


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    if can_coordinate(request.user):
        return redirect("workbench:screening_queue")
    return redirect("workbench:inbox")
