"""The outbox and the e-mail wording in the admin.

Notifications are read-only (they change only through the services): the list shows what is
waiting, sent and failing, with the SMTP error; "Send igen nu" makes failed ones due at once.
Templates are edited here; a template that does not compile is refused with the error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from .defaults import VARIABLES
from .models import MessageTemplate, Notification
from .rendering import check_wording, default_wording
from .services import delivery


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "case",
        "recipient_email",
        "status",
        "attempts",
        "next_attempt_at",
        "error",
        "sent_at",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["case__reference", "recipient_email", "subject", "dedupe_key"]
    list_select_related = ["case"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [
        "kind",
        "dedupe_key",
        "case",
        "recipient_email",
        "recipient_user",
        "language",
        "subject",
        "body_text",
        "html_preview",
        "reply_to",
        "message_id",
        "timeline_text",
        "status",
        "attempts",
        "next_attempt_at",
        "queued_at",
        "claimed_until",
        "last_error",
        "last_error_at",
        "created_at",
        "sent_at",
    ]
    exclude = ["body_html", "claim_token"]

    @admin.display(description="seneste fejl")
    def error(self, obj: Notification) -> str:
        return (obj.last_error[:120] + "…") if len(obj.last_error) > 120 else obj.last_error

    @admin.display(description="HTML")
    def html_preview(self, obj: Notification) -> str:
        return format_html(
            '<iframe sandbox="" srcdoc="{}" style="width:100%;height:480px;border:1px solid #ccc">'
            "</iframe>",
            obj.body_html,
        )

    # The e-mail is shown as it was sent, in a sandboxed frame (no script runs in it); the
    # frame inherits this page's policy, and e-mails are styled inline, so this one admin page
    # allows inline style. Script stays 'self' only.
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # django-csp's per-response update of the page policy (what its @csp_update sets).
        response._csp_update = {"style-src": ["'self'", "'unsafe-inline'"]}  # type: ignore[attr-defined]
        return response

    @admin.action(description="Send igen nu")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = delivery.notifications_retry_now(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} e-mail(s) sendes igen.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["kind", "language", "subject", "text", "html"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 18, "cols": 100}),
            "html": forms.Textarea(attrs={"rows": 18, "cols": 100}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, error in check_wording(
            data.get("subject", ""), data.get("text", ""), data.get("html", "")
        ).items():
            self.add_error(field, error)
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]
    readonly_fields = ["variables"]
    actions = ["restore_default"]

    @admin.display(description="kan bruge")
    def variables(self, obj: MessageTemplate) -> str:
        return VARIABLES.get(obj.kind, "") if obj and obj.kind else ""

    @admin.action(description="Gendan standardteksten")
    def restore_default(self, request: HttpRequest, queryset: QuerySet[MessageTemplate]) -> None:
        for row in queryset:
            wording = default_wording(row.kind, row.language)
            row.subject, row.text, row.html = wording.subject, wording.text, wording.html
            row.save(update_fields=["subject", "text", "html", "updated_at"])
        self.message_user(request, "Standardteksten er gendannet.", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
