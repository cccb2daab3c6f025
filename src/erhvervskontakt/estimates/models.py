from __future__ import annotations

from django.db import models


class PromiseEstimate(models.Model):
    """What the history says a service type's cases can be promised, as of one refresh.

    Written by the worker (``services.promise_estimates_refresh``), read by screening and the
    portal, so no request fits a model. A refresh adds rows and never changes old ones: the
    latest row per service type is the one in force, the older ones show how it moved.
    """

    class Basis(models.TextChoices):
        HISTORY = "history", "Ydelsens egne sager"
        GROUP = "group", "Sager i ydelsens gruppe"
        NATIONAL = "national", "Nationalt servicemål"
        FIXED = "fixed", "Fast mål for svartid"

    service_type = models.ForeignKey(
        "catalogue.ServiceType",
        verbose_name="ydelse",
        on_delete=models.PROTECT,
        related_name="promise_estimates",
    )
    computed_at = models.DateTimeField("beregnet")
    as_of = models.DateField("historik til og med")
    working_days = models.PositiveSmallIntegerField("lovet svartid (arbejdsdage)")
    basis = models.CharField("grundlag", max_length=10, choices=Basis.choices)
    confidence = models.FloatField("lovet andel")
    # The miss rate the promise was made at after the drift correction (1 - confidence when
    # the matured promises gave no reason to correct).
    miss_rate = models.FloatField("rettet andel for sent")
    window_months = models.PositiveSmallIntegerField("vindue (måneder)", default=0)
    cases = models.PositiveIntegerField("sager i grundlaget", default=0)
    answered = models.PositiveIntegerField("besvarede i grundlaget", default=0)
    p50 = models.PositiveSmallIntegerField("P50 (arbejdsdage)", null=True, blank=True)
    p90 = models.PositiveSmallIntegerField("P90 (arbejdsdage)", null=True, blank=True)
    matured = models.PositiveIntegerField("modne løfter", default=0)
    kept = models.PositiveIntegerField("holdte løfter", default=0)

    class Meta:
        verbose_name = "lært svartid"
        verbose_name_plural = "lærte svartider"
        ordering = ["service_type", "-computed_at"]
        indexes = [
            models.Index(fields=["service_type", "-computed_at"], name="promise_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id}: {self.working_days} arbejdsdage ({self.basis})"
