"""The outbox of e-mails (notifikationer) and the templates they are written from.

A :class:`Notification` is one e-mail to one recipient, recorded once: its ``dedupe_key``
is unique (``deliverable_overdue:deliverable=5:due=2026-03-10:to=…``), so a sweep that runs
twice, or two workers that race, insert it once. Its content is rendered when it is recorded,
so every retry sends the same message with the same ``Message-ID``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    # to the business
    RECEIPT = "receipt", "Kvittering for henvendelse"
    SCREENING_RESULT = "screening_result", "Resultat af screening"
    DELIVERABLE_REMINDER = "deliverable_reminder", "Påmindelse om leverance"
    DELIVERABLE_OVERDUE = "deliverable_overdue", "Leverance over fristen"
    STAFF_MESSAGE = "staff_message", "Ny besked fra kommunen"
    ESTIMATE_MOVED = "estimate_moved", "Svardato flyttet"
    ANSWER_DELIVERED = "answer_delivered", "Svar givet"
    SURVEY_INVITATION = "survey_invitation", "Invitation til tilfredshedsmåling"
    VISIT_BOOKED = "visit_booked", "Bekræftelse af tid til tilsynsbesøg"
    # to staff
    COORDINATOR_DIGEST = "coordinator_digest", "Dagligt overblik til tovholder"
    DEPARTMENT_TASK = "department_task", "Ny opgave til afdeling"
    SCREENING_ESCALATION = "screening_escalation", "Eskalering: screeningsfrist overskredet"
    INSPECTION_REPORT_DUE = "inspection_report_due", "Frist for tilsynsrapport"
    BUSINESS_MESSAGE = "business_message", "Ny besked fra virksomheden"
    VISIT_BOOKED_INSPECTOR = "visit_booked_inspector", "Tid til tilsynsbesøg aftalt"


STAFF_KINDS = frozenset(
    {
        Kind.COORDINATOR_DIGEST,
        Kind.DEPARTMENT_TASK,
        Kind.SCREENING_ESCALATION,
        Kind.INSPECTION_REPORT_DUE,
        Kind.BUSINESS_MESSAGE,
        Kind.VISIT_BOOKED_INSPECTOR,
    }
)


class Language(models.TextChoices):
    DANISH = "da", "Dansk"
    ENGLISH = "en", "English"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def problems(self) -> NotificationQuerySet:
        """Waiting for another attempt, or given up: what an administrator should look at."""
        return self.filter(status__in=[Notification.Status.RETRY, Notification.Status.FAILED])


class Notification(models.Model):
    """One e-mail to one recipient, from the moment it is due until it is sent (or given up).

    ``pending`` → (claimed by a worker) ``sending`` → ``sent``; a failed attempt goes to
    ``retry`` with ``next_attempt_at`` pushed back (exponential backoff), and after
    ``NOTIFICATIONS_MAX_ATTEMPTS`` to ``failed``, where an administrator sees the error and can
    send it again. A claim is a lease (``claimed_until``): a worker killed mid-send leaves a
    claim that the next sweep takes over when it runs out.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Venter"
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"
        RETRY = "retry", "Fejlet – prøver igen"
        FAILED = "failed", "Fejlet – opgivet"

    kind = models.CharField("slags", max_length=40, choices=Kind.choices)
    dedupe_key = models.CharField("nøgle", max_length=200, unique=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="sag",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient_email = models.EmailField("modtager")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modtager (bruger)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(
        "sprog", max_length=2, choices=Language.choices, default=Language.DANISH
    )
    subject = models.CharField("emne", max_length=300)
    body_text = models.TextField("tekst")
    body_html = models.TextField("HTML")
    reply_to = models.EmailField("svar til", blank=True)
    # Files sent with the e-mail, made when it is recorded (like its text), so every retry
    # sends the same: [{"filename", "mimetype", "content"}], text content (a calendar file).
    attachments = models.JSONField("vedhæftede filer", default=list, blank=True)
    message_id = models.CharField("Message-ID", max_length=200)
    timeline_text = models.CharField(
        "tekst i sagens tidslinje", max_length=300, blank=True, help_text="Tom: ingen hændelse."
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    next_attempt_at = models.DateTimeField("næste forsøg", null=True, blank=True)
    queued_at = models.DateTimeField("sat i kø", null=True, blank=True)
    claimed_until = models.DateTimeField("reserveret til", null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField("seneste fejl", blank=True)
    last_error_at = models.DateTimeField("fejl", null=True, blank=True)
    created_at = models.DateTimeField("oprettet")
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "notifikation"
        verbose_name_plural = "notifikationer"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["case", "created_at"], name="notification_case"),
            models.Index(fields=["kind", "-created_at"], name="notification_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_email}"

    @property
    def is_for_staff(self) -> bool:
        return self.kind in STAFF_KINDS


class MessageTemplate(models.Model):
    """The wording of one kind of e-mail in one language (Django template syntax).

    Seeded with the defaults in ``defaults.py``; an administrator edits them in the admin.
    They are rendered with plain values only (no model objects), so a template can show what
    the message is about and nothing else.
    """

    kind = models.CharField("slags", max_length=40, choices=Kind.choices)
    language = models.CharField("sprog", max_length=2, choices=Language.choices)
    subject = models.CharField("emne", max_length=300)
    text = models.TextField("tekst (ren tekst)")
    html = models.TextField("HTML")
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = "e-mailskabelon"
        verbose_name_plural = "e-mailskabeloner"
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="message_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
