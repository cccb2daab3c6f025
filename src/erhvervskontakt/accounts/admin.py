from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "is_staff",
        "is_coordinator",
        "department",
        "is_active",
    ]
    list_filter = ["is_staff", "is_coordinator", "is_head_of_unit", "department", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Erhvervskontakt",
            {
                "fields": (
                    "is_coordinator",
                    "is_head_of_unit",
                    "department",
                    "title",
                    "phone",
                    "language",
                )
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # The secret is only shown once, so tokens are made with the command.
        return False
