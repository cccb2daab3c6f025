from django.urls import path

from . import staff_views

app_name = "measures_staff"

urlpatterns = [
    path("", staff_views.dashboard_view, name="dashboard"),
    path("sager/", staff_views.figure_cases_view, name="cases"),
    path("csv/<slug:table>/", staff_views.dashboard_csv, name="csv"),
]
