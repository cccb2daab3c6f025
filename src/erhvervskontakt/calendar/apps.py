from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "erhvervskontakt.calendar"
    label = "workcalendar"
    verbose_name = "Kalender"
