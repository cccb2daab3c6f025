from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "erhvervskontakt.portal"
    label = "portal"
    verbose_name = "Selvbetjening for virksomheder"
