from django.urls import path

from .views import case_actions, cases, front, inquiry, login, mitid

app_name = "portal"

urlpatterns = [
    path("", front.front_page, name="front"),
    path("log-ind/", login.login_view, name="login"),
    path("log-ud/", login.logout_view, name="logout"),
    # MitID Erhverv through NemLog-in (SAML; stable paths, registered at NemLog-in).
    path("saml2/login/", mitid.mitid_login, name="mitid_login"),
    path("saml2/acs/", mitid.mitid_acs, name="mitid_acs"),
    path("saml2/logout/", mitid.mitid_logout, name="mitid_logout"),
    path("saml2/ls/", mitid.mitid_single_logout, name="mitid_single_logout"),
    path("saml2/metadata/", mitid.mitid_metadata, name="mitid_metadata"),
    path("virksomhed/", login.switch_business_view, name="switch_business"),
    path("henvendelse/ny/", inquiry.inquiry_new, name="inquiry_new"),
    path(
        "henvendelse/<int:draft_id>/trin/<int:step>/",
        inquiry.inquiry_step,
        name="inquiry_step",
    ),
    path("henvendelse/<int:draft_id>/tjek/", inquiry.inquiry_check, name="inquiry_check"),
    path("sager/", cases.case_list_view, name="case_list"),
    # The case page shows a refused form's errors once (case_actions._refused: PRG).
    path("sager/<str:reference>/", case_actions.case_page, name="case_detail"),
    path("sager/<str:reference>/kvittering/", cases.case_receipt, name="case_receipt"),
    path("sager/<str:reference>/svar/", case_actions.case_answers, name="case_answers"),
    path("sager/<str:reference>/dokument/", case_actions.case_document, name="case_document"),
    path(
        "sager/<str:reference>/dokumenter/<int:document_id>/",
        case_actions.case_document_download,
        name="case_document_download",
    ),
    path(
        "sager/<str:reference>/leverance/<int:deliverable_id>/",
        case_actions.case_deliver,
        name="case_deliver",
    ),
    path("sager/<str:reference>/besked/", case_actions.case_message, name="case_message"),
    path(
        "sager/<str:reference>/tilsyn/tidspunkt/",
        case_actions.case_visit_slot,
        name="case_visit_slot",
    ),
    path("sager/<str:reference>/traek-tilbage/", case_actions.case_withdraw, name="case_withdraw"),
    path("tilgaengelighed/", front.accessibility_statement, name="accessibility"),
    path("privatliv/", front.privacy, name="privacy"),
]
