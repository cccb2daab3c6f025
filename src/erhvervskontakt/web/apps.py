from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "erhvervskontakt.web"
    label = "web"
    verbose_name = "Sider (fælles)"
