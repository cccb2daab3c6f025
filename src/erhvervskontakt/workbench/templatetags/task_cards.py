"""What a department task's card shows: the actions the person may use (the rule the task
services refuse with, ``cases.rules.task_actions``), the department's own date and how far
past it the task is, and the department's answer lines still pending.

``{% load task_cards %}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import Deliverable, Task
from erhvervskontakt.common import clock

register = template.Library()


@register.simple_tag(takes_context=True)
def task_actions(context: dict[str, Any], task: Task) -> frozenset[str]:
    """``{% task_actions task as can %}``: ``claim``, ``assign``, ``complete``, ``reopen``."""
    user = context["request"].user
    return rules.task_actions(
        user, department_id=task.department_id, status=task.status, assignee_id=task.assignee_id
    )


@register.filter
def days_over(day: dt.date | None) -> int:
    """Whole days ``day`` lies in the past (0: not past)."""
    if day is None:
        return 0
    return max(0, (clock.today() - day).days)


@register.simple_tag
def answer_lines(task: Task) -> list[Deliverable]:
    """``{% answer_lines task as lines %}``: the department's pending ``Svar: …`` lines."""
    return rules.pending_answer_lines(
        task.case.deliverables.all(), [st.pk for st in task.service_types.all()]
    )
