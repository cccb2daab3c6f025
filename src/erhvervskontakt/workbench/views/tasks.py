"""A department's task on a case: taken, given to a colleague, done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.cases.models import Task
from erhvervskontakt.cases.selectors import (
    department_colleagues,
    task_get,
)
from erhvervskontakt.cases.services.tasks import task_assign, task_claim, task_complete
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import is_htmx, render_part

from .case import case_list_part
from .common import posted_version, status_for

TASK_ACTIONS = ("tag", "giv", "faerdig")


def _task_do(request: HttpRequest, task: Task, action: str) -> str:
    """Call the task's service; the message to show when it succeeded."""
    actor: User = request.user  # type: ignore[assignment]
    version = posted_version(request.POST)
    if action == "tag":
        task_claim(task=task, actor=actor, expected_version=version)
        return _("Du har taget opgaven.")
    if action == "giv":
        assignee = active_staff_get(username=request.POST.get("assignee", ""))
        task_assign(task=task, actor=actor, assignee=assignee, expected_version=version)
        return _("Opgaven er givet til %(name)s.") % {"name": assignee.display_name}
    task_complete(
        task=task, actor=actor, note=request.POST.get("note", ""), expected_version=version
    )
    return _("Opgaven er markeret som færdig.")


@staff_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    """Claim, assign or complete a department task. A plain form goes back to the page it
    came from; htmx gets the task's row, refusals (a stale version) shown in it."""
    actor: User = request.user  # type: ignore[assignment]
    try:
        task = task_get(user=actor, pk=task_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if action not in TASK_ACTIONS:
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("workbench:case", kwargs={"reference": task.case.reference})
    try:
        done = _task_do(request, task, action)
    except DomainError as error:
        if is_htmx(request):
            return _task_row(request, task_id, back, error=error.message, status=status_for(error))
        messages.error(request, error.message)
        response = redirect(back)
        response.status_code = 303
        return response
    if is_htmx(request):
        return _task_row(request, task_id, back, notice=done)
    messages.success(request, done)
    return redirect(back)


def _task_row(
    request: HttpRequest,
    task_id: int,
    back: str,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """htmx: the task's row as it is now. From the inbox (``fra=indbakke``) it keeps its
    "give to" form; on the case view (``fra=sag``) the timeline's first page comes along."""
    user: User = request.user  # type: ignore[assignment]
    task = task_get(user=user, pk=task_id)
    where = request.POST.get("fra", "")
    context: dict[str, Any] = {
        "task": task,
        "task_error": error,
        "notice": notice,
        "next_url": back,
        "row_from": where,
        "posted": request.POST,
        "oob": True,
    }
    if where == "indbakke" and user.department_id:
        context["colleagues"] = department_colleagues(department_id=user.department_id)
    if where == "sag" and notice:
        context["case"] = task.case
        context["timeline"] = case_list_part(request, task.case, "tidslinje")
    return render_part(request, "workbench/_task_changed.html", context, status=status)
