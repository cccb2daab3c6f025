from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "erhvervskontakt.catalogue"
    label = "catalogue"
    verbose_name = "Ydelseskatalog"
