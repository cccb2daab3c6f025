"""Environmental inspection (miljøtilsyn): the register of production units under regular
inspection, their risk assessments, the inspections done, and the stored annual plan.

Nothing here is deleted: a category change is a new register entry, a new assessment is a new
row (the newest is current), a plan item that is removed is cancelled with its reason.
Visits (slot booking, findings, enforcement, the report on time) are cases of the business
(service type "Miljøtilsyn"): ``Visit`` links the case, the unit and, once carried out, the
``Inspection`` it became.
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


# --- visits: the inspection as a case of the business ---------------------------------------


class Visit(models.Model):
    """An inspection carried out as a dialogue with the business (tilsynsbesøg).

    It is a case of the business (service type ``miljoetilsyn``, channel ``inspection``) with
    the inspector as the caseworker and the business's fixed contact person as coordinator,
    so it sits beside the business's other matters in the portal and the workbench. The
    business is offered time slots and picks one (or the inspector fixes the date) and sees
    beforehand what will be looked at (``focus``). After the visit the inspector records
    findings — observations, advice and agreed solutions (each agreed solution is a line on
    the business's side of the delivery plan) — and formal enforcement separately; the
    visit is then recorded as an ``Inspection`` (the register and the plan count it).
    Two clocks run from the visit: the report to the business within 2 months and its
    publication within 4 months.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Oprettet"
        OFFERED = "offered", "Tider tilbudt"
        BOOKED = "booked", "Tid aftalt"
        VISITED = "visited", "Tilsyn udført"
        REPORTED = "reported", "Rapport sendt"
        PUBLISHED = "published", "Rapport offentliggjort"
        CANCELLED = "cancelled", "Aflyst"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="visit")
    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    physical = models.BooleanField("fysisk tilsyn", default=True)
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_visits"
    )
    focus = models.TextField("det ser vi på")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    visit_at = models.DateTimeField("tidspunkt for besøget", null=True, blank=True)
    visited_on = models.DateField("tilsynsdato", null=True, blank=True)
    # report content beyond the findings (minimum content of the inspection report)
    self_monitoring = models.TextField("konklusion på egenkontrol", blank=True)
    follows_up = models.BooleanField(
        "virksomheden følger op", null=True, blank=True,
        help_text="Om virksomheden har fulgt op på tidligere håndhævelser og aftaler.",
    )  # fmt: skip
    conclusion = models.TextField("samlet konklusion", blank=True)
    # the clocks and the report
    report_due = models.DateField("rapport senest", null=True, blank=True)
    publish_due = models.DateField("offentliggørelse senest", null=True, blank=True)
    report_sent_on = models.DateField("rapport sendt", null=True, blank=True)
    report_document = models.ForeignKey(
        "cases.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField("offentliggjort", null=True, blank=True)
    inspection = models.OneToOneField(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="visit"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "tilsynsbesøg"
        verbose_name_plural = "tilsynsbesøg"
        indexes = [
            models.Index(fields=["status", "report_due"], name="visit_status_report_due"),
            models.Index(fields=["published_on"], name="visit_published"),
            models.Index(fields=["unit", "created_at"], name="visit_unit_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.p_number} ({self.get_status_display()})"


# A visit carried out: its findings, enforcement and report exist from here on.
AFTER_VISIT = (Visit.Status.VISITED, Visit.Status.REPORTED, Visit.Status.PUBLISHED)


class VisitSlot(models.Model):
    """A time offered to the business for the visit; it picks one (``chosen``)."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Tilbudt"
        CHOSEN = "chosen", "Valgt"
        WITHDRAWN = "withdrawn", "Trukket tilbage"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField("starter")
    ends_at = models.DateTimeField("slutter")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visit", "starts_at", "id"]
        verbose_name = "tidspunkt"
        verbose_name_plural = "tidspunkter"

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} ({self.status})"


class Finding(models.Model):
    """What the inspector recorded at the visit: an observation, advice given, or a solution
    agreed with the business. An agreed solution is also a line on the business's side of
    the delivery plan (``deliverable``), so its due date is followed up by the reminders."""

    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation"
        ADVICE = "advice", "Rådgivning"
        AGREEMENT = "agreement", "Aftalt løsning"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    text = models.TextField("tekst")
    deliverable = models.OneToOneField(
        "cases.Deliverable", null=True, blank=True, on_delete=models.PROTECT, related_name="finding"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visit", "created_at", "id"]
        verbose_name = "konstatering"
        verbose_name_plural = "konstateringer"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Enforcement(models.Model):
    """Formal enforcement issued at or after the visit, kept apart from the dialogue:
    an order (påbud), a ban (forbud) or a warning (indskærpelse)."""

    class Kind(models.TextChoices):
        ORDER = "order", "Påbud"
        BAN = "ban", "Forbud"
        WARNING = "warning", "Indskærpelse"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="enforcements")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    text = models.TextField("forholdet og kravet")
    legal_basis = models.CharField("hjemmel", max_length=250)
    deadline = models.DateField("frist", null=True, blank=True)
    issued_on = models.DateField("meddelt")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visit", "issued_on", "id"]
        verbose_name = "håndhævelse"
        verbose_name_plural = "håndhævelser"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_on}: {self.text[:60]}"
