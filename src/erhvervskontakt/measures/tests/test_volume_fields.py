"""The volume loader (``manage.py load_volume``) writes the measurement columns as the
services would: the migration's backfill, run over the loaded cases, changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from erhvervskontakt.cases.models import Case, CaseStatus

from .test_case_fields import MEASURED, MEMBERSHIP, run_backfills

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


@pytest.mark.parametrize("method", ["sql", "copy"])
def test_loaded_cases_carry_the_values_the_services_would_store(demo_settings, method):
    if method == "copy" and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL only")
    call_command("load_volume", cases=300, method=method, stdout=StringIO(), verbosity=0)
    loaded = {row["id"]: row for row in Case.objects.values("id", *MEASURED, *MEMBERSHIP)}
    answered = Case.objects.filter(status__in=[CaseStatus.ANSWERED, CaseStatus.CLOSED])
    # Realistic variety: some answers late, some early, some screenings late.
    assert answered.filter(estimate_deviation_working_days__gt=0).exists()
    assert answered.filter(estimate_deviation_working_days__lt=0).exists()
    assert answered.filter(service_target_met=True).exists()
    assert Case.objects.filter(screening_working_days__gt=5).exists()
    assert not answered.filter(answer_working_days__isnull=True).exists()

    assert not Case.objects.filter(department_ids="").exists()
    Case.objects.update(**dict.fromkeys(MEASURED), department_ids="", service_type_ids="")
    run_backfills()

    assert {row["id"]: row for row in Case.objects.values("id", *MEASURED, *MEMBERSHIP)} == loaded
