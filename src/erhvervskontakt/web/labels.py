"""Translatable names for the domain's choices and the catalogue, as the pages show them.

The models keep their Danish labels (the admin and the API use them); the pages show the
same words through gettext so that the English page reads English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from erhvervskontakt.cases.models import CaseStatus, Channel, Deliverable, Event
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.inspections.models import Enforcement, Finding, Kind, Visit

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

# What an answer promise rested on (Case.estimate_basis["basis"]; "" before promises were
# learned), as the accuracy tables name it.
PROMISE_BASES: dict[str, Promise] = {
    "history": _("Ydelsens egne sager"),
    "combination": _("Sager med de samme ydelser"),
    "group": _("Sager i ydelsens gruppe"),
    "national": _("Nationalt servicemål"),
    "fixed": _("Fast mål for svartid"),
    "": _("Før svardatoerne blev lært"),
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
    # cases the municipality opens itself: the inspection visit
    "opened": _("Sagen er oprettet"),
    "task_assigned": _("Opgave fordelt"),
    "deliverable_added": _("Leverance tilføjet"),
    "visit_created": _("Tilsynsbesøg oprettet"),
    "visit_slots_offered": _("Tidspunkter foreslået"),
    "visit_slot_chosen": _("Tidspunkt valgt"),
    "visit_time_fixed": _("Tidspunkt fastsat"),
    "visit_focus_changed": _("Tilsynets fokus ændret"),
    "visit_visited": _("Tilsyn udført"),
    "visit_finding": _("Noteret ved tilsynet"),
    "visit_enforcement": _("Påbud, forbud eller indskærpelse"),
    "visit_report_sent": _("Tilsynsrapport sendt"),
    "visit_published": _("Tilsynsrapport offentliggjort"),
    "visit_cancelled": _("Tilsynsbesøg aflyst"),
    "visit_report_draft": _("Udkast til tilsynsrapport"),
    "deliverable_changed": _("Leverance ændret"),
    "deliverable_waived": _("Leverance frafaldet"),
    "requirement_not_needed": _("Ikke nødvendigt"),
    "task_claimed": _("Opgave taget"),
    "task_done": _("Opgave færdig"),
    "task_reopened": _("Opgave genåbnet"),
    "messages_read": _("Beskeder læst"),
    "notification_sent": _("E-mail sendt"),
    "survey_invited": _("Invitation til tilfredshedsmåling"),
}
EVENT_FALLBACK = _("Hændelse")

# How a case came in. Shown in brackets after the date received, so none has brackets itself.
CHANNELS: dict[str, Promise] = {
    Channel.PORTAL: _("Selvbetjening"),
    Channel.API: _("Fagsystem via API"),
    Channel.EMAIL: _("E-mail"),
    Channel.PHONE: _("Telefon"),
    Channel.LETTER: _("Brev"),
    Channel.MEETING: _("Møde"),
    Channel.INSPECTION: _("Miljøtilsyn på kommunens initiativ"),
}

# --- inspection visits (the business's side of an environmental inspection) ---------------

INSPECTION_KINDS: dict[str, Promise] = {
    Kind.BASIC: _("Basistilsyn"),
    Kind.PRIORITISED: _("Prioriteret tilsyn"),
    Kind.START_UP: _("Opstartstilsyn"),
    Kind.UNPLANNED: _("Ikke-planlagt tilsyn"),
    Kind.CAMPAIGN: _("Kampagnetilsyn"),
}

# How a visit reads beside the case's status in "Mine sager" and on the case page.
VISIT_STATUSES: dict[str, Promise] = {
    Visit.Status.PLANNED: _("Tilsynsbesøg – tidspunkt følger"),
    Visit.Status.OFFERED: _("Tilsynsbesøg – vælg et tidspunkt"),
    Visit.Status.BOOKED: _("Tilsynsbesøg – tid aftalt"),
    Visit.Status.VISITED: _("Tilsynsbesøg – rapport følger"),
    Visit.Status.REPORTED: _("Tilsynsbesøg – rapport sendt"),
    Visit.Status.PUBLISHED: _("Tilsynsbesøg – rapport offentliggjort"),
    Visit.Status.CANCELLED: _("Tilsynsbesøg – aflyst"),
}

FINDING_KINDS: dict[str, Promise] = {
    Finding.Kind.OBSERVATION: _("Observationer"),
    Finding.Kind.ADVICE: _("Rådgivning"),
    Finding.Kind.AGREEMENT: _("Aftalte løsninger"),
}

ENFORCEMENT_KINDS: dict[str, Promise] = {
    Enforcement.Kind.ORDER: _("Påbud"),
    Enforcement.Kind.BAN: _("Forbud"),
    Enforcement.Kind.WARNING: _("Indskærpelse"),
}


# --- the catalogue and answers in the page's language ----------------------------------------


def answer_input_value(value: Any) -> str:
    """A stored answer as it goes back into its input field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        shown = f"{value:g}"
        return shown.replace(".", ",") if (get_language() or "da").startswith("da") else shown
    return str(value)


def localized(danish: str, english: str) -> str:
    """The English wording when the page is English and the catalogue has one."""
    if english and (get_language() or "da").startswith("en"):
        return english
    return danish


def requirement_label(requirement: Requirement) -> str:
    return localized(requirement.label, requirement.label_en)


def service_type_name(service_type: ServiceType) -> str:
    return localized(service_type.name, service_type.name_en)


def service_type_description(service_type: ServiceType) -> str:
    return localized(service_type.description, service_type.description_en)


def choice_label(choice: dict[str, Any]) -> str:
    """A choice of a requirement (``{"value", "label", "label_en"}``) in the page's language."""
    danish = str(choice.get("label") or choice.get("value") or "")
    return localized(danish, str(choice.get("label_en") or ""))


# --- the business's case history -----------------------------------------------------------


def business_history_line(event: Event) -> str:
    """What the business reads for a timeline entry, in the page's language.

    The Danish line is stored (``Event.business_text``); an entry written with a message id
    and arguments (``cases.services.core.business_line``) is translated here, its dates
    written as the page's language writes them. An entry that cannot be rendered so (an
    argument missing from a translation) falls back to the Danish line.
    """
    kept = event.business_data if isinstance(event.business_data, dict) else None
    if not kept or (get_language() or "da").startswith("da"):
        return event.business_text
    try:
        args = dict(kept["args"])
        for key in kept.get("dates", []):
            args[key] = date_format(dt.date.fromisoformat(args[key]), gettext("j. F Y"))
        return gettext(kept["msgid"]) % args
    except (KeyError, TypeError, ValueError):
        return event.business_text
