from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "erhvervskontakt.surveys"
    verbose_name = "Tilfredshedsmålinger"
