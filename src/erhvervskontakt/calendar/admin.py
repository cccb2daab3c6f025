from django.contrib import admin

from .models import ClosingDay


@admin.register(ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "recurring"]
    list_filter = ["recurring"]
    search_fields = ["name"]
