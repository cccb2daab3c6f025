from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("log-ind/", views.login_view, name="login"),
    path("log-ud/", views.logout_view, name="logout"),
    path("virksomhed/", views.switch_business_view, name="switch_business"),
    path("henvendelse/ny/", views.inquiry_new, name="inquiry_new"),
    path(
        "henvendelse/<int:draft_id>/trin/<int:step>/",
        views.inquiry_step,
        name="inquiry_step",
    ),
    path("henvendelse/<int:draft_id>/tjek/", views.inquiry_check, name="inquiry_check"),
    path("sager/", views.case_list_view, name="case_list"),
    path("sager/<str:reference>/", views.case_detail, name="case_detail"),
    path("sager/<str:reference>/kvittering/", views.case_receipt, name="case_receipt"),
    path("sager/<str:reference>/svar/", views.case_answers, name="case_answers"),
    path("sager/<str:reference>/dokument/", views.case_document, name="case_document"),
    path(
        "sager/<str:reference>/dokumenter/<int:document_id>/",
        views.case_document_download,
        name="case_document_download",
    ),
    path("sager/<str:reference>/besked/", views.case_message, name="case_message"),
    path("sager/<str:reference>/tilsyn/tidspunkt/", views.case_visit_slot, name="case_visit_slot"),
    path("sager/<str:reference>/traek-tilbage/", views.case_withdraw, name="case_withdraw"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("privatliv/", views.privacy, name="privacy"),
]
