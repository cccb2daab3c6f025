from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "erhvervskontakt.notifications"
    label = "notifications"
    verbose_name = "Notifikationer"

    def ready(self) -> None:
        # What the domain apps announce after commit, and the e-mails it causes.
        from erhvervskontakt.cases.announcements import CaseAnonymised, CaseChanged
        from erhvervskontakt.common import announcements
        from erhvervskontakt.inspections.announcements import VisitBooked, VisitReportSent

        from . import hooks

        announcements.subscribe(CaseChanged, hooks.case_changed)
        announcements.subscribe(VisitReportSent, hooks.visit_report_sent)
        announcements.subscribe(VisitBooked, hooks.visit_booked)
        announcements.subscribe(CaseAnonymised, hooks.case_anonymised)
