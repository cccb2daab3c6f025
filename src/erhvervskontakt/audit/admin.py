"""The read log in the administration: read only (nobody adds, changes or deletes a row),
searchable by CVR number and e-mail, and the access request's CSV for one business or
person from the rows chosen. Looking at the log here is not itself logged."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .export import lookups_csv
from .models import PersonalDataRead
from .selectors import personal_data_lookups_of_business, personal_data_lookups_of_person


def _download(
    modeladmin: admin.ModelAdmin[PersonalDataRead],
    request: HttpRequest,
    queryset: QuerySet[PersonalDataRead],
    *,
    with_staff: bool,
) -> HttpResponse | None:
    """The CSV for the one business (else the one person) all the chosen rows are about."""
    cvrs = set(queryset.exclude(business=None).values_list("business__cvr", flat=True))
    people = set(queryset.exclude(person="").values_list("person", flat=True))
    if len(cvrs) == 1:
        (cvr,) = cvrs
        body = lookups_csv(
            personal_data_lookups_of_business(cvr=cvr, with_staff=with_staff),
            with_staff=with_staff,
        )
        name = f"opslag_cvr_{cvr}.csv"
    elif not cvrs and len(people) == 1:
        (person,) = people
        body = lookups_csv(
            personal_data_lookups_of_person(email=person, with_staff=with_staff),
            with_staff=with_staff,
        )
        name = "opslag_person.csv"
    else:
        modeladmin.message_user(
            request,
            "Vælg rækker om én virksomhed eller én person (søg på CVR-nummer eller e-mail, "
            "og vælg alle).",
            level=messages.ERROR,
        )
        return None
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.action(description="Hent opslag til indsigt (CSV, uden medarbejdere)", permissions=["view"])
def download_lookups(
    modeladmin: admin.ModelAdmin[PersonalDataRead],
    request: HttpRequest,
    queryset: QuerySet[PersonalDataRead],
) -> HttpResponse | None:
    return _download(modeladmin, request, queryset, with_staff=False)


@admin.action(description="Hent opslag til indsigt (CSV, med medarbejdere)", permissions=["view"])
def download_lookups_with_staff(
    modeladmin: admin.ModelAdmin[PersonalDataRead],
    request: HttpRequest,
    queryset: QuerySet[PersonalDataRead],
) -> HttpResponse | None:
    return _download(modeladmin, request, queryset, with_staff=True)


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(admin.ModelAdmin[PersonalDataRead]):
    list_display = ["at", "user", "use", "purpose", "business", "case", "person", "criterion"]
    list_filter = ["use", "purpose", "at"]
    search_fields = ["business__cvr", "=person", "case__reference"]
    list_select_related = ["user", "business", "case"]
    date_hierarchy = "at"
    actions = [download_lookups, download_lookups_with_staff]
    show_full_result_count = False  # a COUNT over months of reads on every page is wasted

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PersonalDataRead | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PersonalDataRead | None = None
    ) -> bool:
        return False
