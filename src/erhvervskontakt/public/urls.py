"""The public pages' URLs. Each keeps the namespace its links have always used
(``measures:``, ``inspections_public:``, ``surveys:``); the site's ``urls.py`` mounts them."""

from django.urls import path

from .views import inspection_reports, processing_times, surveys

processing_times_urls = (
    [
        path(
            "sagsbehandlingstider/", processing_times.processing_times_page, name="processing_times"
        )
    ],
    "measures",
)

inspection_reports_urls = (
    [
        path("", inspection_reports.reports_page, name="reports"),
        path("<int:visit_id>/rapport.pdf", inspection_reports.report_pdf, name="report_pdf"),
    ],
    "inspections_public",
)

survey_urls = (
    [
        path("tak/", surveys.thanks, name="thanks"),
        path("<str:token>/", surveys.respond, name="respond"),
    ],
    "surveys",
)
