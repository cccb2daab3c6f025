"""The personal-data read log: one row per use of personal data (opslag)."""

from __future__ import annotations

import datetime as dt

from django.db import models

# How long a row is kept: the Danish logging rule asks for 6 months. The database refuses
# to delete a younger row (``triggers.py``); the sweep prunes a day later than that
# (``services.PRUNE_AFTER``), so a clock a little ahead never asks for a refused delete.
RETENTION = dt.timedelta(days=183)


class Use(models.TextChoices):
    """What kind of use (anvendelse) the read was."""

    VIEW = "view", "visning"
    SEARCH = "search", "søgning"
    EXPORT = "export", "udtræk"
    API_READ = "api_read", "opslag via API"
    DOCUMENT = "document", "dokument åbnet"


class Purpose(models.TextChoices):
    """Why the data was used (formål)."""

    SCREENING = "screening", "screening"
    CASE_HANDLING = "case_handling", "sagsbehandling"
    INSPECTION = "inspection", "tilsyn"
    STATISTICS = "statistics", "statistik og opfølgning"
    ADMINISTRATION = "administration", "administration"
    ACCESS_REQUEST = "access_request", "indsigtsanmodning"


class PersonalDataRead(models.Model):
    """One use of personal data by staff or an integrator (et logget opslag).

    About one subject (``case``/``business``/``person``) for a page about one case or
    business, or with the ``criterion`` (the search text or the filters) for a list. Append
    only: the database refuses UPDATE always and DELETE of rows younger than
    :data:`RETENTION` (triggers in migration 0001). Nothing else points at a row.
    """

    at = models.DateTimeField("tidspunkt", db_index=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name="medarbejder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    use = models.CharField("anvendelse", max_length=20, choices=Use.choices)
    purpose = models.CharField("formål", max_length=20, choices=Purpose.choices)
    business = models.ForeignKey(
        "businesses.Business",
        verbose_name="virksomhed",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (business, at) index serves it
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="sag",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.CharField(
        "person",
        max_length=254,
        blank=True,
        help_text="Den registreredes e-mail (normaliseret), når opslaget handler om en person.",
    )
    criterion = models.CharField("søgekriterium", max_length=1000, blank=True)
    route = models.CharField("side", max_length=200, blank=True)
    request_id = models.CharField("forespørgsels-id", max_length=64, blank=True)

    class Meta:
        verbose_name = "opslag i personoplysninger"
        verbose_name_plural = "opslag i personoplysninger"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["business", "at"], name="audit_read_business_at"),
            models.Index(fields=["person", "at"], name="audit_read_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_use_display()} ({self.get_purpose_display()})"
