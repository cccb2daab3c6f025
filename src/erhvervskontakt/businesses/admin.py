from django.contrib import admin

from .models import Business, BusinessEvent, Membership, ProductionUnit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class BusinessEventInline(admin.TabularInline):
    model = BusinessEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "actor", "text"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ProductionUnitInline(admin.TabularInline):
    """The business's P-units, read only: they are registered through the services."""

    model = ProductionUnit
    extra = 0
    can_delete = False
    fields = ["p_number", "name", "address", "active", "started_on"]
    readonly_fields = ["p_number", "name", "address", "active", "started_on"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ProductionUnit)
class ProductionUnitAdmin(admin.ModelAdmin):
    list_display = ["p_number", "name", "business", "active", "started_on"]
    list_filter = ["active"]
    search_fields = ["p_number", "name", "business__name", "business__cvr"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]
    readonly_fields = ["p_number", "business", "name", "address", "active", "started_on"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # registered through businesses.services.production_unit_register

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr", "city", "contact_person"]
    search_fields = ["name", "cvr"]
    list_select_related = ["contact_person"]
    raw_id_fields = ["contact_person"]
    readonly_fields = ["contact_person"]
    inlines = [MembershipInline, ProductionUnitInline, BusinessEventInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
