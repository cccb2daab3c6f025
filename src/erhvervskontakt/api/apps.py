from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "erhvervskontakt.api"
    label = "api"
    verbose_name = "REST API"
