"""The case and what hangs on it: answers, documents, tasks, the delivery plan, the
timeline, messages and drafts.

Longer than ~600 lines because of ``Case``'s indexes (each one is a measured decision with
its reason beside it); the models themselves are short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from erhvervskontakt.businesses.models import Business, Membership
from erhvervskontakt.catalogue.models import Department, ServiceType

if TYPE_CHECKING:
    from erhvervskontakt.accounts.models import User


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "Modtaget"
    IN_PROGRESS = "in_progress", "Under behandling"
    AWAITING_BUSINESS = "awaiting_business", "Afventer virksomheden"
    ANSWERED = "answered", "Besvaret"
    CLOSED = "closed", "Afsluttet"
    WITHDRAWN = "withdrawn", "Trukket tilbage"


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_BUSINESS)

# The legal moves of a case; anything else is refused with IllegalTransition.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.RECEIVED: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_BUSINESS, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.AWAITING_BUSINESS, CaseStatus.ANSWERED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.AWAITING_BUSINESS: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.WITHDRAWN}),
    CaseStatus.ANSWERED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}


class Channel(models.TextChoices):
    PORTAL = "portal", "Selvbetjening"
    API = "api", "Fagsystem via API"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Telefon"
    LETTER = "letter", "Brev"
    MEETING = "meeting", "Møde"
    INSPECTION = "inspection", "Miljøtilsyn på kommunens initiativ"


# An inquiry from the business: every case but the inspection visits, which the municipality
# opens on its own initiative. The promise dashboard measures inquiries only (measures), so
# its indexes hold only them (partial indexes on this condition).
INQUIRY = ~Q(channel=Channel.INSPECTION)


def sees_every_case(user: User) -> bool:
    """Whether ``visible_to`` leaves every case to ``user`` (so a list may skip the filter):
    active coordinators, heads of unit, administrators and staff without a department."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (
            getattr(user, "department_id", None) is None
            or user.is_superuser
            or getattr(user, "is_coordinator", False)
            or getattr(user, "is_head_of_unit", False)
        )
    )


def _given_tasks(user: User) -> Q:
    """The tasks that let a caseworker see a case: their department's and those given to them."""
    return Q(department_id=getattr(user, "department_id", None)) | Q(assignee_id=user.pk)


def sees_case(user: User, case: Case) -> bool:
    """Whether ``user`` sees this one ``case``: the rule of ``visible_to``, asked through the
    case's own tasks and business instead of over every case (one indexed query at most, so a
    service's access check does not grow with the database). ``cases/tests/test_selectors``
    and the demo test (``demo/tests/test_load_demo``) hold the two to the same answer for
    every kind of user and case."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_every_case(user):
        return True
    if user.is_staff:
        return Task.objects.filter(_given_tasks(user), case_id=case.pk).exists()
    return Membership.objects.filter(user=user, business_id=case.business_id, active=True).exists()


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """The one rule for who sees a case.

        Coordinators, heads of unit and administrators see every case. A caseworker (staff
        with a department, not a coordinator) sees the cases with a task for their department
        and the cases where they were given a task. Staff without a department (integration
        accounts of other systems) see every case. Business users see their businesses'.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_every_case(user):
            return self
        if user.is_staff:
            given = Task.objects.filter(_given_tasks(user)).values("case_id")
            return self.filter(pk__in=given)
        mine = Membership.objects.filter(user=user, active=True).values("business_id")
        return self.filter(business_id__in=mine)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date) -> CaseQuerySet:
        """Cases with a broken date: screening, answer estimate, or a pending deliverable."""
        late_deliverable = Deliverable.objects.filter(
            case=OuterRef("pk"), status=Deliverable.Status.PENDING, due_date__lt=today
        )
        return self.filter(
            Q(status=CaseStatus.RECEIVED, screening_due__lt=today)
            | Q(status=CaseStatus.IN_PROGRESS, estimated_answer_date__lt=today)
            | Q(Exists(late_deliverable), status__in=OPEN_STATUSES)
        )


class Case(models.Model):
    """One inquiry from one business, covering one or more service types (sag/henvendelse).

    The dates that matter (screening due, estimate, national service target) are stored on
    the row and recomputed by the services, so "overdue" is an indexed comparison.
    """

    reference = models.CharField("sagsnummer", max_length=16, unique=True)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    business = models.ForeignKey(
        Business, verbose_name="virksomhed", on_delete=models.PROTECT, related_name="cases"
    )
    service_types = models.ManyToManyField(
        ServiceType, verbose_name="ydelser", related_name="cases"
    )
    contact_name = models.CharField("kontaktperson", max_length=150)
    contact_email = models.EmailField("e-mail")
    contact_phone = models.CharField("telefon", max_length=30, blank=True)
    description = models.TextField("beskrivelse")
    channel = models.CharField("kanal", max_length=10, choices=Channel.choices)
    status = models.CharField(
        "status", max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    received_at = models.DateTimeField("modtaget")
    screening_due = models.DateField("screening senest")
    screened_at = models.DateTimeField("screenet", null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tovholder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    estimated_answer_date = models.DateField("forventet svar", null=True, blank=True)
    estimate_at_screening = models.DateField("svardato lovet ved screening", null=True, blank=True)
    # What the promise made at screening rests on (``cases.promises.Proposal.basis``): the
    # governing service type's learned or fixed working days, its basis, n, window, P50/P90.
    # Kept as it was when the promise was made, however the date moves later.
    estimate_basis = models.JSONField("grundlag for svardatoen", default=dict, blank=True)
    paused_since = models.DateField("sat på pause", null=True, blank=True)
    paused_working_days = models.PositiveIntegerField("pausede arbejdsdage", default=0)
    fully_informed_on = models.DateField("fuldt oplyst", null=True, blank=True)
    service_target_waiting_days = models.PositiveIntegerField(
        "ventetid efter fuldt oplyst (kalenderdage)", default=0
    )
    service_target_date = models.DateField("servicemål", null=True, blank=True)
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)
    # What the promise dashboard measures (issue 7, decision 1): set by the services when the
    # case is screened and answered, so the KPIs aggregate indexed columns and never run the
    # working-day calendar per row. Local dates; working days by the municipality's calendar.
    screened_on = models.DateField("screenet dato", null=True, blank=True)
    screening_working_days = models.PositiveSmallIntegerField(
        "arbejdsdage fra modtagelse til screening", null=True, blank=True
    )
    promised_answer_date = models.DateField(
        "lovet svardato",
        null=True,
        blank=True,
        help_text="Svardatoen givet ved screeningen, kun flyttet af de arbejdsdage, sagen "
        "ventede på virksomheden (ikke af senere ændringer i hånden).",
    )
    answered_on = models.DateField("besvaret dato", null=True, blank=True)
    answer_working_days = models.PositiveSmallIntegerField(
        "arbejdsdage fra screening til svar", null=True, blank=True
    )
    estimate_deviation_working_days = models.SmallIntegerField(
        "svar i forhold til lovet dato (arbejdsdage, negativ = før)", null=True, blank=True
    )
    service_target_met = models.BooleanField("nationalt servicemål nået", null=True, blank=True)
    # The case's service types and their departments as received, as ids between bars
    # ("|3|7|"), so the dashboard's department and service-type filters are a test on the
    # row (``contains "|3|"``) that an index can carry, not a join per case. Set at intake
    # with ``service_types`` (``Case.membership``); a service type moved to another
    # department later leaves the case with the department it was received for, as its
    # tasks are.
    department_ids = models.CharField("afdelinger (id'er)", max_length=200, blank=True)
    service_type_ids = models.CharField("ydelser (id'er)", max_length=500, blank=True)
    decision_summary = models.TextField("afgørelse/svar", blank=True)
    closed_at = models.DateTimeField("afsluttet", null=True, blank=True)
    withdrawn_at = models.DateTimeField("trukket tilbage", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    # Set (not stored) when an intake with a reused Idempotency-Key returns an existing case.
    replayed = False

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "sag"
        verbose_name_plural = "sager"
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="case_year_number_unique"),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            models.Index(fields=["status", "screening_due"], name="case_status_screening"),
            models.Index(fields=["status", "estimated_answer_date"], name="case_status_estimate"),
            # "My cases" (selectors.MyCases): each half — the cases I coordinate, the cases of
            # the businesses I am fixed contact for — is counted and ordered by its due date
            # from its index alone, without reading a case row. Key columns, not INCLUDE, so
            # SQLite's copies of the indexes carry the columns too.
            models.Index(
                fields=["coordinator", "status", "estimated_answer_date", "screening_due"],
                name="case_coordinator_status_due",
            ),
            models.Index(
                fields=[
                    "business",
                    "status",
                    "coordinator",
                    "estimated_answer_date",
                    "screening_due",
                ],
                name="case_business_status_due",
            ),
            # "My cases" newest first: the coordinator's half in receipt order from the index.
            models.Index(
                fields=["coordinator", "-received_at", "-id"], name="case_coordinator_received"
            ),
            models.Index(fields=["business", "-received_at"], name="case_business_received"),
            models.Index(fields=["service_target_date"], name="case_service_target"),
            models.Index(fields=["answered_at"], name="case_answered"),
            # The promise dashboard (measures): one index per date a KPI's period applies to,
            # carrying the columns the KPI reads, so PostgreSQL answers from the index alone
            # (an index-only scan) instead of visiting a wide case row per case. Inquiries
            # only (INQUIRY: the KPIs leave inspection visits out), so no row is read to
            # leave one out.
            models.Index(
                fields=["screening_due"],
                include=[
                    "screened_on",
                    "screening_working_days",
                    "status",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ],
                condition=INQUIRY,
                name="case_inquiry_screening_due",
            ),
            models.Index(
                fields=["promised_answer_date"],
                include=[
                    "answered_on",
                    "status",
                    "paused_since",
                    "answer_working_days",
                    "estimate_deviation_working_days",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ],
                condition=INQUIRY,
                name="case_inquiry_promised_answer",
            ),
            # The same two KPIs for all departments, service types and coordinators (the
            # dashboard's first view, the public page): only the columns they read, all in
            # the key, so the many equal entries (a day's cases share their dates, state and
            # working days) are stored once each (B-tree deduplication) — an index a tenth of
            # the covering one's size, read in two thirds of the time.
            models.Index(
                fields=["screening_due", "status", "screened_on", "screening_working_days"],
                condition=INQUIRY,
                name="case_inquiry_screening_slim",
            ),
            models.Index(
                fields=[
                    "promised_answer_date",
                    "status",
                    "answered_on",
                    "paused_since",
                    "answer_working_days",
                    "estimate_deviation_working_days",
                ],
                condition=INQUIRY,
                name="case_inquiry_promised_slim",
            ),
            models.Index(
                fields=["answered_on"],
                include=[
                    "service_target_met",
                    "screening_working_days",
                    "answer_working_days",
                    "paused_working_days",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ],
                condition=INQUIRY,
                name="case_inquiry_answered_on",
            ),
            # The national service targets over the answered: only those with a target (a
            # third of them), so the KPI reads no others.
            models.Index(
                fields=["answered_on"],
                include=["service_target_met", "coordinator", "department_ids", "service_type_ids"],
                condition=INQUIRY & Q(service_target_met__isnull=False),
                name="case_inquiry_target_answered",
            ),
            # The open cases: the backlog reads them all; keyed by the service-target date, so
            # the open cases past their target in a period are a range of it.
            models.Index(
                fields=["service_target_date"],
                include=[
                    "status",
                    "received_at",
                    "coordinator",
                    "screening_due",
                    "estimated_answer_date",
                    "paused_since",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ],
                condition=INQUIRY & Q(status__in=OPEN_STATUSES),
                name="case_inquiry_open",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @staticmethod
    def membership(service_types: Iterable[ServiceType]) -> dict[str, str]:
        """``department_ids`` and ``service_type_ids`` for a case with ``service_types``."""
        chosen = list(service_types)
        return {
            "department_ids": _bars(st.department_id for st in chosen),
            "service_type_ids": _bars(st.pk for st in chosen),
        }


def _bars(ids: Iterable[int]) -> str:
    """Ids in ascending order between bars: ``|3|7|`` (empty for none)."""
    unique = sorted(set(ids))
    return "|" + "|".join(str(i) for i in unique) + "|" if unique else ""


class ReferenceCounter(models.Model):
    """The last case number used in a year; incremented atomically at intake."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` an API client sent with an intake, and the case it made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]


class Answer(models.Model):
    """The business's answer to one field requirement (by key) of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="answers")
    key = models.SlugField(max_length=60)
    value = models.JSONField()
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provided_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="answer_unique")]


def document_path(instance: Document, filename: str) -> str:
    return f"cases/{instance.case.year}/{instance.case.reference}/{filename}"


class Document(models.Model):
    """A file on a case, possibly meeting a document requirement."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    requirement_key = models.SlugField(max_length=60, blank=True)
    file = models.FileField(upload_to=document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # The line of the delivery plan this document was sent against (a business line the
    # coordinator added, such as a noise calculation), when the business chose one.
    deliverable = models.ForeignKey(
        "Deliverable",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"

    def __str__(self) -> str:
        return self.original_name


class Task(models.Model):
    """One department's share of a case (opgave)."""

    class Status(models.TextChoices):
        OPEN = "open", "Åben"
        IN_PROGRESS = "in_progress", "I gang"
        DONE = "done", "Færdig"
        CANCELLED = "cancelled", "Annulleret"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks")
    service_types = models.ManyToManyField(ServiceType, related_name="tasks")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the department concluded (a short result), written when the task is completed;
    # kept when it is reopened (the timeline holds every result and every reason).
    result = models.TextField("resultat", blank=True)
    result_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic concurrency: the workbench sends back the version it showed.
    version = models.PositiveIntegerField(default=1)
    # The department's own date (``task_due_expression``), stored so a department's inbox is
    # an indexed read in date order: every write to a case recomputes its tasks' dates in the
    # same transaction (``cases.services.core._save``).
    due_date = models.DateField("frist", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = "opgave"
        verbose_name_plural = "opgaver"
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="task_case_department"),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="task_department_status"),
            # A department's inbox: its open tasks in date order, read in index order (one
            # range, no sort of the department's tens of thousands of open tasks).
            models.Index(
                fields=["department", "due_date", "id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="task_inbox",
            ),
        ]


def task_due_expression() -> Coalesce:
    """A task's own date, for a query over tasks: the latest pending-or-delivered municipal
    answer line (``Svar: …``) of its case for one of its service types, so when the
    coordinator moves a department's line, that department's inbox, task card, reminders and
    e-mails follow it; without such a line (a case not yet screened, lines waived), the
    case's estimate. The stored ``Task.due_date`` is this, kept by the services."""
    lines = (
        Deliverable.objects.filter(
            case_id=OuterRef("case_id"),
            party=Deliverable.Party.MUNICIPALITY,
            service_type__tasks=OuterRef("pk"),
        )
        .exclude(status=Deliverable.Status.WAIVED)
        .order_by("-due_date")
        .values("due_date")[:1]
    )
    estimate = Case.objects.filter(pk=OuterRef("case_id")).values("estimated_answer_date")[:1]
    return Coalesce(
        Subquery(lines, output_field=models.DateField()),
        Subquery(estimate, output_field=models.DateField()),
    )


class Deliverable(models.Model):
    """A line of the delivery plan (leverance): who delivers what, by when."""

    class Party(models.TextChoices):
        BUSINESS = "business", "Virksomheden"
        MUNICIPALITY = "municipality", "Kommunen"

    class Status(models.TextChoices):
        PENDING = "pending", "Afventer"
        DELIVERED = "delivered", "Leveret"
        WAIVED = "waived", "Frafaldet"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliverables")
    party = models.CharField(max_length=12, choices=Party.choices)
    title = models.CharField(max_length=250)
    requirement_key = models.SlugField(max_length=60, blank=True)
    service_type = models.ForeignKey(
        ServiceType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "leverance"
        verbose_name_plural = "leverancer"
        indexes = [
            models.Index(fields=["case", "status", "due_date"], name="deliverable_case_due"),
            models.Index(fields=["status", "due_date"], name="deliverable_due"),
            models.Index(
                fields=["due_date"],
                include=["case", "party"],
                condition=Q(status="pending"),
                name="deliverable_pending_due",
            ),
        ]

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.PENDING and self.due_date < today


class Event(models.Model):
    """An entry in a case's timeline (hændelse): together they are the audit trail."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(
        default=False, help_text="Only staff see it (e.g. an internal note was added)."
    )
    # What the business reads in its case history for this event, written for it; empty
    # means the business does not see the event (staff see ``text``, the full log).
    business_text = models.TextField("tekst til virksomheden", blank=True)
    # How to show ``business_text`` in the business's language: its message id, arguments
    # and which arguments are dates (``cases.services.core.business_line``).
    business_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class Message(models.Model):
    """A message on a case (besked) between the business and the municipality.

    An internal note (``internal``) is for staff only and is never shown to the business.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # A business's message is unread in the workbench until the case's coordinator (or a
    # caseworker with a task on the case) opens the case: then it is read, by them.
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by staff when the text holds personal data beyond the contact details (a CPR
    # number, health, a private address): retention then replaces the whole text, not only
    # the contact's name, e-mail and phone (``cases.services.retention``).
    contains_personal_data = models.BooleanField(
        "indeholder personoplysninger",
        default=False,
        help_text="Hele teksten anonymiseres, når sagens opbevaringsfrist er udløbet.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "besked"
        verbose_name_plural = "beskeder"
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_at"),
            # The workbench menu's unread badge on every page: only the few unread messages
            # from businesses are in it.
            models.Index(
                fields=["case"],
                condition=Q(read_at__isnull=True, internal=False),
                name="message_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.body[:40]}"


class InquiryDraft(models.Model):
    """An inquiry a business user is writing in the portal (kladde), kept between steps.

    ``data`` holds what the steps collected: service_types, description, contact, answers.
    Submitting it makes a case (``submitted_case``); the draft itself is kept.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inquiry_drafts"
    )
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="draft_user_updated")]


def draft_document_path(instance: DraftDocument, filename: str) -> str:
    return f"drafts/{instance.draft_id}/{filename}"


class DraftDocument(models.Model):
    """A file uploaded to a draft; it becomes a case document when the draft is submitted."""

    draft = models.ForeignKey(InquiryDraft, on_delete=models.PROTECT, related_name="documents")
    requirement_key = models.SlugField(max_length=60, blank=True)
    file = models.FileField(upload_to=draft_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    replaced = models.BooleanField(default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]


class RetentionRun(models.Model):
    """One run of the retention rule (``cases.services.retention``): what it anonymised, or
    with ``dry_run`` what it would have. Kept as the record that the rule was applied."""

    started_at = models.DateTimeField("startet")
    finished_at = models.DateTimeField(
        "færdig", null=True, blank=True, help_text="Tom: kørslen blev afbrudt."
    )
    dry_run = models.BooleanField("prøvekørsel", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="startet af",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Tom: systemet (den daglige kørsel eller kommandoen).",
    )
    cases_count = models.PositiveIntegerField("sager", default=0)
    summary = models.JSONField("resumé", default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "anonymiseringskørsel"
        verbose_name_plural = "anonymiseringskørsler"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}{' (prøve)' if self.dry_run else ''}"
