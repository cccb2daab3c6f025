"""Webhook subscriptions of other systems and the deliveries of each event to them.

A :class:`WebhookSubscription` is an integrator's standing order: every event of the feed
(``selectors.event_feed``) that its owner may see is POSTed, signed with its secret, to its
URL. A :class:`WebhookDelivery` is one event for one subscription, recorded once: the pair
is unique, so a sweep that runs twice, or two workers that race, record and send it once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WebhookSubscription(models.Model):
    """An integrator's webhook (webhook-abonnement): where to POST the events, signed how.

    ``cursor`` is the id of the last feed event recorded as a delivery: the next recording
    goes on from there, so a paused subscription catches up when it is resumed. Never
    deleted: a subscription that is no longer wanted is deactivated, with its deliveries.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Aktiv"
        PAUSED = "paused", "På pause"
        DEACTIVATED = "deactivated", "Deaktiveret"

    name = models.CharField("navn", max_length=100)
    url = models.CharField("adresse (URL)", max_length=500)
    # Kept as it is, because it signs every delivery (HMAC); shown once, when it is made.
    secret = models.CharField("hemmelighed", max_length=100, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ejer",
        on_delete=models.PROTECT,
        related_name="webhook_subscriptions",
        help_text="Abonnementet får de hændelser, ejeren må se.",
    )
    kinds = models.JSONField(
        "hændelsestyper", default=list, blank=True, help_text="Tom: alle hændelsestyper."
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    cursor = models.PositiveBigIntegerField("registreret til og med hændelse", default=0)
    created_at = models.DateTimeField("oprettet")
    updated_at = models.DateTimeField("ændret")
    deactivated_at = models.DateTimeField("deaktiveret", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook-abonnement"
        verbose_name_plural = "webhook-abonnementer"
        indexes = [models.Index(fields=["owner", "-id"], name="webhook_subscription_owner")]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def problems(self) -> WebhookDeliveryQuerySet:
        """Waiting for another attempt, or given up: what an administrator should look at."""
        return self.filter(status__in=[WebhookDelivery.Status.RETRY, WebhookDelivery.Status.FAILED])


class WebhookDelivery(models.Model):
    """One event POSTed to one subscription (levering), from recorded until sent or given up.

    ``pending`` → (claimed by a worker) ``sending`` → ``sent`` on a 2xx answer; anything
    else goes to ``retry`` with ``next_attempt_at`` pushed back (exponential backoff), and
    after ``WEBHOOKS_MAX_ATTEMPTS`` to ``failed``, where an administrator sees the error and
    can send it again. A claim is a lease (``claimed_until``): a worker killed mid-send leaves
    a claim that the sweep takes over when it runs out.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Venter"
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"
        RETRY = "retry", "Fejlet – prøver igen"
        FAILED = "failed", "Fejlet – opgivet"

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name="abonnement",
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        "cases.Event", verbose_name="hændelse", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    next_attempt_at = models.DateTimeField("næste forsøg", null=True, blank=True)
    queued_at = models.DateTimeField("sat i kø", null=True, blank=True)
    claimed_until = models.DateTimeField("reserveret til", null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        "seneste HTTP-status", null=True, blank=True
    )
    last_error = models.TextField("seneste fejl", blank=True)
    last_error_at = models.DateTimeField("fejl", null=True, blank=True)
    created_at = models.DateTimeField("oprettet")
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "webhook-levering"
        verbose_name_plural = "webhook-leveringer"
        constraints = [
            # Exactly once per subscriber and event: recording is insert-or-ignore on this.
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_subscription"),
        ]

    def __str__(self) -> str:
        return f"Hændelse {self.event_id} → {self.subscription_id}"
