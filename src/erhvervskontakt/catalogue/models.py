from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Municipality(models.Model):
    """The municipality's own settings (one row): its promises, in working days."""

    name = models.CharField("kommune", max_length=100, default="Demo Kommune")
    screening_working_days = models.PositiveSmallIntegerField(
        "screening senest (arbejdsdage)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    business_deliverable_working_days = models.PositiveSmallIntegerField(
        "frist for manglende materiale (arbejdsdage)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    deliverable_reminder_working_days = models.PositiveSmallIntegerField(
        "påmind om leverancer (arbejdsdage før fristen)",
        default=2,
        validators=[MaxValueValidator(30)],
        help_text="0: påmind på selve dagen for fristen.",
    )
    estimate_risk_working_days = models.PositiveSmallIntegerField(
        "svardato i fare (arbejdsdage før, med åben opgave)",
        default=5,
        validators=[MaxValueValidator(60)],
    )
    email = models.EmailField(
        "e-mail",
        blank=True,
        help_text="Får eskaleringer, hvis ingen medarbejder er markeret som enhedsleder.",
    )
    phone = models.CharField("telefon", max_length=30, blank=True)
    survey_valid_days = models.PositiveSmallIntegerField(
        "link til tilfredshedsmåling gælder (dage)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Linket kan bruges til og med så mange kalenderdage efter, det er sendt.",
    )
    survey_after_inspection = models.BooleanField(
        "tilfredshedsmåling efter tilsynsbesøg",
        default=True,
        help_text="Virksomheden får også et link til tilfredshedsmålingen efter et tilsynsbesøg.",
    )

    class SurveyFollowUp(models.TextChoices):
        HEAD_OF_UNIT = "head_of_unit", "Enhedslederen for tovholderens afdeling"
        COORDINATOR = "coordinator", "Tovholderen selv"
        NONE = "none", "Ingen opfølgningsopgave"

    survey_follow_up = models.CharField(
        "opfølgning på utilfreds svar",
        max_length=20,
        choices=SurveyFollowUp.choices,
        default=SurveyFollowUp.HEAD_OF_UNIT,
        help_text="Hvem får en opgave, når en virksomhed samlet set er utilfreds.",
    )
    retention_enabled = models.BooleanField(
        "anonymisér efter opbevaringsfristen",
        default=False,
        help_text=(
            "Til: kontaktpersonens personoplysninger i afsluttede og tilbagetrukne sager "
            "anonymiseres, når ydelsernes opbevaringsfrist er udløbet (kommandoen "
            "apply_retention og den daglige kørsel). Sagen, dens dokumenter og tidslinje "
            "bevares. Sæt først fristerne på ydelserne efter arkivmyndighedens regler."
        ),
    )

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommune"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.pk = 1  # a single row
        super().save(*args, **kwargs)


class Department(models.Model):
    """A unit of the municipality that owns service types and handles tasks (afdeling)."""

    code = models.SlugField("kode", max_length=40, unique=True)
    name = models.CharField("navn", max_length=100)
    email = models.EmailField("e-mail", blank=True)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "afdeling"
        verbose_name_plural = "afdelinger"

    def __str__(self) -> str:
        return self.name


class ServiceType(models.Model):
    """One kind of matter in the public catalogue (ydelse)."""

    class Group(models.TextChoices):
        START = "start", "Start eller flyt virksomhed"
        BUILD = "build", "Byg og ombyg"
        ENVIRONMENT = "environment", "Miljø"
        ROAD = "road", "Vej og udeareal"
        ADVICE = "advice", "Rådgivning"

    code = models.SlugField("kode", max_length=60, unique=True)
    name = models.CharField("navn", max_length=150)
    name_en = models.CharField("navn (engelsk)", max_length=150, blank=True)
    description = models.TextField("beskrivelse", blank=True)
    description_en = models.TextField(
        "beskrivelse (engelsk)",
        blank=True,
        help_text="Vises på de engelske sider; tom: den danske.",
    )
    group = models.CharField("gruppe", max_length=20, choices=Group.choices)
    department = models.ForeignKey(
        Department, verbose_name="afdeling", on_delete=models.PROTECT, related_name="service_types"
    )
    target_working_days = models.PositiveSmallIntegerField(
        "mål for svartid (arbejdsdage)", validators=[MinValueValidator(1), MaxValueValidator(400)]
    )
    service_target_days = models.PositiveSmallIntegerField(
        "nationalt servicemål (kalenderdage)",
        null=True,
        blank=True,
        help_text="Kalenderdage fra sagen er fuldt oplyst til afgørelse, ventetid fratrukket.",
    )
    kle_code = models.CharField("KLE-nummer", max_length=20, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        "opbevaringsfrist (år efter afslutning)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "Så mange år efter, at en sag er afsluttet eller trukket tilbage, anonymiseres "
            "kontaktpersonens personoplysninger. Har en sag flere ydelser, gælder den længste "
            "frist. Tom: ingen regel – sager med denne ydelse anonymiseres aldrig."
        ),
    )
    active = models.BooleanField("aktiv", default=True)
    requestable = models.BooleanField(
        "kan vælges i henvendelser",
        default=True,
        help_text="Fra: sager kommunen selv opretter, fx miljøtilsyn; vises ikke i portalen.",
    )
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "ydelse"
        verbose_name_plural = "ydelser"

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """One piece of information or one document a service type needs (krav).

    The same ``key`` on two service types is the same question: it is asked once and one
    answer satisfies both.
    """

    class Kind(models.TextChoices):
        FIELD = "field", "Oplysning"
        DOCUMENT = "document", "Dokument"

    class Type(models.TextChoices):
        TEXT = "text", "Tekst"
        NUMBER = "number", "Tal"
        DATE = "date", "Dato"
        BOOLEAN = "boolean", "Ja/nej"
        CHOICE = "choice", "Valg"

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, related_name="requirements"
    )
    key = models.SlugField("nøgle", max_length=60)
    label = models.CharField("spørgsmål", max_length=200)
    label_en = models.CharField("spørgsmål (engelsk)", max_length=200, blank=True)
    help_text = models.CharField("hjælpetekst", max_length=500, blank=True)
    kind = models.CharField("art", max_length=10, choices=Kind.choices, default=Kind.FIELD)
    value_type = models.CharField("type", max_length=10, choices=Type.choices, default=Type.TEXT)
    choices = models.JSONField(
        "valgmuligheder",
        default=list,
        blank=True,
        help_text=(
            'Til typen "valg": [{"value": "...", "label": "...", "label_en": "..."}] '
            "(label_en: den engelske tekst, kan udelades)"
        ),
    )
    mandatory = models.BooleanField("obligatorisk", default=True)
    may_be_unknown = models.BooleanField(
        "virksomheden kan svare »ved ikke«",
        default=False,
        help_text=(
            "Et spørgsmål, mange virksomheder ikke kan svare på selv (fx listepunkt): de kan "
            "svare »Ved ikke«, og tovholderen afklarer det ved screeningen."
        ),
    )
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "krav"
        verbose_name_plural = "krav"
        constraints = [
            models.UniqueConstraint(fields=["service_type", "key"], name="requirement_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.kind == self.Kind.FIELD and self.value_type == self.Type.CHOICE:
            values = [c.get("value") for c in self.choices if isinstance(c, dict)]
            if not values or len(values) != len(self.choices) or None in values:
                raise ValidationError(
                    {"choices": 'Angiv mindst ét valg som {"value": ..., "label": ...}.'}
                )
        if self.kind == self.Kind.DOCUMENT and self.choices:
            raise ValidationError({"choices": "Et dokumentkrav har ingen valgmuligheder."})
        if self.kind == self.Kind.DOCUMENT and self.may_be_unknown:
            raise ValidationError(
                {"may_be_unknown": "»Ved ikke« er et svar på en oplysning, ikke et dokument."}
            )

    @property
    def choice_values(self) -> list[str]:
        return [str(c["value"]) for c in self.choices if isinstance(c, dict) and "value" in c]
