from django.apps import AppConfig


class EstimatesConfig(AppConfig):
    name = "erhvervskontakt.estimates"
    label = "estimates"
    verbose_name = "Svardatoer lært af historikken"
