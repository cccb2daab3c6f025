"""Addresses the e-mails link to: paths on ``SITE_URL``.

Businesses follow their case in the portal, staff in the workbench (both reversed from their
URL names, so a moved page moves its links). The satisfaction survey is answered without a
login at ``/tilfredshed/<token>/``, the one-time token of its invitation.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def business_case_path(reference: str) -> str:
    return reverse("portal:case_detail", args=[reference])


def staff_case_path(reference: str) -> str:
    return reverse("workbench:case", args=[reference])


def survey_path(token: str) -> str:
    return reverse("surveys:respond", args=[token])


def workbench_path() -> str:
    return reverse("workbench:home")


def visit_path(visit_id: int) -> str:
    """The inspection visit's page in the workbench (report, clocks, findings)."""
    return reverse("workbench:inspections_staff:visit", args=[visit_id])
