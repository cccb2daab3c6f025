"""The staff's survey pages, under the workbench (``/medarbejder/tilfredshed/``)."""

from django.urls import path

from . import views

app_name = "surveys_staff"

urlpatterns = [
    path("", views.staff_comments, name="comments"),
]
