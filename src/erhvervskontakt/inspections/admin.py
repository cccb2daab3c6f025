"""Read-only admin for the inspection register: every change goes through the services."""

from django.contrib import admin

from .models import (
    Inspection,
    InspectionPlan,
    PlanAdjustment,
    PlanItem,
    RegisterEntry,
    RiskAssessment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["unit", "category", "valid_from", "start_up_required"]
    list_filter = ["category", "start_up_required"]
    search_fields = ["unit__p_number", "unit__name"]
    list_select_related = ["unit"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "assessed_on", "score", "a", "b", "c", "d", "e", "assessed_by"]
    search_fields = ["unit__p_number", "unit__name"]
    list_select_related = ["unit", "assessed_by"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "on", "kind", "physical"]
    list_filter = ["kind", "physical"]
    search_fields = ["unit__p_number", "unit__name"]
    list_select_related = ["unit"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "proposed_at"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ["plan", "unit", "category", "kind", "status", "adjusted"]
    list_filter = ["plan", "category", "kind", "status", "adjusted"]
    search_fields = ["unit__p_number", "unit__name"]
    list_select_related = ["plan", "unit"]


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["item", "action", "actor", "at", "reason"]
    list_select_related = ["item", "item__plan", "item__unit", "actor"]
