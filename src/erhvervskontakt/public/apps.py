from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "erhvervskontakt.public"
    label = "public"
    verbose_name = "Offentlige sider"
