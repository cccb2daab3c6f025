"""Fixtures for the notification tests: a real SMTP server, the task backend, and cases.

``smtp`` starts an aiosmtpd server on a free loopback port and points Django's SMTP backend
at it; tests assert on what that server received. The task backend is the one ``TASKS``
names: the database backend by default, Redis/RQ with ``TASKS_BACKEND=rq`` (CI runs these
tests on both). ``deliver_all()`` runs the real worker until the queue is empty.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common.tests.files import pdf_bytes as _pdf
from erhvervskontakt.notifications import worker

CPH = ZoneInfo("Europe/Copenhagen")
PORTAL_URL = "http://127.0.0.1:8000"


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An instant in Copenhagen local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


# --- the SMTP server ------------------------------------------------------------------------


@dataclass
class Mail:
    """One message as the SMTP server received it."""

    envelope_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def __getitem__(self, header: str) -> str:
        return str(self.message[header] or "")

    @property
    def subject(self) -> str:
        return self["Subject"].strip()  # a folded encoded subject unfolds with a leading space

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "no text/plain part"
        return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "no text/html part"
        return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s\"<>]+", self.text)


@dataclass
class SmtpServer:
    """What a real SMTP server on 127.0.0.1 received; it can refuse or hold messages."""

    host: str
    port: int
    received: list[Mail] = field(default_factory=list)
    refuse_data: str | None = None  # e.g. "451 4.3.0 Try again later"
    refuse_rcpt: str | None = None  # e.g. "550 5.1.1 No such user"
    hold_at: int | None = None  # hold the n-th message (1-based) until released
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self._seen += 1
            seen = self._seen
        if self.hold_at is not None and seen == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            # The sender was killed while we held its message: it was never accepted.
            return "451 4.3.0 Not accepted"
        if self.refuse_data:
            return self.refuse_data
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def hold(self, nth: int = 1) -> None:
        """Hold the ``nth`` message from now on the wire until ``release`` is set."""
        with self.lock:
            self.hold_at = self._seen + nth
        self.holding.clear()
        self.release.clear()

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.received if address in m.rcpt_tos]

    def one(self, *, to: str, kind: str | None = None) -> Mail:
        found = [m for m in self.to(to) if kind is None or m["X-Erhvervskontakt-Kind"] == kind]
        assert len(found) == 1, [(m.rcpt_tos, m.subject) for m in self.received]
        return found[0]

    def kinds(self) -> list[str]:
        return sorted(m["X-Erhvervskontakt-Kind"] for m in self.received)

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port; Django's SMTP backend sends to it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        server.release.set()
        controller.stop()


# --- the task backend -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    """Redis outlives a test's database: start and end each test with an empty RQ queue."""
    if worker.backend_name() != "rq":
        yield
        return
    import django_rq

    def empty() -> None:
        queue = django_rq.get_queue("default")
        queue.empty()
        for registry in (
            queue.started_job_registry,
            queue.failed_job_registry,
            queue.finished_job_registry,
        ):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)

    empty()
    yield
    empty()


@pytest.fixture
def deliver_all() -> Callable[[], int]:
    """Run the real worker (database or RQ backend) until the queue is empty."""

    def run() -> int:
        total = 0
        for _ in range(20):
            ran = worker.drain()
            total += ran
            if not ran:
                break
        return total

    return run


# --- cases ------------------------------------------------------------------------------------

CONTACT = {"name": "Eva Ejer", "email": "ejer@fynsk.dk", "phone": "+45 12 34 56 78"}


@pytest.fixture
def submit(
    catalogue: dict[str, ServiceType], owner: User, business: Business
) -> Callable[..., Case]:
    """``submit(**fields)``: an inquiry from ``owner`` (contact: the owner's own address)."""

    def make(*, actor: User | None = None, **fields: Any) -> Case:
        payload: dict[str, Any] = {
            "cvr": business.cvr,
            "service_types": ["udeservering"],
            "description": "Seks borde foran caféen på Vestergade.",
            "contact": dict(CONTACT),
            "answers": {"areal": 12},
        }
        payload.update(fields)
        return inquiry_submit(actor=actor or owner, **payload)

    return make


@pytest.fixture
def building_case(submit: Callable[..., Case]) -> Callable[..., Case]:
    """A building permit inquiry with the drawings missing (the business owes them)."""

    def make(**fields: Any) -> Case:
        return submit(
            service_types=["byggetilladelse-erhverv"],
            answers={"matrikel": "12a Odense Bygrunde", "etageareal": 800},
            **fields,
        )

    return make


@pytest.fixture
def pdf_bytes() -> bytes:
    return _pdf()
