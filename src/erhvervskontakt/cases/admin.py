"""Cases in the admin are read-only: every change goes through the services (and the timeline)."""

from django.contrib import admin

from .models import Case, Deliverable, Event, Task


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
