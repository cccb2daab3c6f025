"""The commands: ``sweep`` (cron), ``worker``, and ``serve`` (web server and worker together)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command

from erhvervskontakt.notifications.models import Notification

from .conftest import cph, free_port
from .test_concurrency import _database_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_sweep_records_what_is_due_and_says_what_it_did(building_case, karen, time_machine):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()
    time_machine.move_to(cph(2026, 12, 7, 8), tick=False)
    out = io.StringIO()

    call_command("sweep", stdout=out)
    call_command("sweep", stdout=out)

    first, second = out.getvalue().splitlines()
    # the receipt's task never ran (no worker here): queued again, ten days on
    assert first == "Registreret: coordinator_digest 1; sat i kø: 1."
    assert second == "Registreret: intet nyt; sat i kø: 0."
    assert Notification.objects.filter(kind="coordinator_digest").count() == 1


def test_the_worker_command_sweeps_and_sends(building_case, karen, smtp, time_machine):
    from erhvervskontakt.notifications.worker import Runner

    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()
    time_machine.move_to(cph(2026, 12, 7, 8), tick=False)

    Runner(sweep_every=300, interval=0).run(max_loops=3)

    assert smtp.kinds() == ["coordinator_digest", "receipt"]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.mark.slow
def test_serve_runs_the_web_server_and_the_worker_and_ctrl_c_stops_both(tmp_path):
    """…and tells both the address served, which the e-mails link to; in the demo the local
    test IdP runs beside them and stops with them."""
    port = free_port()
    idp_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "true",
        "NOTIFICATIONS_SWEEP_SECONDS": "3600",
        # The demo's stand-in for NemLog-in starts too (DEBUG, no SAML_IDP_METADATA).
        "SAML_LOCAL_TEST_IDP_PORT": str(idp_port),
    }
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--web-workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code
                break
            except httpx.TransportError:
                time.sleep(0.2)
        while "Worker started" not in (tmp_path / "serve.log").read_text():
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        while True:
            try:
                metadata = httpx.get(f"http://127.0.0.1:{idp_port}/metadata", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        children = _children(serve.pid)
        assert status == 200, (tmp_path / "serve.log").read_text()
        assert metadata.status_code == 200 and b"IDPSSODescriptor" in metadata.content
        assert len(children) == 3  # gunicorn, the worker and the local test IdP
        for child in children:  # both link e-mails to where the server listens
            environ = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
            assert f"SITE_BIND=127.0.0.1:{port}".encode() in environ

        serve.send_signal(signal.SIGINT)  # what Ctrl-C in `make run` sends
        code = serve.wait(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
        log.close()

    output = (tmp_path / "serve.log").read_text()
    assert code == 0, output
    assert "Worker started" in output
    assert "Worker stopped" in output
    assert not any(_alive(pid) for pid in children)
