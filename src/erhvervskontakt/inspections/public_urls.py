"""Public pages of environmental inspection (no login): the published inspection reports."""

from django.urls import path

from . import public_views

app_name = "inspections_public"

urlpatterns = [
    path("", public_views.reports_page, name="reports"),
    path("<int:visit_id>/rapport.pdf", public_views.report_pdf, name="report_pdf"),
]
