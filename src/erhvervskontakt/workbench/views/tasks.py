"""A department's task on a case: taken, given to a colleague, done with a result, reopened."""

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
from erhvervskontakt.cases.services.tasks import (
    task_assign,
    task_claim,
    task_complete,
    task_reopen,
)
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import is_htmx, render_part

from .case import case_list_part
from .common import posted_version, status_for

TASK_ACTIONS = ("tag", "giv", "faerdig", "genaabn")


def _task_do(request: HttpRequest, task: Task, action: str) -> str:
    """Call the task's service; the message to show when it succeeded."""
    actor: User = request.user  # type: ignore[assignment]
    version = posted_version(request.POST)
    post = request.POST
    if action == "tag":
        task_claim(task=task, actor=actor, expected_version=version)
        return _("Du har taget opgaven.")
    if action == "giv":
        assignee = active_staff_get(username=post.get("assignee", ""))
        task_assign(task=task, actor=actor, assignee=assignee, expected_version=version)
        return _("Opgaven er givet til %(name)s.") % {"name": assignee.display_name}
    if action == "genaabn":
        task_reopen(task=task, actor=actor, reason=post.get("reason", ""), expected_version=version)
        return _("Opgaven er genåbnet.")
    task_complete(
        task=task,
        actor=actor,
        result=post.get("result", ""),
        share_result=bool(post.get("share_result")),
        upload=request.FILES.get("file"),
        deliver_answer=bool(post.get("deliver_answer")),
        expected_version=version,
    )
    return _("Opgaven er markeret som færdig.")


def _changes_the_case_view(request: HttpRequest, action: str) -> bool:
    """Completing with the decision or the answer line changes the plan and the documents
    of the case view too: from there, the page is shown again as a whole."""
    post = request.POST
    return (
        action == "faerdig"
        and post.get("fra") == "sag"
        and bool(post.get("deliver_answer") or request.FILES.get("file"))
    )


@staff_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    """Claim, assign, complete or reopen a department task. A plain form goes back to the
    page it came from; htmx gets the task's row, refusals (a stale version, a missing result)
    shown in it with what was typed."""
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
            return _task_row(
                request,
                task_id,
                back,
                error=error.message,
                errors=error.errors,
                action=action,
                status=status_for(error),
            )
        said = dict.fromkeys([error.message, *error.errors.values()])
        messages.error(request, " ".join(said))
        response = redirect(back)
        response.status_code = 303
        return response
    if is_htmx(request) and not _changes_the_case_view(request, action):
        return _task_row(request, task_id, back, notice=done)
    messages.success(request, done)
    if is_htmx(request):
        refresh = HttpResponse(status=204)
        refresh["HX-Refresh"] = "true"
        return refresh
    return redirect(back)


def _task_row(
    request: HttpRequest,
    task_id: int,
    back: str,
    *,
    notice: str = "",
    error: str = "",
    errors: dict[str, str] | None = None,
    action: str = "",
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
        "task_errors": errors or {},
        "failed_action": action if error else "",
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
