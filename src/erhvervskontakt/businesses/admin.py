from django.contrib import admin

from .models import Business, BusinessEvent, Membership


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


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr", "city", "contact_person"]
    search_fields = ["name", "cvr"]
    list_select_related = ["contact_person"]
    raw_id_fields = ["contact_person"]
    readonly_fields = ["contact_person"]
    inlines = [MembershipInline, BusinessEventInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
