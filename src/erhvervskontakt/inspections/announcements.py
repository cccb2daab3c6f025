"""What environmental inspection announces after a change is committed
(``common.announcements``): notifications subscribes at start-up."""

from __future__ import annotations

import dataclasses

from erhvervskontakt.common.announcements import Announcement


@dataclasses.dataclass(frozen=True, kw_only=True)
class VisitReportSent(Announcement):
    """The report of visit ``visit`` was sent to the business: if the municipality surveys
    after inspections, the business is invited to the survey."""

    visit: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class VisitBooked(Announcement):
    """Visit ``visit`` was booked for the time the business chose (slot ``slot``): the
    business gets a confirmation and the inspector a notice, each with a calendar file."""

    visit: int
    slot: int
