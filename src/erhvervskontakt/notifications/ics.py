"""Calendar files (iCalendar, RFC 5545) attached to the e-mails about a booked visit.

Written with the ``icalendar`` package (folding at 75 octets, escaping of ``,;\\`` and line
breaks, CRLF line ends). The file is made from the booking alone — no "now" — so the
same booking always gives the same bytes: the e-mail's retries send the same file, and the
business's and the inspector's calendars receive the same event (one ``UID`` per visit; a
new time gets a higher ``SEQUENCE`` and replaces the old entry in a calendar that has it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr

import icalendar
from django.conf import settings

ICS_MIMETYPE = "text/calendar"
ICS_FILENAME = "tilsynsbesoeg.ics"


@dataclass(frozen=True)
class CalendarEvent:
    """One appointment: its identity, its window and what the calendar entry says."""

    uid: str
    sequence: int
    stamp: dt.datetime
    starts: dt.datetime
    ends: dt.datetime
    summary: str
    location: str
    description: str
    organizer_name: str
    organizer_email: str


def uid_for(kind: str, pk: int) -> str:
    """A globally unique, stable id: ``visit-12@kommune.example`` (the sender's domain)."""
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "localhost"
    return f"{kind}-{pk}@{domain}"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def event_ics(event: CalendarEvent) -> str:
    """The calendar file's text (``METHOD:PUBLISH``: an entry to add, not an invitation to
    answer). Times are in UTC, so every calendar shows them in its own zone correctly."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Erhvervskontakt//Tilsynsbesoeg//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    entry.add("uid", event.uid)
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", _utc(event.stamp))
    entry.add("dtstart", _utc(event.starts))
    entry.add("dtend", _utc(event.ends))
    entry.add("summary", event.summary)
    entry.add("location", event.location)
    entry.add("description", event.description)
    if event.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["cn"] = icalendar.vText(event.organizer_name)
        entry.add("organizer", organizer)
    entry.add("status", "CONFIRMED")
    entry.add("transp", "OPAQUE")
    calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def attachment(event: CalendarEvent) -> dict[str, str]:
    """The file as a notification stores it (``Notification.attachments``)."""
    return {"filename": ICS_FILENAME, "mimetype": ICS_MIMETYPE, "content": event_ics(event)}
