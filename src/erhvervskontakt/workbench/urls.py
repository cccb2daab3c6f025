from django.urls import include, path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("log-ind/", views.login_view, name="login"),
    path("log-ud/", views.logout_view, name="logout"),
    path("screening/", views.screening_queue_view, name="screening_queue"),
    path("screening/<str:reference>/", views.screening_view, name="screening"),
    path("screening/<str:reference>/linje/", views.screening_row_view, name="screening_row"),
    path("ny-henvendelse/", views.register_view, name="register"),
    path("mine-sager/", views.my_cases_view, name="my_cases"),
    path("afdeling/", views.inbox_view, name="inbox"),
    path("soeg/", views.search_view, name="search"),
    path("sager/<str:reference>/", views.case_view, name="case"),
    path("sager/<str:reference>/<str:action>/", views.case_action, name="case_action"),
    path("opgaver/<int:task_id>/<str:action>/", views.task_action, name="task_action"),
    path("virksomheder/<str:cvr>/", views.business_view, name="business"),
    path("tilfredshed/", include("erhvervskontakt.surveys.staff_urls")),
    path("maal/", include("erhvervskontakt.measures.staff_urls")),
    path("tilsyn/", include("erhvervskontakt.inspections.staff_urls")),
]
