"""The simulator is the proof that the learned promises hold (issue 17): each scenario runs a
year of inquiries through the real services with a fixed seed, and is judged on the promises
that matured in the scored months (10–12).

Each run takes about a minute. ``odense`` runs on both databases; the other scenarios run the
same code and queries on other figures, so they run on SQLite only, where they are fastest.
``thin`` runs as a user would run it: ``manage.py simulate … --json`` in a database of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from erhvervskontakt.demo.scenarios import SCENARIOS
from erhvervskontakt.demo.simulation import run_scenario

pytestmark = [pytest.mark.slow]

REQUIRED = {
    "scenario",
    "seed",
    "matured",
    "kept",
    "hit_rate",
    "band_low",
    "band_high",
    "median_slack_working_days",
    "screened_on_time_rate",
    "fixed_target_hit_rate",
    "naive_closed_p90_hit_rate",
}

sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the same code as odense on other figures: run on SQLite, odense runs on both",
)


def figures(name: str, seed: int = 1) -> dict[str, Any]:
    simulation = run_scenario(SCENARIOS[name], seed=seed)
    found = simulation.report()
    assert set(found) >= REQUIRED
    return found


@pytest.mark.django_db
def test_odense_keeps_nine_in_ten_and_is_not_needlessly_late() -> None:
    found = figures("odense")

    assert found["matured"] > 100
    assert found["band_low"] <= found["hit_rate"] <= found["band_high"], found
    assert found["median_slack_working_days"] <= 5, found
    assert found["screened_on_time_rate"] >= 0.9
    # The fixed target on the same cases is reported beside ours; it keeps fewer.
    assert found["fixed_target_hit_rate"] < found["hit_rate"]
    assert found["promise_bases"]["history"] > found["promise_bases"].get("fixed", 0)


@sqlite_only
@pytest.mark.django_db
def test_a_growing_backlog_leaves_the_naive_promise_short_and_ours_holds() -> None:
    found = figures("growing-backlog", seed=2)

    assert found["naive_closed_p90_below_band"], found
    assert found["band_low"] <= found["hit_rate"] <= found["band_high"], found


@sqlite_only
@pytest.mark.django_db
def test_after_a_step_change_coverage_is_back_within_eight_weeks() -> None:
    found = figures("step-change", seed=2)

    assert found["weeks_to_recover"] is not None and found["weeks_to_recover"] <= 8, found


@sqlite_only
def test_a_thin_service_type_falls_back_and_says_so_from_the_command(tmp_path: Path) -> None:
    database = tmp_path / "unused.sqlite3"  # the command makes its own beside the report
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "erhvervskontakt.settings",
    }
    out = tmp_path / "simulations"
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "simulate",
            "--scenario",
            "thin",
            "--seed",
            "1",
            "--json",
            "--out",
            str(out),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert set(found) >= REQUIRED and found["scenario"] == "thin" and found["seed"] == 1
    thin = found["bases_by_service_type"]["landzonetilladelse"]
    assert thin and set(thin) <= {"group", "national", "fixed"}, thin  # never its own history
    assert found["band_low"] <= found["hit_rate"] <= found["band_high"], found
    written = {path.name for path in out.iterdir()}
    assert {"thin-1.json", "thin-1.txt", "thin-1-coverage.png", "thin-1-coverage.svg"} <= written
    assert "thin-1-promised-vs-actual.svg" in written and "thin-1.sqlite3" in written
    assert json.loads((out / "thin-1.json").read_text())["kept"] == found["kept"]
    assert "Scenario thin, seed 1" in (out / "thin-1.txt").read_text()


@pytest.mark.django_db
def test_the_command_refuses_a_database_with_cases(
    catalogue: Any, owner: Any, business: Any
) -> None:
    from django.core.management import CommandError, call_command

    from erhvervskontakt.cases.services.intake import inquiry_submit

    inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Et spørgsmål.",
        contact={"name": "Eva", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"},
    )
    with pytest.raises(CommandError, match="holds cases"):
        call_command("simulate", "--scenario", "odense", "--into-current-database")
    assert connection.vendor in ("sqlite", "postgresql")
