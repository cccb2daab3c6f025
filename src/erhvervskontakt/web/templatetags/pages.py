"""Template helpers for the portal: icons, Danish/English dates, the domain's labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.rules import UNKNOWN as UNKNOWN_ANSWER
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.web import labels
from erhvervskontakt.web.labels import answer_input_value, requirement_label, service_type_name

register = template.Library()


class HasFieldErrors(Protocol):
    """A form's errors by field id (``portal.forms.FormErrors``)."""

    def get(self, field_id: str) -> str: ...


@register.simple_tag
def icon(name: str, label: str = "", classes: str = "") -> SafeString:
    """A DKFDS icon from the sprite; decorative unless it has a label."""
    href = f"{static('vendor/dkfds/img/all-svg-icons.svg')}#{name}"
    css = f"icon-svg {classes}".strip()
    if label:
        return format_html(
            '<svg class="{}" focusable="false" role="img" aria-label="{}"><use href="{}"></use></svg>',
            css,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}"></use></svg>',
        css,
        href,
    )


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """``3. december 2026`` / ``3 December 2026``."""
    if not value:
        return ""
    return date_format(_as_date(value), _("j. F Y"))


@register.filter
def weekday_date(value: dt.date | dt.datetime | None) -> str:
    """``torsdag den 3. december 2026`` / ``Thursday 3 December 2026``."""
    if not value:
        return ""
    return date_format(_as_date(value), _(r"l \d\e\n j. F Y"))


@register.filter
def date_time(value: dt.datetime | None) -> str:
    """``3. december 2026 kl. 10.15`` in the municipality's time zone."""
    if not value:
        return ""
    return date_format(timezone.localtime(value), _(r"j. F Y \k\l. H.i"))


@register.filter
def iso_date(value: dt.date | dt.datetime | None) -> str:
    return _as_date(value).isoformat() if value else ""


@register.filter
def status_label(status: str) -> str:
    return str(labels.STATUSES.get(status, status))


@register.filter
def status_badge(status: str) -> str:
    return labels.STATUS_BADGES.get(status, "")


@register.filter
def deliverable_label(status: str) -> str:
    return str(labels.DELIVERABLE_STATUSES.get(status, status))


@register.filter
def deliverable_badge(status: str) -> str:
    return labels.DELIVERABLE_BADGES.get(status, "")


@register.filter
def is_overdue(deliverable: Deliverable) -> bool:
    return deliverable.is_overdue(clock.today())


@register.filter
def business_line(event: Any) -> str:
    """The business's line of a timeline entry, in the page's language."""
    return labels.business_history_line(event)


@register.filter
def event_title(kind: str) -> str:
    return str(labels.EVENTS.get(kind, labels.EVENT_FALLBACK))


@register.filter
def group_label(group: str) -> str:
    return str(labels.GROUPS.get(group, group))


@register.filter
def st_name(service_type: ServiceType) -> str:
    return service_type_name(service_type)


@register.filter
def req_label(requirement: Requirement) -> str:
    return requirement_label(requirement)


@register.filter
def st_description(service_type: ServiceType) -> str:
    return labels.service_type_description(service_type)


@register.filter
def channel_label(channel: str) -> str:
    return str(labels.CHANNELS.get(channel, channel))


@register.filter
def initials(name: str) -> str:
    """``Karen Kofoed`` → ``KK`` (the photo placeholder)."""
    parts = [part for part in (name or "").replace("-", " ").split() if part[:1].isalpha()]
    if not parts:
        return "?"
    picked = parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")
    return picked.upper()


@register.filter
def get(mapping: Mapping[str, Any] | HasFieldErrors | None, key: str) -> Any:
    """``values|get:"krav-areal"``; on the portal's FormErrors, the error at that field."""
    if not mapping:
        return ""
    if isinstance(mapping, Mapping):
        return mapping.get(key, "")
    return mapping.get(key)


@register.filter
def answer_display(value: Any, requirement: Requirement | None = None) -> str:
    """A stored answer as a person reads it: Ja/Nej, a date, a choice's label, a number."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if requirement is not None:
        if requirement.may_be_unknown and value == UNKNOWN_ANSWER:
            return _("Ved ikke – kommunen afklarer det med jer")
        if requirement.value_type == Requirement.Type.DATE:
            try:
                return long_date(dt.date.fromisoformat(str(value)))
            except ValueError:
                return str(value)
        if requirement.value_type == Requirement.Type.CHOICE:
            for choice in requirement.choices:
                if isinstance(choice, dict) and str(choice.get("value")) == str(value):
                    return labels.choice_label(choice)
    if isinstance(value, float):
        return answer_input_value(value)
    return str(value)


@register.simple_tag
def municipality_settings() -> Any:
    """For pages Django renders itself (404, CSRF failure) without the portal's context."""
    from erhvervskontakt.catalogue.selectors import municipality

    return municipality()
