from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "erhvervskontakt.integrations"
    label = "integrations"
    verbose_name = "Integrationer"

    def ready(self) -> None:
        # A committed case change: record its webhooks once its events have settled.
        from erhvervskontakt.cases.announcements import CaseChanged
        from erhvervskontakt.common import announcements

        from . import checks, hooks

        announcements.subscribe(CaseChanged, hooks.case_changed)
        checks.register()
