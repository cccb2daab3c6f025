from django.contrib import admin

from .models import Department, Municipality, Requirement, ServiceType


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "screening_working_days",
        "business_deliverable_working_days",
        "retention_enabled",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not Municipality.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 1
    fields = [
        "position",
        "key",
        "label",
        "kind",
        "value_type",
        "mandatory",
        "may_be_unknown",
        "choices",
        "help_text",
    ]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "group",
        "department",
        "target_working_days",
        "service_target_days",
        "retention_years",
        "active",
    ]
    list_filter = ["group", "department", "active"]
    search_fields = ["name", "code", "kle_code"]
    list_select_related = ["department"]
    inlines = [RequirementInline]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Cases refer to service types; retire one by unticking "aktiv".
        return False
