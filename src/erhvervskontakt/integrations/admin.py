"""Webhook subscriptions and their deliveries in the admin.

A subscription is made here with a name, a URL, an owner and its kinds; its secret is shown
once, in the message after saving, and never again (the page has no field for it). It is
never deleted: "Deaktivér" ends it. Deliveries are read-only: the list shows what is
waiting, sent and failing with the last HTTP status and error; "Send igen nu" makes failed
ones due at once.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.errors import DomainError

from . import services
from .models import WebhookDelivery, WebhookSubscription


class WebhookSubscriptionForm(forms.ModelForm):
    """The fields an administrator sets; checked by the services (the URL's rules too)."""

    kinds_text = forms.CharField(
        label="hændelsestyper",
        required=False,
        help_text="Kommasepareret, fx »screened, answered«. Tom: alle.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "owner", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        status = self.fields["status"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(status, forms.ChoiceField)
        owner.queryset = User.objects.filter(is_staff=True, is_active=True)
        if self.instance.pk:
            self.fields["kinds_text"].initial = ", ".join(self.instance.kinds or [])
            owner.disabled = True
            status.choices = [
                c
                for c in WebhookSubscription.Status.choices
                if c[0] != WebhookSubscription.Status.DEACTIVATED
                or self.instance.status == WebhookSubscription.Status.DEACTIVATED
            ]
        else:
            status.disabled = True

    # The services' own checks, so a refusal is shown on its field and nothing is saved.
    def clean_name(self) -> str:
        return _field(services.name_clean, self.cleaned_data.get("name", ""))

    def clean_url(self) -> str:
        return _field(services.url_clean, self.cleaned_data.get("url", ""))

    def clean_kinds_text(self) -> list[str]:
        text = self.cleaned_data.get("kinds_text") or ""
        return _field(services.kinds_clean, [k for k in text.split(",") if k.strip()])


def _field(check: Any, value: Any) -> Any:
    try:
        return check(value)
    except DomainError as error:
        raise forms.ValidationError(next(iter(error.errors.values()), error.message)) from None


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "url", "owner", "status", "kinds_shown", "problems", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "url", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["cursor", "created_at", "updated_at", "deactivated_at"]
    actions = ["deactivate"]

    @admin.display(description="hændelsestyper")
    def kinds_shown(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.kinds or []) or "alle"

    @admin.display(description="fejlede leveringer")
    def problems(self, obj: WebhookSubscription) -> int:
        return WebhookDelivery.objects.filter(subscription=obj).problems().count()

    def save_model(
        self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool
    ) -> None:
        """Through the services, so the admin keeps the API's rules."""
        data = form.cleaned_data
        if change:
            services.webhook_subscription_update(
                subscription=obj,
                actor=None,
                name=data["name"],
                url=data["url"],
                kinds=data["kinds_text"],
                status=None
                if obj.status == WebhookSubscription.Status.DEACTIVATED
                else data["status"],
            )
            obj.refresh_from_db()
            return
        created = services.webhook_subscription_create(
            owner=data["owner"], name=data["name"], url=data["url"], kinds=data["kinds_text"]
        )
        obj.pk = created.subscription.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            f"Hemmeligheden til at kontrollere signaturen er {created.secret} — gem den nu; "
            "den vises ikke igen.",
            messages.WARNING,
        )

    @admin.action(description="Deaktivér (for altid)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for row in queryset:
            services.webhook_subscription_deactivate(subscription=row, actor=None)
        self.message_user(request, "Abonnementet er deaktiveret.", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProblemFilter(admin.SimpleListFilter):
    title = "problemer"
    parameter_name = "problem"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Fejlede (prøver igen eller opgivet)")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]
    ) -> QuerySet[WebhookDelivery]:
        return queryset.problems() if self.value() == "yes" else queryset  # type: ignore[attr-defined]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "subscription",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "error",
        "sent_at",
    ]
    list_filter = [ProblemFilter, "status", "subscription"]
    search_fields = ["subscription__name", "last_error", "=event__id"]
    list_select_related = ["subscription"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    exclude = ["claim_token"]
    readonly_fields = [
        "subscription",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "queued_at",
        "claimed_until",
        "last_status_code",
        "last_error",
        "last_error_at",
        "created_at",
        "sent_at",
    ]
    raw_id_fields = ["event"]

    @admin.display(description="seneste fejl")
    def error(self, obj: WebhookDelivery) -> str:
        return (obj.last_error[:120] + "…") if len(obj.last_error) > 120 else obj.last_error

    @admin.action(description="Send igen nu")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        count = services.webhook_deliveries_retry_now(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} levering(er) sendes igen.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
