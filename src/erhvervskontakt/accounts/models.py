from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q


class UserQuerySet(models.QuerySet["User"]):
    def coordinators(self) -> UserQuerySet:
        """Active staff who can be tovholder / fast kontaktperson."""
        return self.filter(is_active=True, is_staff=True, is_coordinator=True)


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager with the queryset helpers above."""


class User(AbstractUser):
    """A person who logs in: municipal staff or someone acting for a business.

    Staff have ``is_staff``; a coordinator (erhvervskonsulent) also has ``is_coordinator``;
    a caseworker belongs to a department. Business users have neither and act for the
    businesses they are members of.
    """

    is_coordinator = models.BooleanField(
        "tovholder",
        default=False,
        help_text="Kan være tovholder og fast kontaktperson for virksomheder.",
    )
    is_head_of_unit = models.BooleanField(
        "enhedsleder",
        default=False,
        help_text="Får besked, når en screeningsfrist er overskredet (eskalering).",
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name="afdeling",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField("stilling", max_length=100, blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    language = models.CharField(
        "sprog", max_length=5, choices=[("da", "Dansk"), ("en", "English")], default="da"
    )

    objects: ClassVar[StaffUserManager] = StaffUserManager()

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(is_staff=True),
                name="coordinator_is_staff",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiScope(models.TextChoices):
    """What an API token may do (rettighed); a token holds one or more. Each operation of
    the API names the one it needs (``api.auth``)."""

    READ = "read", "Læse (alle GET)"
    INTAKE = "intake", "Indsende henvendelser og materiale"
    WRITE = "write", "Ændre sager og virksomheder"
    ADMIN = "admin", "Administrere webhooks"


# A new token's scopes unless others are chosen: everything an integration of cases does,
# not the administration of webhooks.
DEFAULT_API_SCOPES = (ApiScope.READ.value, ApiScope.INTAKE.value, ApiScope.WRITE.value)


def default_api_scopes() -> list[str]:
    return list(DEFAULT_API_SCOPES)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, moment: dt.datetime) -> ApiTokenQuerySet:
        """Tokens that open the API at ``moment``: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=moment)

    def expired(self, moment: dt.datetime) -> ApiTokenQuerySet:
        """Not revoked, but past their expiry."""
        return self.filter(revoked_at__isnull=True, expires_at__lte=moment)

    def revoked(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=False)


class ApiToken(models.Model):
    """A bearer token for the REST API (API-nøgle). Only a SHA-256 hash of the secret is
    stored. It holds scopes (``ApiScope``), ends at ``expires_at`` and when revoked, and may
    send ``rate_per_minute`` requests a minute (empty: ``API_TOKEN_RATE_PER_MINUTE``)."""

    user = models.ForeignKey(
        User, verbose_name="bruger", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("navn", max_length=100, blank=True, help_text="Hvad nøglen bruges til.")
    prefix = models.CharField(
        "begyndelse",
        max_length=12,
        db_index=True,
        help_text="Nøglens første tegn, som genkender den; aldrig hele nøglen.",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(
        "rettigheder",
        default=default_api_scopes,
        help_text="read: alle GET; intake: henvendelser og materiale fra virksomheden; "
        "write: alle andre ændringer af sager og virksomheder; admin: webhooks.",
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    last_used_at = models.DateTimeField("sidst brugt", null=True, blank=True)
    expires_at = models.DateTimeField("udløber", db_index=True)
    revoked_at = models.DateTimeField("tilbagekaldt", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name="tilbagekaldt af",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rate_per_minute = models.PositiveIntegerField(
        "forespørgsler pr. minut",
        null=True,
        blank=True,
        help_text="Tom: standarden (API_TOKEN_RATE_PER_MINUTE). Højere for en integration "
        "med mange forespørgsler.",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-nøgle"
        verbose_name_plural = "API-nøgler"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def status_at(self, moment: dt.datetime) -> str:
        """``active``, ``expired`` or ``revoked`` at ``moment`` (revoked wins)."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > moment else "expired"


class LoginLockout(models.Model):
    """A login that was locked after too many failed attempts (spærring): one row per lock,
    written when the lock starts (never per failure, so an attack does not load the
    database). The counts themselves live in the shared cache (``accounts.lockouts``).
    Rows are never deleted; an administrator clears a lock, which records who and when."""

    class Scope(models.TextChoices):
        PORTAL = "portal", "Portalen"
        WORKBENCH = "workbench", "Arbejdsbordet"
        ADMIN = "admin", "Administrationen"
        API = "api", "API'et"

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Bruger fra én adresse"
        ADDRESS = "address", "Hele adressen"

    scope = models.CharField("login", max_length=20, choices=Scope.choices)
    kind = models.CharField("spærret", max_length=20, choices=Kind.choices)
    username = models.CharField(
        "brugernavn",
        max_length=254,
        blank=True,
        help_text="Som det blev skrevet (for API'et: nøglens første tegn, aldrig hele nøglen).",
    )
    ip = models.CharField("IP-adresse", max_length=45)
    failures = models.PositiveIntegerField("forkerte forsøg")
    locked_at = models.DateTimeField("spærret fra", db_index=True)
    locked_until = models.DateTimeField("spærret til")
    cleared_at = models.DateTimeField("ophævet", null=True, blank=True)
    cleared_by = models.ForeignKey(
        User,
        verbose_name="ophævet af",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "login-spærring"
        verbose_name_plural = "login-spærringer"
        ordering = ["-locked_at", "-id"]
        indexes = [models.Index(fields=["locked_until"], name="loginlockout_until")]

    def __str__(self) -> str:
        who = self.username or self.ip
        return f"{self.get_scope_display()}: {who} ({self.locked_at:%Y-%m-%d %H:%M})"
