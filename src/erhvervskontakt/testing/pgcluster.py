"""A private PostgreSQL cluster for fault tests, and the application running against it.

The fault tests stop and start PostgreSQL in the middle of the work, so they never use the
machine's shared server (nor the test database the rest of the suite uses): ``pg_cluster``
makes a cluster of its own with Debian's ``initdb`` and ``pg_ctl``
(``/usr/lib/postgresql/<version>/bin``) in a temporary directory, listening on 127.0.0.1 on a
free port (never 5432), trust authentication, ``fsync`` off. Under root (initdb refuses it)
the binaries run as the ``postgres`` OS user, who owns the directory. Where the binaries are
missing the tests are skipped and say so.

The cluster is started once per test run (``migrate`` takes seconds); ``app_database()``
gives each test a fresh copy of a migrated database (``CREATE DATABASE … TEMPLATE``).
``django_env()`` is the environment of a process of ours against that database (web server,
worker, a ``manage.py`` command), ``run_django()`` runs a piece of code in such a process,
and ``Gunicorn`` is the web server as ``manage.py serve`` starts it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
MANAGE = str(BASE_DIR / "manage.py")
TEMPLATE_DB = "erhvervskontakt_template"


def free_port() -> int:
    """A TCP port nobody listens on now (never 5432, the shared server's)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port != 5432:
            return port


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb, pg_ctl and pg_isready."""
    found = []
    for directory in glob.glob("/usr/lib/postgresql/*/bin"):
        path = Path(directory)
        if all((path / tool).exists() for tool in ("initdb", "pg_ctl", "pg_isready")):
            try:
                found.append((int(path.parent.name), path))
            except ValueError:
                continue
    return max(found)[1] if found else None


class PgCluster:
    """One PostgreSQL cluster in a directory of its own; ``stop``/``start`` as a fault."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="ek-pgcluster-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.user: str | None = None
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as postgres
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("Running as root and there is no 'postgres' OS user for initdb")
            self.user = "postgres"
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.root.chmod(0o755)  # pg_ctl's log and the socket directory

    # --- running the binaries ---------------------------------------------------------

    def _command(self, tool: str, *args: str) -> list[str]:
        command = [str(self.bin / tool), *args]
        if self.user:
            runuser = shutil.which("runuser")
            if runuser:
                return [runuser, "-u", self.user, "--", *command]
            return ["su", self.user, "-s", "/bin/sh", "-c", " ".join(command)]
        return command

    def _run(self, tool: str, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(  # noqa: S603
            self._command(tool, *args), capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}\n{self.log_tail()}"
            )
        return done.stdout

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # --- life cycle -------------------------------------------------------------------

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self) -> float:
        """Start and wait until it accepts connections; return that moment (monotonic)."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self.wait_ready()

    def stop(self, mode: str = "fast") -> float:
        """``pg_ctl stop -m fast``: sessions are cut off, open transactions roll back.

        Returns the moment (monotonic) it had stopped."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        return time.monotonic()

    def is_ready(self) -> bool:
        done = subprocess.run(  # noqa: S603
            [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
            timeout=10,
        )
        return done.returncode == 0

    def wait_ready(self, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not get ready:\n{self.log_tail()}")
            time.sleep(0.05)
        return time.monotonic()

    def restart(self, down_for: float) -> tuple[float, float]:
        """Fast shutdown, ``down_for`` seconds down, start; (stopped at, ready at)."""
        stopped = self.stop("fast")
        time.sleep(max(0.0, down_for - (time.monotonic() - stopped)))
        return stopped, self.start()

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # --- databases ----------------------------------------------------------------------

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(self.url(name), autocommit=True, connect_timeout=5)

    def execute(self, name: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run one statement on database ``name`` (autocommit); its rows, if any."""
        with self.connect(name) as conn:
            cursor = conn.execute(sql, params or None)
            return list(cursor.fetchall()) if cursor.description else []


_cluster: PgCluster | None = None


def shared_cluster() -> PgCluster:
    """The run's cluster, with a migrated template database (made on first use)."""
    global _cluster
    if _cluster is None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            pytest.skip(
                "No PostgreSQL server binaries (initdb, pg_ctl, pg_isready) in "
                "/usr/lib/postgresql/*/bin: apt-get install postgresql to run the fault tests"
            )
        cluster = PgCluster(bin_dir)
        try:
            cluster.init()
            cluster.start()
            cluster.execute("postgres", f'CREATE DATABASE "{TEMPLATE_DB}"')
            manage("migrate", "--noinput", env=django_env(cluster.url(TEMPLATE_DB)))
        except BaseException:
            cluster.destroy()
            raise
        _cluster = cluster
    return _cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The private cluster (``PgCluster``); stopped and removed after the run."""
    global _cluster
    cluster = shared_cluster()
    yield cluster
    if _cluster is not None:
        _cluster.destroy()
        _cluster = None


def app_database(cluster: PgCluster, name: str) -> str:
    """A fresh migrated database called ``name`` (a copy of the template); its URL."""
    if not cluster.is_ready():
        cluster.start()
    cluster.execute("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cluster.execute("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    return cluster.url(name)


# --- our processes against it -----------------------------------------------------------------


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a process of ours on ``database_url``: production-like settings
    (``DEBUG`` off), its own cache directory, e-mails to nowhere unless ``extra`` says."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "TEST_DB", "PYTEST_", "DJANGO_SETTINGS"))
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "fault-tests-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "9",  # discard: nothing listens, the worker is what sends
            "CACHE_URL": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "erhvervskontakt.settings",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """``manage.py <args>`` in a process of its own; its standard output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=BASE_DIR,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run_django(code: str, *, env: dict[str, str], timeout: float = 120) -> str:
    """Run ``code`` in a fresh process with Django set up on ``env``; its standard output."""
    script = "import django\ndjango.setup()\n" + code
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={**env, "PYTHONPATH": str(BASE_DIR / "src")},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=BASE_DIR,
    )
    if done.returncode != 0:
        raise RuntimeError(f"The Django snippet failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Gunicorn:
    """The web application under gunicorn (as ``manage.py serve`` runs it) on a free port."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        bind = f"127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "erhvervskontakt.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(workers),
                    "--threads",
                    str(threads),
                    "--graceful-timeout",
                    "5",
                    "--timeout",
                    "30",
                ],
                env={**env, "SITE_BIND": bind, "PYTHONPATH": str(BASE_DIR / "src")},
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=BASE_DIR,
            )
        self.wait_up()

    def wait_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz:\n{self.output()}")
            time.sleep(0.1)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-8000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


# The fault tests use their own cluster whatever DATABASE_URL says: running them in the
# PostgreSQL leg of the suite as well would prove the same thing twice.
once_per_suite = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    or os.environ.get("TASKS_BACKEND", "database") != "database",
    reason="runs once per suite, in the SQLite leg on the database task backend: it starts "
    "its own PostgreSQL cluster whatever DATABASE_URL says (the Redis/RQ legs re-run the "
    "notification tests for the task backend, not for the database)",
)
