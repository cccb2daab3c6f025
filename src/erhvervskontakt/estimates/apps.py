from django.apps import AppConfig


class EstimatesConfig(AppConfig):
    name = "erhvervskontakt.estimates"
    label = "estimates"
    verbose_name = "Svardatoer lært af historikken"

    def ready(self) -> None:
        from erhvervskontakt.cases import promises
        from erhvervskontakt.cases.announcements import CaseChanged
        from erhvervskontakt.common import announcements

        from . import combinations, hooks, selectors

        # Screening asks the table the worker refreshes (cases imports nothing of this app).
        promises.register_source(selectors.type_promises)
        promises.register_combination_source(combinations.combination_promise)
        announcements.subscribe(CaseChanged, hooks.case_changed)
