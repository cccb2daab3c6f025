import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError

from .lockouts import login_lockout_clear, login_lockout_is_active
from .models import DEFAULT_API_SCOPES, ApiScope, ApiToken, LoginLockout, User
from .services import api_token_create, api_token_revoke


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


class ApiTokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("aktiv", "Aktiv"), ("udloebet", "Udløbet"), ("tilbagekaldt", "Tilbagekaldt")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        moment = clock.now()
        if self.value() == "aktiv":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=moment)
        if self.value() == "udloebet":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=moment)
        if self.value() == "tilbagekaldt":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


TOKEN_STATUS = {"active": "Aktiv", "expired": "Udløbet", "revoked": "Tilbagekaldt"}


class ApiTokenAddForm(forms.ModelForm):
    """A new token: whose, what for, its scopes, the last day it works, its own limit. The
    service makes it (``api_token_create``); the secret is shown once on the next page."""

    scopes = forms.MultipleChoiceField(
        label="rettigheder",
        choices=ApiScope.choices,
        initial=list(DEFAULT_API_SCOPES),
        widget=forms.CheckboxSelectMultiple,
        help_text="read: alle GET; intake: henvendelser og virksomhedens svar og dokumenter; "
        "write: alle andre ændringer af sager og virksomheder; admin: webhook-abonnementer.",
    )
    valid_until = forms.DateField(
        label="virker til og med",
        help_text="Den sidste dag, nøglen virker (dansk tid).",
    )
    rate_per_minute = forms.IntegerField(
        label="forespørgsler pr. minut",
        required=False,
        min_value=1,
        help_text="Tom: standarden (API_TOKEN_RATE_PER_MINUTE).",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "rate_per_minute"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.API_TOKEN_DAYS
        self.fields["valid_until"].initial = clock.today() + dt.timedelta(days=days)

    def clean_user(self) -> User:
        user: User = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError("Brugeren er ikke aktiv; en nøgle til den virker ikke.")
        return user

    def clean_valid_until(self) -> dt.date:
        day: dt.date = self.cleaned_data["valid_until"]
        if day < clock.today():
            raise forms.ValidationError("Vælg i dag eller en dag efter.")
        return day

    def expires_at(self) -> dt.datetime:
        """The end of the last day: midnight after it, local time."""
        day = self.cleaned_data["valid_until"] + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(), tzinfo=clock.local_tz())


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: listed with their scopes, expiry and status, made here (the secret is shown
    once, on the page after saving) or with ``manage.py create_api_token``, revoked by the
    action (which records who), never changed or deleted. The stored hash is never shown."""

    list_display = [
        "prefix",
        "user",
        "name",
        "scope_list",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "status",
    ]
    list_filter = [ApiTokenStatusFilter, "user__is_staff"]
    search_fields = ["user__username", "prefix", "name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    actions = ["revoke_tokens"]
    add_form = ApiTokenAddForm
    add_fields = ["user", "name", "scopes", "valid_until", "rate_per_minute"]
    view_fields = [
        "user",
        "name",
        "prefix",
        "scope_list",
        "created_at",
        "last_used_at",
        "expires_at",
        "rate_limit",
        "status",
        "revoked_at",
        "revoked_by",
    ]
    created_template = "admin/accounts/apitoken/created.html"

    @admin.display(description="rettigheder")
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.scopes or [])

    @admin.display(description="status")
    def status(self, token: ApiToken) -> str:
        return TOKEN_STATUS[token.status_at(clock.now())]

    @admin.display(description="forespørgsler pr. minut")
    def rate_limit(self, token: ApiToken) -> str:
        if token.rate_per_minute is not None:
            return str(token.rate_per_minute)
        default = settings.API_TOKEN_RATE_PER_MINUTE
        return f"{default} (standard)" if default > 0 else "ingen grænse (standard)"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return list(self.add_fields if obj is None else self.view_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.view_fields)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is never edited; the action below revokes it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is deleted: a revoked token stays, with who revoked it

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.change_apitoken"))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        """Made by the service, never by the form: the row the admin goes on with (its log
        entry, the next page) becomes the service's."""
        data = form.cleaned_data
        token, secret = api_token_create(
            user=data["user"],
            name=data.get("name") or "",
            scopes=data["scopes"],
            expires_at=form.expires_at(),
            rate_per_minute=data.get("rate_per_minute"),
        )
        for model_field in ApiToken._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(token, model_field.attname))
        obj._state.adding = False
        obj._state.db = token._state.db
        request._api_token_secret = secret  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The one page that shows the secret; never cached, never sent again."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API-nøglen er oprettet",
            "token": obj,
            "scopes": self.scope_list(obj),
            "secret": getattr(request, "_api_token_secret", ""),
        }
        response = TemplateResponse(request, self.created_template, context)
        add_never_cache_headers(response)  # no-store among them
        return response

    @admin.action(description="Tilbagekald", permissions=["revoke"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = skipped = 0
        for token in queryset.select_related("user"):
            if token.revoked_at is not None:
                skipped += 1
                continue
            done = api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
            self.log_change(request, done, "Tilbagekaldt.")
            revoked += 1
        if revoked:
            self.message_user(request, f"{revoked} API-nøgle(r) tilbagekaldt.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} var allerede tilbagekaldt og er ikke ændret.",
                messages.WARNING,
            )


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
