from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

# NemLog-in's requirement for the login log and the raw responses kept as proof.
LOGIN_LOG_RETENTION = dt.timedelta(days=180)


class Source(models.TextChoices):
    MITID_ERHVERV = "mitid_erhverv", "MitID Erhverv (NemLog-in)"
    ENTRA_ID = "entra_id", "Entra ID"


class ExternalIdentity(models.Model):
    """The link between a person at an identity provider and our user.

    Keyed on what the provider guarantees never changes: for MitID Erhverv the professional
    persistent UUID, for Entra ID the tenant and object id (``<tid>:<oid>``) — never an e-mail
    address, which people change and providers reuse.
    """

    source = models.CharField("kilde", max_length=20, choices=Source.choices)
    key = models.CharField("nøgle", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bruger",
        on_delete=models.PROTECT,
        related_name="external_identities",
    )
    created_at = models.DateTimeField("oprettet")
    last_login_at = models.DateTimeField("seneste log-in")

    class Meta:
        verbose_name = "ekstern identitet"
        verbose_name_plural = "eksterne identiteter"
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="external_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.key}"


class LoginEvent(models.Model):
    """One line of the login log: a login, a logout or a refused login with its reason.

    Kept 180 days (NemLog-in's rule), then pruned by the sweep; visible to administrators.
    The session is recorded by a hash of its key (the key itself is a credential).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Log-in"
        LOGOUT = "logout", "Log-ud"
        REFUSED = "refused", "Afvist log-in"

    class Method(models.TextChoices):
        MITID_ERHVERV = "mitid_erhverv", "MitID Erhverv"
        ENTRA_ID = "entra_id", "Entra ID"
        PORTAL_PASSWORD = "portal_password", "Adgangskode (portalen)"
        WORKBENCH_PASSWORD = "workbench_password", "Adgangskode (arbejdsbordet)"

    at = models.DateTimeField("tidspunkt", db_index=True)
    kind = models.CharField("hændelse", max_length=10, choices=Kind.choices)
    method = models.CharField("log-in med", max_length=20, choices=Method.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bruger",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A short code for a refusal (reason codes: ``identity.saml`` and ``identity.oidc``), empty otherwise.
    reason = models.CharField("årsag", max_length=40, blank=True)
    detail = models.CharField("detaljer", max_length=500, blank=True)
    identity_key = models.CharField("identitet", max_length=200, blank=True)
    cvr = models.CharField("CVR-nummer", max_length=8, blank=True)
    loa = models.CharField("sikringsniveau", max_length=20, blank=True)
    ip = models.CharField("IP-adresse", max_length=45, blank=True)
    session = models.CharField("session (hash)", max_length=64, blank=True)
    request_id = models.CharField("request-id", max_length=64, blank=True)
    # The raw SAML response of a MitID Erhverv login, as proof (base64 as received).
    raw_response = models.TextField("SAML-svar", blank=True)

    class Meta:
        verbose_name = "log-in-hændelse"
        verbose_name_plural = "log-in-loggen"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="loginevent_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.get_method_display()}"


class SeenAssertion(models.Model):
    """A SAML assertion id that has been used to log in: a second use is a replay.

    Kept until the assertion's own ``NotOnOrAfter`` has passed (after that it is refused as
    expired anyway), then pruned by the sweep.
    """

    assertion_id = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    not_on_or_after = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "brugt SAML-assertion"
        verbose_name_plural = "brugte SAML-assertions"


class StaffRole(models.TextChoices):
    """What an Entra ID app role can make a member of staff."""

    ADMINISTRATOR = "administrator", "Administrator"
    HEAD_OF_UNIT = "head_of_unit", "Enhedsleder"
    COORDINATOR = "coordinator", "Tovholder (erhvervskonsulent)"
    CASEWORKER = "caseworker", "Sagsbehandler i en afdeling"


class StaffRoleMapping(models.Model):
    """The administrator's mapping from an Entra ID app role (``roles`` claim) to our role.

    A caseworker mapping names the department. Rows come on top of ``OIDC_ROLE_MAP``; a row
    is switched off with ``active`` (nothing is deleted).
    """

    app_role = models.CharField(
        "app-rolle i Entra ID",
        max_length=120,
        unique=True,
        help_text="Værdien i tokenets roles-claim, fx Erhvervskontakt.Tovholder.",
    )
    role = models.CharField("rolle", max_length=20, choices=StaffRole.choices)
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name="afdeling",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Kun for sagsbehandlere.",
    )
    active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        verbose_name = "rolle fra Entra ID"
        verbose_name_plural = "roller fra Entra ID"
        ordering = ["app_role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="caseworker", department__isnull=False)
                | (~models.Q(role="caseworker") & models.Q(department__isnull=True)),
                name="staffrolemapping_department_only_for_caseworkers",
            )
        ]

    def __str__(self) -> str:
        return f"{self.app_role} → {self.get_role_display()}"
