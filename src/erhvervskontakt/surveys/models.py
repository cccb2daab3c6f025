"""Satisfaction surveys (tilfredshedsmålinger): the questions, the invitations, the answers.

Nothing is deleted: a question that is no longer asked is deactivated, and its answers stay.
Whether an answer is positive is decided once, when it is given, by the question's rule at
that moment, and stored (``Answer.positive``), so every satisfaction figure is one SQL
aggregate and an administrator who later changes a rule does not rewrite history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from erhvervskontakt.cases.models import Case, Task

# The question keyed ``overall`` is the overall one: the only answer required, the one a
# follow-up task is made from when it is negative, and the one the public page shows.
OVERALL_KEY = "overall"
# "May we contact you?": shown beside the comments so staff know whether to call.
MAY_CONTACT_KEY = "may_contact"
SCALE_MIN, SCALE_MAX = 1, 5


class Occasion(models.TextChoices):
    """What the business is asked about."""

    ANSWER = "answer", "Svar på sagen"
    INSPECTION = "inspection", "Tilsynsbesøg"


class Question(models.Model):
    """One question of the satisfaction survey, with what counts as a positive answer."""

    class Kind(models.TextChoices):
        SCALE = "scale", "Skala 1–5"
        YES_NO = "yes_no", "Ja/nej"
        TEXT = "text", "Fritekst"

    class Asked(models.TextChoices):
        ANSWER = "answer", "Efter svar på sagen"
        INSPECTION = "inspection", "Efter tilsynsbesøg"
        BOTH = "both", "Begge"

    key = models.SlugField(
        "nøgle",
        max_length=40,
        unique=True,
        help_text='Kan ikke ændres senere. Spørgsmålet med nøglen "overall" er det samlede.',
    )
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    text_da = models.CharField("spørgsmål", max_length=300)
    text_en = models.CharField("spørgsmål (engelsk)", max_length=300, blank=True)
    scale_low_da = models.CharField("skala: 1 betyder", max_length=60, blank=True)
    scale_high_da = models.CharField("skala: 5 betyder", max_length=60, blank=True)
    scale_low_en = models.CharField("skala: 1 betyder (engelsk)", max_length=60, blank=True)
    scale_high_en = models.CharField("skala: 5 betyder (engelsk)", max_length=60, blank=True)
    positive_from = models.PositiveSmallIntegerField(
        "positivt fra",
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
        help_text="Skala: svar fra og med dette tal er positive (fx 4: 4 og 5).",
    )
    negative_to = models.PositiveSmallIntegerField(
        "negativt til",
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
        help_text="Skala: svar til og med dette tal er negative (fx 2: 1 og 2). Et negativt "
        "samlet svar giver en opfølgningsopgave.",
    )
    positive_answer = models.BooleanField(
        "positivt svar",
        null=True,
        blank=True,
        help_text="Ja/nej: hvilket svar er positivt. Tomt: spørgsmålet måler ikke tilfredshed.",
    )
    asked = models.CharField("stilles", max_length=12, choices=Asked.choices, default=Asked.BOTH)
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "spørgsmål"
        verbose_name_plural = "spørgsmål"

    def __str__(self) -> str:
        return self.text_da

    @property
    def is_overall(self) -> bool:
        return self.key == OVERALL_KEY

    @property
    def is_rated(self) -> bool:
        """It has a notion of positive, so it counts in the satisfaction figures."""
        return (self.kind == self.Kind.SCALE and self.positive_from is not None) or (
            self.kind == self.Kind.YES_NO and self.positive_answer is not None
        )

    def text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_da

    def scale_labels(self, language: str) -> tuple[str, str]:
        if language == "en" and (self.scale_low_en or self.scale_high_en):
            return self.scale_low_en, self.scale_high_en
        return self.scale_low_da, self.scale_high_da

    def is_positive(self, value: int | bool | str) -> bool | None:
        """Whether ``value`` (already valid for the kind) is positive; None: not rated."""
        if self.kind == self.Kind.SCALE and self.positive_from is not None:
            return int(value) >= self.positive_from
        if self.kind == self.Kind.YES_NO and self.positive_answer is not None:
            return bool(value) is self.positive_answer
        return None

    def is_negative(self, value: int | bool | str) -> bool:
        """Negative enough to follow up: scale up to ``negative_to``; the other yes/no answer."""
        if self.kind == self.Kind.SCALE:
            limit = self.negative_to
            if limit is None and self.positive_from is not None:
                limit = self.positive_from - 1
            return limit is not None and int(value) <= limit
        if self.kind == self.Kind.YES_NO and self.positive_answer is not None:
            return bool(value) is not self.positive_answer
        return False

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.SCALE:
            if self.positive_from is None:
                errors["positive_from"] = "Angiv, fra hvilket tal et svar er positivt."
            elif self.negative_to is not None and self.negative_to >= self.positive_from:
                errors["negative_to"] = "Negative svar skal ligge under de positive."
            if self.positive_answer is not None:
                errors["positive_answer"] = "Kun ja/nej-spørgsmål har et positivt svar."
        else:
            if self.positive_from is not None:
                errors["positive_from"] = "Kun skalaspørgsmål har en grænse for positive svar."
            if self.negative_to is not None:
                errors["negative_to"] = "Kun skalaspørgsmål har en grænse for negative svar."
        if self.kind == self.Kind.TEXT and self.positive_answer is not None:
            errors["positive_answer"] = "Et fritekstspørgsmål har intet positivt svar."
        if self.key == OVERALL_KEY:
            if self.kind == self.Kind.TEXT:
                errors["kind"] = "Det samlede spørgsmål skal være en skala eller ja/nej."
            if self.asked != self.Asked.BOTH:
                errors["asked"] = "Det samlede spørgsmål stilles ved alle målinger."
        if self.pk is not None:
            before = Question.objects.filter(pk=self.pk).values_list("key", "kind").first()
            if before is not None:
                if before[0] != self.key:
                    errors["key"] = "Nøglen kan ikke ændres."
                if before[1] != self.kind and Answer.objects.filter(question_id=self.pk).exists():
                    errors["kind"] = (
                        "Spørgsmålet er besvaret; typen kan ikke ændres. Opret et nyt spørgsmål "
                        "og deaktivér dette."
                    )
        if errors:
            raise ValidationError(errors)


class CaseDimensions(models.Model):
    """The case's coordinator, departments and service types when the survey was sent, on
    the survey's own rows (as ``Case.department_ids`` / ``service_type_ids``: ids between
    bars), so the satisfaction figures filter and break down without joining the cases —
    and ``MeasureFilter.case_q()`` applies to these rows as it does to a case. A later change
    of coordinator does not move earlier answers: they were about the one the business had.
    """

    coordinator = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department_ids = models.CharField(max_length=200, blank=True)
    service_type_ids = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True


class Invitation(CaseDimensions):
    """A one-time link to the survey, sent to the business's contact about one case.

    Only a SHA-256 hash of the token is stored: the link in the e-mail is the only copy of
    the secret. ``created_on`` (local date) is the date the satisfaction figures count it
    under.
    """

    case = models.ForeignKey(
        Case, verbose_name="sag", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    occasion = models.CharField("anledning", max_length=12, choices=Occasion.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField("e-mail")
    language = models.CharField("sprog", max_length=5, default="da")
    created_at = models.DateTimeField("sendt")
    created_on = models.DateField("sendt dato")
    expires_at = models.DateTimeField("udløber")
    responded_at = models.DateTimeField("besvaret", null=True, blank=True)
    follow_up_task = models.ForeignKey(
        Task,
        verbose_name="opfølgningsopgave",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "invitation til tilfredshedsmåling"
        verbose_name_plural = "invitationer til tilfredshedsmåling"
        indexes = [
            # The response rate, one occasion's (answer, inspection visit) at a time.
            models.Index(
                fields=["occasion", "created_on", "responded_at"], name="invitation_created_on"
            ),
            models.Index(
                fields=["occasion", "created_on"],
                include=["responded_at", "coordinator", "department_ids", "service_type_ids"],
                name="invitation_dimensions",
            ),
            models.Index(fields=["case", "-created_at"], name="invitation_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.occasion} {self.created_on}"


class Answer(CaseDimensions):
    """One answer to one question of one invitation.

    ``case``, ``created_on`` and ``occasion`` repeat the invitation's, so that the
    satisfaction figures are one aggregate over this table, filtered on an index, without
    joining the invitations — the figures after an answer and after an inspection visit
    apart.
    ``positive`` is None for questions without a notion of positive (free text, "may we
    contact you").
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="answers")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="survey_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    created_on = models.DateField()
    occasion = models.CharField(
        "anledning", max_length=12, choices=Occasion.choices, db_default=Occasion.ANSWER
    )
    value_int = models.SmallIntegerField(null=True, blank=True)
    value_bool = models.BooleanField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    positive = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "svar"
        verbose_name_plural = "svar"
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="survey_answer_unique"),
            models.CheckConstraint(
                condition=Q(value_int__isnull=True)
                | Q(value_int__gte=SCALE_MIN, value_int__lte=SCALE_MAX),
                name="survey_answer_scale",
            ),
        ]
        # Covering (positive and case in the key, so SQLite has them too): the figures read
        # one occasion's answers in the period from an index alone, for all questions or for
        # one.
        indexes = [
            models.Index(
                fields=["occasion", "created_on", "question", "positive", "case"],
                name="survey_answer_on",
            ),
            models.Index(
                fields=["question", "occasion", "created_on", "positive", "case"],
                name="survey_answer_question_on",
            ),
            # The breakdowns and filtered figures (PostgreSQL reads them from the index).
            models.Index(
                fields=["question", "occasion", "created_on"],
                include=["positive", "coordinator", "department_ids", "service_type_ids"],
                name="survey_answer_dimensions",
            ),
        ]

    @property
    def value(self) -> int | bool | str | None:
        if self.value_int is not None:
            return self.value_int
        if self.value_bool is not None:
            return self.value_bool
        return self.value_text or None
