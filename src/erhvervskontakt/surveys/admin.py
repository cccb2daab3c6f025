"""Administrators edit the survey's questions (never delete them: deactivate); invitations and
answers are read-only, since they change only through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import Answer, Invitation, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["position", "text_da", "key", "kind", "asked", "positive_rule", "active"]
    list_display_links = ["text_da"]
    list_filter = ["active", "kind", "asked"]
    ordering = ["position", "id"]
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "text_da", "text_en", "asked", "position", "active"]}),
        (
            "Hvad er et positivt svar",
            {"fields": ["positive_from", "negative_to", "positive_answer"]},
        ),
        (
            "Skalaens ender",
            {"fields": ["scale_low_da", "scale_high_da", "scale_low_en", "scale_high_en"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return ["key"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description="positivt")
    def positive_rule(self, obj: Question) -> str:
        if obj.kind == Question.Kind.SCALE and obj.positive_from is not None:
            return f"{obj.positive_from}–5"
        if obj.kind == Question.Kind.YES_NO and obj.positive_answer is not None:
            return "ja" if obj.positive_answer else "nej"
        return "—"

    @admin.action(description="Deaktivér valgte spørgsmål (svarene bevares)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.questions_deactivate(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} spørgsmål deaktiveret.", messages.SUCCESS)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "value_int", "value_bool", "value_text", "positive"]
    readonly_fields = ["question", "value_int", "value_bool", "value_text", "positive"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("question")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["case", "occasion", "email", "created_at", "expires_at", "responded_at"]
    list_filter = ["occasion", ("responded_at", admin.EmptyFieldListFilter)]
    search_fields = ["case__reference", "email"]
    list_select_related = ["case"]
    date_hierarchy = "created_at"
    exclude = ["token_hash"]
    inlines = [AnswerInline]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
