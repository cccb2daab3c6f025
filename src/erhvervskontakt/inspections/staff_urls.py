"""The inspectors' pages, under the workbench (``/medarbejder/tilsyn/``)."""

from django.urls import path

from . import views

app_name = "inspections_staff"

urlpatterns = [
    path("", views.register_view, name="register"),
    path("enheder/<str:p_number>/", views.unit_view, name="unit"),
    path("plan/", views.plan_current_view, name="plan_current"),
    path("plan/<int:year>/", views.plan_view, name="plan"),
]
