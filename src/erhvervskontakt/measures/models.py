"""What the municipality aims for on the promise dashboard (issue 14, item 11).

The municipality's promises are in days (``catalogue.Municipality``: screening within 5
working days; the answer date given at screening; the national service targets per service
type), but not how often it means to keep them. A :class:`Target` is that share, one per KPI,
set by an administrator; the dashboard shows each figure beside it with a verdict.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models


class Kpi(models.TextChoices):
    """The dashboard's figures that are a share and so can have a target."""

    SCREENING = "screening", "Screenet inden for fristen"
    ANSWERS = "answers", "Svar senest den lovede dato"
    SERVICE_TARGETS = "service_targets", "Nationale servicemål overholdt"
    SATISFACTION = "satisfaction", "Tilfredse virksomheder"


# What a new installation starts with (migration 0001 writes them; an administrator changes
# them in the admin). The promises are meant to be kept, so the targets are high.
DEFAULT_TARGETS: dict[str, int] = {
    Kpi.SCREENING: 95,
    Kpi.ANSWERS: 90,
    Kpi.SERVICE_TARGETS: 90,
    Kpi.SATISFACTION: 80,
}


class Target(models.Model):
    """The share of a KPI the municipality aims for (mål), in whole per cent."""

    kpi = models.CharField("nøgletal", max_length=30, choices=Kpi.choices, unique=True)
    percent = models.PositiveSmallIntegerField(
        "mål (procent)",
        validators=[MaxValueValidator(100)],
        help_text="Andelen, kommunen sigter efter, fx 95 for 95 %.",
    )

    class Meta:
        verbose_name = "mål for nøgletal"
        verbose_name_plural = "mål for nøgletal"
        ordering = ["kpi"]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()}: {self.percent} %"
