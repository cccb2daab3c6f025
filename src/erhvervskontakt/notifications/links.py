"""Addresses the e-mails link to: paths on ``SITE_URL``.

Businesses follow their case in the portal at ``/sager/<reference>/``. The staff workbench
(a later issue) will serve ``/medarbejder/sager/<reference>/``, and the satisfaction survey
(issue 7) ``/sager/<reference>/tilfredshed/``; until then those links lead to a 404, and
they are written here, in one place, so the later issues only have to serve them.
"""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def business_case_path(reference: str) -> str:
    return f"/sager/{reference}/"


def staff_case_path(reference: str) -> str:
    return f"/medarbejder/sager/{reference}/"


def survey_path(reference: str) -> str:
    return f"/sager/{reference}/tilfredshed/"


WORKBENCH_PATH = "/medarbejder/"
