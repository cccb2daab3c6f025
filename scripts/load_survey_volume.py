#!/usr/bin/env python3
"""Add satisfaction-survey volume to a benchmark database: an invitation for every answered
case that has no answer-survey yet, and the answers of those that responded.

A command line around ``erhvervskontakt.surveys.volume.load_survey_volume`` (PostgreSQL
``COPY``; ``bulk_create`` elsewhere): the rows the services would write — the invitation on
the working day after the answer with the case's coordinator, departments and service types,
the answers repeating its case, date and dimensions, ``positive`` by each question's rule,
the timeline events — without follow-up tasks or usable tokens. Adds only what is missing,
so it can be run again after more cases are loaded; then VACUUM ANALYZE (PostgreSQL), so
the satisfaction figures are measured with index-only scans, as in a database that
autovacuum keeps.

Over ``manage.py load_volume --cases 1000000`` the defaults give about 0.8 M invitations and
1.7 M answers::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_measures
    .venv/bin/python scripts/load_survey_volume.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--response-rate", type=float, default=0.4, help="Share that answers (default 0.4)."
    )
    parser.add_argument("--seed", type=int, default=2009, help="Random seed.")
    parser.add_argument("--batch", type=int, default=20000, help="Cases per transaction.")
    args = parser.parse_args()
    if not 0 <= args.response_rate <= 1 or args.batch < 1:
        parser.error("--response-rate is a share (0–1); --batch is positive.")

    import django

    django.setup()
    from django.db import connection

    from erhvervskontakt.surveys.volume import load_survey_volume

    started = time.monotonic()
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        print(f"\r{done:,} cases", end="", file=sys.stderr, flush=True)

    made = load_survey_volume(
        seed=args.seed, response_rate=args.response_rate, batch_size=args.batch, progress=progress
    )
    print(file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("surveys_invitation", "surveys_answer", "cases_event"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"Added {made.invited:,} invitations ({made.responded:,} answered), {made.answers:,} "
        f"answers and {made.events:,} events in {time.monotonic() - started:.1f} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
