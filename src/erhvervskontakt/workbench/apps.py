from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "erhvervskontakt.workbench"
    verbose_name = "Medarbejdernes arbejdsbord"
