from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import QuerySet

if TYPE_CHECKING:
    from erhvervskontakt.accounts.models import User


class BusinessQuerySet(models.QuerySet["Business"]):
    def visible_to(self, user: User) -> QuerySet[Business]:
        """The one rule for who sees a business: staff all, business users their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(memberships__user=user, memberships__active=True)


class Business(models.Model):
    """A company identified by its CVR number (virksomhed)."""

    cvr = models.CharField("CVR-nummer", max_length=8, unique=True)
    name = models.CharField("navn", max_length=200)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("postnummer", max_length=4, blank=True)
    city = models.CharField("by", max_length=100, blank=True)
    industry = models.CharField("branche", max_length=150, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="fast kontaktperson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_for_businesses",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "virksomhed"
        verbose_name_plural = "virksomheder"

    def __str__(self) -> str:
        return f"{self.name} (CVR {self.cvr})"


class Membership(models.Model):
    """A portal user's right to act for a business (owner, employee or adviser)."""

    class Role(models.TextChoices):
        OWNER = "owner", "Ejer"
        EMPLOYEE = "employee", "Medarbejder"
        ADVISER = "adviser", "Rådgiver"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="memberships")

    class Source(models.TextChoices):
        MUNICIPALITY = "municipality", "Oprettet af kommunen"
        MITID_ERHVERV = "mitid_erhverv", "MitID Erhverv"

    role = models.CharField("rolle", max_length=10, choices=Role.choices, default=Role.OWNER)
    active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the right came from: a membership from MitID Erhverv is confirmed (or, when a
    # later login no longer carries it, deactivated) at every login.
    source = models.CharField(
        "kilde", max_length=20, choices=Source.choices, default=Source.MUNICIPALITY
    )
    last_confirmed_at = models.DateTimeField("senest bekræftet", null=True, blank=True)

    class Meta:
        verbose_name = "adgang for virksomhed"
        verbose_name_plural = "adgange for virksomheder"
        constraints = [
            models.UniqueConstraint(fields=["user", "business"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.business}"


class BusinessEvent(models.Model):
    """An entry in a business's own history (e.g. its fixed contact person changed)."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["business", "at"], name="business_event_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class ProductionUnitQuerySet(models.QuerySet["ProductionUnit"]):
    def visible_to(self, user: User) -> QuerySet[ProductionUnit]:
        """Same rule as for businesses: staff all, business users their own businesses' units."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(business__memberships__user=user, business__memberships__active=True)


class ProductionUnit(models.Model):
    """A production unit (produktionsenhed, P-enhed) of a business: one physical site with a
    10-digit P-number. Environmental inspection is registered and planned per unit. Never
    deleted: a unit that closes is deactivated."""

    p_number = models.CharField("P-nummer", max_length=10, unique=True)
    business = models.ForeignKey(
        Business, verbose_name="virksomhed", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("navn", max_length=200)
    address = models.CharField("adresse", max_length=200, blank=True)
    active = models.BooleanField("aktiv", default=True)
    started_on = models.DateField("drift startet", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductionUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name", "p_number"]
        verbose_name = "produktionsenhed"
        verbose_name_plural = "produktionsenheder"
        indexes = [models.Index(fields=["business", "name"], name="unit_business_name")]

    def __str__(self) -> str:
        return f"{self.name} (P {self.p_number})"
