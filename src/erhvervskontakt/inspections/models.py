"""Environmental inspection (miljøtilsyn): the register of production units under regular
inspection, their risk assessments, the inspections done, and the stored annual plan.

Nothing here is deleted: a category change is a new register entry, a new assessment is a new
row (the newest is current), a plan item that is removed is cancelled with its reason.
Visits, slot booking and reports come later as cases of the business (service type
"Miljøtilsyn"); ``Inspection`` will then point to its case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from erhvervskontakt.businesses.models import ProductionUnit

from . import rules


class Category(models.TextChoices):
    C1A = rules.CATEGORY_1A, "1a"
    C1B = rules.CATEGORY_1B, "1b"
    C2 = rules.CATEGORY_2, "2"


class Kind(models.TextChoices):
    BASIC = rules.BASIC, "Basistilsyn"
    PRIORITISED = rules.PRIORITISED, "Prioriteret tilsyn"
    START_UP = rules.START_UP, "Opstartstilsyn"
    UNPLANNED = rules.UNPLANNED, "Ikke-planlagt tilsyn"
    CAMPAIGN = rules.CAMPAIGN, "Kampagnetilsyn"


PLANNED_KINDS = (Kind.BASIC, Kind.PRIORITISED, Kind.START_UP)


class RegisterEntry(models.Model):
    """A unit's place in the inspection register from a date: its category (1a, 1b or 2) and
    whether it needs a start-up inspection (bilag 2 / machine-shop order). The entry with the
    latest ``valid_from`` on a date is the one in force; earlier ones are the history."""

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="register_entries"
    )
    category = models.CharField("kategori", max_length=2, choices=Category.choices)
    valid_from = models.DateField("gælder fra")
    start_up_required = models.BooleanField(
        "bilag 2 / maskinværkstedsbekendtgørelsen", default=False
    )
    note = models.CharField("bemærkning", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-valid_from", "-id"]
        verbose_name = "registrering"
        verbose_name_plural = "registreringer"
        indexes = [models.Index(fields=["unit", "valid_from"], name="register_unit_from")]

    def __str__(self) -> str:
        return f"{self.unit.p_number}: kategori {self.category} fra {self.valid_from}"


class RiskAssessment(models.Model):
    """An environmental risk assessment (miljørisikovurdering): the five parameters scored 1,
    3 or 5 with a justification each, and the weighted score (``rules.weighted_score``,
    stored exactly). The newest (by date, then id) is the unit's current one."""

    SCORE_CHOICES = [(1, "1"), (3, "3"), (5, "5")]

    unit = models.ForeignKey(
        ProductionUnit, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    assessed_on = models.DateField("vurderet")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    a = models.PositiveSmallIntegerField("A miljøledelse", choices=SCORE_CHOICES)
    a_reason = models.CharField("begrundelse A", max_length=500)
    b = models.PositiveSmallIntegerField("B regelefterlevelse", choices=SCORE_CHOICES)
    b_reason = models.CharField("begrundelse B", max_length=500)
    c = models.PositiveSmallIntegerField("C kemikalier og farligt affald", choices=SCORE_CHOICES)
    c_reason = models.CharField("begrundelse C", max_length=500)
    d = models.PositiveSmallIntegerField("D emissioner", choices=SCORE_CHOICES)
    d_reason = models.CharField("begrundelse D", max_length=500)
    e = models.PositiveSmallIntegerField("E omgivelsernes sårbarhed", choices=SCORE_CHOICES)
    e_reason = models.CharField("begrundelse E", max_length=500)
    score = models.DecimalField("vægtet score", max_digits=3, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-assessed_on", "-id"]
        verbose_name = "risikovurdering"
        verbose_name_plural = "risikovurderinger"
        indexes = [models.Index(fields=["unit", "assessed_on"], name="assessment_unit_on")]

    def __str__(self) -> str:
        return f"{self.unit.p_number} {self.assessed_on}: {self.score}"


class Inspection(models.Model):
    """An inspection carried out (tilsyn). Planned kinds complete the matching plan item."""

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="inspections")
    on = models.DateField("dato")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    physical = models.BooleanField("fysisk tilsyn", default=True)
    note = models.CharField("bemærkning", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-on", "-id"]
        verbose_name = "tilsyn"
        verbose_name_plural = "tilsyn"
        indexes = [models.Index(fields=["unit", "on"], name="inspection_unit_on")]

    def __str__(self) -> str:
        return f"{self.unit.p_number} {self.on} {self.get_kind_display()}"


class InspectionPlan(models.Model):
    """The year's inspection plan (tilsynsplan), proposed by ``plan_inspections`` and
    adjusted by the inspectors."""

    year = models.PositiveSmallIntegerField("år", unique=True)
    proposed_at = models.DateTimeField("forslag beregnet")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "tilsynsplan"
        verbose_name_plural = "tilsynsplaner"

    def __str__(self) -> str:
        return f"Tilsynsplan {self.year}"


class PlanItem(models.Model):
    """One planned inspection of one unit: its kind, why it is on the plan, and its status.

    ``adjusted`` items (added, moved or cancelled by an inspector) are never changed by a new
    proposal; the others are the proposal and are recomputed by ``plan_inspections``.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planlagt"
        DONE = "done", "Udført"
        CANCELLED = "cancelled", "Annulleret"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="items")
    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="plan_items")
    category = models.CharField("kategori", max_length=2, choices=Category.choices)
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    why = models.TextField("begrundelse")
    month = models.PositiveSmallIntegerField("måned", null=True, blank=True)
    due_by = models.DateField("senest", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    adjusted = models.BooleanField("tilpasset af tilsynsmedarbejder", default=False)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "category", "kind", "unit__p_number"]
        verbose_name = "punkt i tilsynsplan"
        verbose_name_plural = "punkter i tilsynsplan"
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "kind"], name="plan_item_unique"),
        ]
        indexes = [models.Index(fields=["plan", "status"], name="plan_item_status")]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.unit.p_number} {self.get_kind_display()}"


class PlanAdjustment(models.Model):
    """The log of an inspector's change to a plan item, with the reason (required)."""

    class Action(models.TextChoices):
        ADD = "add", "Tilføjet"
        CANCEL = "cancel", "Fjernet"
        MOVE = "move", "Flyttet"

    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="adjustments")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField("begrundelse", max_length=500)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["item", "at", "id"]
        verbose_name = "tilpasning af tilsynsplan"
        verbose_name_plural = "tilpasninger af tilsynsplan"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_action_display()}: {self.text}"
