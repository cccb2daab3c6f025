"""Cases in the admin are read-only: every change goes through the services (and the timeline)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Case, Deliverable, Event, Message, RetentionRun, Task
from .services.retention import message_mark_personal_data


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class DeliverableInline(ReadOnlyInline):
    model = Deliverable
    fields = ["party", "title", "due_date", "status", "delivered_at", "note"]


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ["department", "status", "assignee", "created_at", "done_at"]


class EventInline(ReadOnlyInline):
    model = Event
    fields = ["at", "kind", "actor", "text"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "business",
        "status",
        "received_at",
        "screening_due",
        "coordinator",
        "estimated_answer_date",
    ]
    list_filter = ["status", "channel", "service_types"]
    search_fields = ["reference", "business__cvr", "business__name"]
    list_select_related = ["business", "coordinator"]
    date_hierarchy = "received_at"
    inlines = [DeliverableInline, TaskInline, EventInline]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """The record of every retention run (``manage.py apply_retention``, the daily sweep)."""

    list_display = ["started_at", "finished_at", "dry_run", "actor", "cases_count"]
    list_filter = ["dry_run"]
    fields = readonly_fields = (
        "started_at",
        "finished_at",
        "dry_run",
        "actor",
        "cases_count",
        "summary",
    )
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _mark(request: HttpRequest, queryset: QuerySet[Message], *, contains: bool) -> int:
    changed = 0
    for message in queryset.select_related("case"):
        if message.contains_personal_data != contains:
            message_mark_personal_data(message=message, actor=request.user, contains=contains)  # type: ignore[arg-type]
            changed += 1
    return changed


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages are read-only here; an administrator can mark the ones that hold personal
    data beyond the contact's details, so retention replaces their whole text."""

    list_display = ["case", "created_at", "author", "internal", "contains_personal_data"]
    list_filter = ["contains_personal_data", "internal"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "author"]
    fields = readonly_fields = (
        "case",
        "author",
        "created_at",
        "internal",
        "contains_personal_data",
        "body",
    )
    actions = ["mark_personal_data", "unmark_personal_data"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list's actions only (they go through the service); a message itself is never
        # edited here.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Markér: indeholder personoplysninger", permissions=["change"])
    def mark_personal_data(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        changed = _mark(request, queryset, contains=True)
        self.message_user(request, f"{changed} besked(er) markeret.", messages.SUCCESS)

    @admin.action(
        description="Fjern markeringen: indeholder personoplysninger", permissions=["change"]
    )
    def unmark_personal_data(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        changed = _mark(request, queryset, contains=False)
        self.message_user(request, f"{changed} besked(er) ikke længere markeret.", messages.SUCCESS)
