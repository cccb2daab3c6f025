"""Log-in and identity in the administration: the administrator's mapping from Entra ID app
roles to our roles (editable), the login log and the external identities (read only: nobody
adds, changes or deletes a row here; the sweep prunes the log after 180 days)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ExternalIdentity, LoginEvent, StaffRoleMapping


@admin.register(StaffRoleMapping)
class StaffRoleMappingAdmin(admin.ModelAdmin[StaffRoleMapping]):
    list_display = ["app_role", "role", "department", "active", "created_at"]
    list_filter = ["role", "active", "department"]
    search_fields = ["app_role"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switched off with "aktiv", never deleted


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "method", "user", "reason", "cvr", "loa", "ip"]
    list_filter = ["kind", "method"]
    search_fields = ["user__username", "cvr", "identity_key", "ip", "request_id"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    fields = readonly_fields = (
        "at",
        "kind",
        "method",
        "user",
        "reason",
        "detail",
        "identity_key",
        "cvr",
        "loa",
        "ip",
        "session",
        "request_id",
        "raw_response",
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    list_display = ["source", "key", "user", "created_at", "last_login_at"]
    list_filter = ["source"]
    search_fields = ["key", "user__username"]
    list_select_related = ["user"]
    fields = readonly_fields = ("source", "key", "user", "created_at", "last_login_at")
