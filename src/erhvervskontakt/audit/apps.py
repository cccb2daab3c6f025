from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "erhvervskontakt.audit"
    label = "audit"
    verbose_name = "Logning af opslag"
