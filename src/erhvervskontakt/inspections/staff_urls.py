"""The inspectors' pages, under the workbench (``/medarbejder/tilsyn/``)."""

from django.urls import path

from . import views

app_name = "inspections_staff"

urlpatterns = [
    path("", views.register_view, name="register"),
    path("enheder/<str:p_number>/", views.unit_view, name="unit"),
    path("plan/", views.plan_current_view, name="plan_current"),
    path("plan/<int:year>/", views.plan_view, name="plan"),
    path("besoeg/", views.visit_list_view, name="visits"),
    path("besoeg/ny/", views.visit_new_view, name="visit_new"),
    path("besoeg/<int:visit_id>/", views.visit_view, name="visit"),
    path("besoeg/<int:visit_id>/tidspunkt/", views.visit_slot_row_view, name="visit_slot_row"),
    path("besoeg/<int:visit_id>/udkast.pdf", views.visit_report_preview, name="visit_preview"),
    path("besoeg/<int:visit_id>/rapport.pdf", views.visit_report_sent, name="visit_report"),
    path("besoeg/<int:visit_id>/<str:action>/", views.visit_action, name="visit_action"),
]
