from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("tak/", views.thanks, name="thanks"),
    path("<str:token>/", views.respond, name="respond"),
]
