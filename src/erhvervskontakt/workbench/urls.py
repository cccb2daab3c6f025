"""The staff's URLs (``/medarbejder/``). The dashboard, the survey comments and the
inspection pages keep the nested namespaces their links have always used
(``workbench:measures_staff:``, ``workbench:surveys_staff:``, ``workbench:inspections_staff:``)."""

from django.urls import include, path

from .views import (
    business,
    case,
    case_lists,
    dashboard,
    documents,
    inspection_register,
    inspection_visits,
    login,
    register,
    screening,
    sso,
    survey_comments,
    tasks,
)

app_name = "workbench"

survey_urls = ([path("", survey_comments.staff_comments, name="comments")], "surveys_staff")

dashboard_urls = (
    [
        path("", dashboard.dashboard_view, name="dashboard"),
        path("sager/", dashboard.figure_cases_view, name="cases"),
        path("csv/<slug:table>/", dashboard.dashboard_csv, name="csv"),
    ],
    "measures_staff",
)

visit = "besoeg/<int:visit_id>/"
inspection_urls = (
    [
        path("", inspection_register.register_view, name="register"),
        path("enheder/<str:p_number>/", inspection_register.unit_view, name="unit"),
        path("plan/", inspection_register.plan_current_view, name="plan_current"),
        path("plan/<int:year>/", inspection_register.plan_view, name="plan"),
        path("besoeg/", inspection_visits.visit_list_view, name="visits"),
        path("besoeg/ny/", inspection_visits.visit_new_view, name="visit_new"),
        path(visit, inspection_visits.visit_view, name="visit"),
        path(f"{visit}tidspunkt/", inspection_visits.visit_slot_row_view, name="visit_slot_row"),
        path(f"{visit}udkast.pdf", inspection_visits.visit_report_preview, name="visit_preview"),
        path(f"{visit}rapport.pdf", inspection_visits.visit_report_sent, name="visit_report"),
        path(f"{visit}<str:action>/", inspection_visits.visit_action, name="visit_action"),
    ],
    "inspections_staff",
)

urlpatterns = [
    path("", login.home, name="home"),
    path("log-ind/", login.login_view, name="login"),
    path("log-ud/", login.logout_view, name="logout"),
    path("log-ind/entra-id/", sso.sso_start, name="sso_start"),
    path("log-ind/entra-id/svar/", sso.sso_callback, name="sso_callback"),
    path("screening/", screening.screening_queue_view, name="screening_queue"),
    path("screening/<str:reference>/", screening.screening_view, name="screening"),
    path("screening/<str:reference>/linje/", screening.screening_row_view, name="screening_row"),
    path("ny-henvendelse/", register.register_view, name="register"),
    path("mine-sager/", case_lists.my_cases_view, name="my_cases"),
    path("afdeling/", case_lists.inbox_view, name="inbox"),
    path("soeg/", case_lists.search_view, name="search"),
    path("sager/<str:reference>/", case.case_view, name="case"),
    path(
        "sager/<str:reference>/dokumenter/<int:document_id>/",
        documents.document_view,
        name="case_document",
    ),
    path("sager/<str:reference>/<str:action>/", case.case_action, name="case_action"),
    path("opgaver/<int:task_id>/<str:action>/", tasks.task_action, name="task_action"),
    path("virksomheder/<str:cvr>/", business.business_view, name="business"),
    path("tilfredshed/", include(survey_urls)),
    path("maal/", include(dashboard_urls)),
    path("tilsyn/", include(inspection_urls)),
]
