from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "erhvervskontakt.demo"
    label = "demo"
    verbose_name = "Demodata"
