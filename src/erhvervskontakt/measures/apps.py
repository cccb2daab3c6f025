from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "erhvervskontakt.measures"
    verbose_name = "Målinger"
