from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "percent"]
    list_editable = ["percent"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
