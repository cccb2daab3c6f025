from django.apps import AppConfig


class BusinessesConfig(AppConfig):
    name = "erhvervskontakt.businesses"
    label = "businesses"
    verbose_name = "Virksomheder"
