"""Translatable names for the domain's choices, as the portal shows them.

The models keep their Danish labels (the admin and the API use them); the portal shows the
same words through gettext so that the English page reads English.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from erhvervskontakt.cases.models import CaseStatus, Deliverable
from erhvervskontakt.catalogue.models import ServiceType

GROUPS: dict[str, Promise] = {
    ServiceType.Group.START: _("Start eller flyt virksomhed"),
    ServiceType.Group.BUILD: _("Byg og ombyg"),
    ServiceType.Group.ENVIRONMENT: _("Miljø"),
    ServiceType.Group.ROAD: _("Vej og udeareal"),
    ServiceType.Group.ADVICE: _("Rådgivning"),
}

STATUSES: dict[str, Promise] = {
    CaseStatus.RECEIVED: _("Modtaget"),
    CaseStatus.IN_PROGRESS: _("Under behandling"),
    CaseStatus.AWAITING_BUSINESS: _("Afventer jer"),
    CaseStatus.ANSWERED: _("Besvaret"),
    CaseStatus.CLOSED: _("Afsluttet"),
    CaseStatus.WITHDRAWN: _("Trukket tilbage"),
}

# DKFDS badge variants; the text always says the status too (never colour alone).
STATUS_BADGES: dict[str, str] = {
    CaseStatus.RECEIVED: "badge-info",
    CaseStatus.IN_PROGRESS: "badge-info",
    CaseStatus.AWAITING_BUSINESS: "badge-warning",
    CaseStatus.ANSWERED: "badge-success",
    CaseStatus.CLOSED: "",
    CaseStatus.WITHDRAWN: "",
}

DELIVERABLE_STATUSES: dict[str, Promise] = {
    Deliverable.Status.PENDING: _("Afventer"),
    Deliverable.Status.DELIVERED: _("Leveret"),
    Deliverable.Status.WAIVED: _("Frafaldet"),
}

DELIVERABLE_BADGES: dict[str, str] = {
    Deliverable.Status.PENDING: "badge-info",
    Deliverable.Status.DELIVERED: "badge-success",
    Deliverable.Status.WAIVED: "",
}

EVENTS: dict[str, Promise] = {
    "received": _("Henvendelsen er modtaget"),
    "receipt_backdated": _("Modtaget tidligere"),
    "screened": _("Henvendelsen er screenet"),
    "coordinator_appointed": _("Tovholder udpeget"),
    "coordinator_changed": _("Ny tovholder"),
    "contact_person_changed": _("Fast kontaktperson"),
    "estimate_set": _("Forventet svardato fastsat"),
    "estimate_moved": _("Forventet svardato flyttet"),
    "delivery_plan": _("Leveranceplan lagt"),
    "task_created": _("Sendt til fagafdeling"),
    "status_changed": _("Status ændret"),
    "answer_added": _("Oplysning modtaget"),
    "answer_changed": _("Oplysning ændret"),
    "document_added": _("Dokument modtaget"),
    "deliverable_delivered": _("Leverance modtaget"),
    "fully_informed": _("Sagen er fuldt oplyst"),
    "service_target_moved": _("Servicemålsdato flyttet"),
    "message": _("Besked"),
    "answered": _("Svar givet"),
    "survey_answered": _("Tilfredshedsmåling besvaret"),
}
EVENT_FALLBACK = _("Hændelse")
