"""``manage.py serve``: the web server (gunicorn) and the worker together, for ``make run``.

A small supervisor: both run as child processes in their own sessions, so Ctrl-C reaches
only this process, which forwards SIGTERM to both, waits for them to finish what they are
doing, and kills what is still running after the grace period. If either child dies, the
other is stopped too and the exit code says so. Both are told the address served
(``SITE_BIND``), which the e-mails' links use unless ``SITE_URL`` is set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Serve the web application with gunicorn and run the background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--web-workers", type=int, default=3)
        parser.add_argument("--no-worker", action="store_true", help="Serve without a worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        web = [
            python,
            "-m",
            "gunicorn",
            "erhvervskontakt.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["web_workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        manage = str(settings.BASE_DIR / "manage.py")
        commands = {"web": web}
        if not options["no_worker"]:
            commands["worker"] = [python, manage, "worker"]
        if _local_test_idp():
            # The demo's stand-in for NemLog-in; its keys and metadata are made first, so the
            # server finds them at its first login.
            from erhvervskontakt.demo.saml_idp import prepare_local

            prepare_local()
            commands["test-idp"] = [python, manage, "local_test_idp"]
        # Where the server listens is where the e-mails link to, unless SITE_URL says
        # otherwise: the worker (which sends the sweep's e-mails) has no request to ask.
        environment = {**os.environ, "SITE_BIND": options["bind"]}
        children = {
            name: subprocess.Popen(command, start_new_session=True, env=environment)  # noqa: S603
            for name, command in commands.items()
        }
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, child in children.items():
                    code = child.poll()
                    if code is not None:
                        self.stderr.write(f"{name} stopped (exit code {code}); stopping the rest")
                        exit_code = code or 1
                        stopping = True
                        break
                time.sleep(0.3)
        finally:
            self._stop_all(children)
        if exit_code:
            raise SystemExit(exit_code)

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {GRACE_SECONDS} s; killing it")
                child.kill()
                child.wait()


def _local_test_idp() -> bool:
    from erhvervskontakt.identity import config

    saml = config.current().saml
    return saml is not None and saml.local_test_idp
