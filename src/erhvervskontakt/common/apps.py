from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "erhvervskontakt.common"
    label = "common"
    verbose_name = "Fælles"
