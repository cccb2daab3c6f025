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
        COMBINATION = "combination", "Sager med samme ydelser"

    # One service type's promise; or, with ``combination`` instead, the promise of the cases
    # that ask for exactly those service types together (learned only where they have a
    # history of their own).
    service_type = models.ForeignKey(
        "catalogue.ServiceType",
        verbose_name="ydelse",
        on_delete=models.PROTECT,
        related_name="promise_estimates",
        null=True,
        blank=True,
    )
    combination = models.CharField("ydelser sammen (id'er)", max_length=500, blank=True, default="")
    computed_at = models.DateTimeField("beregnet")
    as_of = models.DateField("historik til og med")
    working_days = models.PositiveSmallIntegerField("lovet svartid (arbejdsdage)")
    basis = models.CharField("grundlag", max_length=12, choices=Basis.choices)
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
    # The Kaplan–Meier step function that set a learned promise (``SurvivalCurve.to_json``,
    # with ``sample``: "history" or "group", and its ``window_months``: the recent months'
    # curve where it lengthened the promise), so a case can be re-estimated at its age
    # without a fit in the request; empty for the national and fixed targets.
    curve = models.JSONField("overlevelseskurve", default=dict, blank=True)

    class Meta:
        verbose_name = "lært svartid"
        verbose_name_plural = "lærte svartider"
        ordering = ["service_type", "-computed_at"]
        indexes = [
            models.Index(fields=["service_type", "-computed_at"], name="promise_latest"),
            models.Index(
                fields=["combination", "-computed_at"],
                name="promise_combination_latest",
                condition=~models.Q(combination=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(service_type__isnull=False) & models.Q(combination=""))
                | (models.Q(service_type__isnull=True) & ~models.Q(combination="")),
                name="promise_for_a_type_or_a_combination",
            ),
        ]

    def __str__(self) -> str:
        subject = self.service_type_id or self.combination
        return f"{subject}: {self.working_days} arbejdsdage ({self.basis})"
