from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "erhvervskontakt.notifications"
    label = "notifications"
    verbose_name = "Notifikationer"
