"""Addresses the e-mails link to: paths on ``SITE_URL``.

Businesses follow their case in the portal, staff in the workbench (both reversed from their
URL names, so a moved page moves its links). The satisfaction survey (issue 7) will serve
``/sager/<reference>/tilfredshed/``; until then that link leads to a 404, and it is written
here, in one place, so that issue only has to serve it.
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


def survey_path(reference: str) -> str:
    return f"/sager/{reference}/tilfredshed/"


def workbench_path() -> str:
    return reverse("workbench:home")
