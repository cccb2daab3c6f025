from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError

from .lockouts import login_lockout_clear, login_lockout_is_active
from .models import ApiToken, LoginLockout, User


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


class LockoutStateFilter(admin.SimpleListFilter):
    title = "tilstand"
    parameter_name = "tilstand"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("aktiv", "Spærret nu"), ("udloebet", "Udløbet"), ("ophaevet", "Ophævet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        moment = clock.now()
        if self.value() == "aktiv":
            return queryset.filter(cleared_at__isnull=True, locked_until__gt=moment)
        if self.value() == "udloebet":
            return queryset.filter(cleared_at__isnull=True, locked_until__lte=moment)
        if self.value() == "ophaevet":
            return queryset.filter(~Q(cleared_at=None))
        return queryset


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Current and past login locks; read-only, lifted only by the action (which records
    who lifted it), never deleted."""

    list_display = [
        "locked_at",
        "scope",
        "kind",
        "username",
        "ip",
        "failures",
        "locked_until",
        "state",
        "cleared_by",
    ]
    list_filter = [LockoutStateFilter, "scope", "kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "locked_at"
    list_select_related = ["cleared_by"]
    readonly_fields = [
        "scope",
        "kind",
        "username",
        "ip",
        "failures",
        "locked_at",
        "locked_until",
        "cleared_at",
        "cleared_by",
    ]
    actions = ["clear_locks"]

    @admin.display(description="tilstand")
    def state(self, lockout: LoginLockout) -> str:
        if lockout.cleared_at is not None:
            return "Ophævet"
        return "Spærret nu" if login_lockout_is_active(lockout) else "Udløbet"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by the login when a lock starts

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record; the action below is the only change

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is deleted

    def has_clear_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.change_loginlockout"))

    @admin.action(description="Ophæv spærring", permissions=["clear"])
    def clear_locks(self, request: HttpRequest, queryset: QuerySet[LoginLockout]) -> None:
        cleared = skipped = 0
        for lockout in queryset:
            try:
                login_lockout_clear(lockout=lockout, actor=request.user)  # type: ignore[arg-type]
            except DomainError:
                skipped += 1
            else:
                cleared += 1
        if cleared:
            self.message_user(request, f"{cleared} spærring(er) ophævet.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} var allerede ophævet eller udløbet og er ikke ændret.",
                messages.WARNING,
            )
