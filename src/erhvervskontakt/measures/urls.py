from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("sagsbehandlingstider/", views.processing_times_page, name="processing_times"),
]
