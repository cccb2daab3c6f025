from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "erhvervskontakt.identity"
    label = "identity"
    verbose_name = "Log-in og identitet"
