from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "erhvervskontakt.accounts"
    label = "accounts"
    verbose_name = "Brugere"
