from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "erhvervskontakt.cases"
    label = "cases"
    verbose_name = "Sager"
