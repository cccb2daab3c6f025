from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "erhvervskontakt.inspections"
    verbose_name = "Miljøtilsyn"
