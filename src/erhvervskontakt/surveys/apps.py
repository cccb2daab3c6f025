from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "erhvervskontakt.surveys"
    verbose_name = "Tilfredshedsmålinger"

    def ready(self) -> None:
        from erhvervskontakt.cases.announcements import CaseAnonymised
        from erhvervskontakt.common import announcements

        from . import hooks

        announcements.subscribe(CaseAnonymised, hooks.case_anonymised)
