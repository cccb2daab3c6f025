"""Fixtures for the feed and webhook tests: a real HTTP receiver, the worker, subscriptions.

``receiver()`` starts an ``http.server`` on a loopback port in a thread (or, with
``start=False``, only picks the port, so a test can have it "down" and start it later);
tests assert on what it received and verify each signature themselves. Webhooks may go to
loopback here (``WEBHOOKS_ALLOW_LOOPBACK``), and events are served at once (settle margin
0) unless a test sets a margin to test it. The task backend and ``deliver_all()`` are the
e-mail tests' (the database backend, or RQ with ``TASKS_BACKEND=rq``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.integrations.models import WebhookSubscription
from erhvervskontakt.integrations.services import webhook_subscription_create
from erhvervskontakt.notifications.tests.conftest import (  # noqa: F401  (fixtures)
    _empty_queue,
    deliver_all,
    free_port,
    submit,
)


@dataclass
class Request:
    """One POST as the receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that answers ``status`` (and ``location``), after
    ``delay`` seconds, and keeps every request it got."""

    port: int
    status: int = 200
    location: str = ""
    delay: float = 0.0
    answer: bytes = b'{"ok": true}'
    received: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with owner.lock:
                    owner.received.append(Request(self.path, dict(self.headers.items()), body))
                if owner.delay:
                    time.sleep(owner.delay)
                self.send_response(owner.status)
                if owner.location:
                    self.send_header("Location", owner.location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(owner.answer)))
                self.end_headers()
                self.wfile.write(owner.answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self) -> list[bytes]:
        with self.lock:
            return [r.body for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    """``receiver(status=200, start=True, …)``: a real HTTP receiver on a free loopback port."""
    made: list[Receiver] = []

    def make(*, start: bool = True, **options: Any) -> Receiver:
        found = Receiver(port=free_port(), **options)
        made.append(found)
        return found.start() if start else found

    yield make
    for found in made:
        found.stop()


@pytest.fixture(autouse=True)
def _webhook_settings(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 0
    settings.WEBHOOKS_TIMEOUT_SECONDS = 5
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    settings.WEBHOOKS_RETRY_SECONDS = 60


@pytest.fixture
def subscribe() -> Callable[..., tuple[WebhookSubscription, str]]:
    """``subscribe(owner, url, **fields)``: a subscription made by the service, and its secret."""

    def make(owner: User, url: str, **fields: Any) -> tuple[WebhookSubscription, str]:
        fields.setdefault("name", "Fagsystem")
        fields.setdefault("after", 0)
        created = webhook_subscription_create(owner=owner, url=url, **fields)
        return created.subscription, created.secret

    return make
