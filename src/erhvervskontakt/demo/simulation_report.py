"""The simulator's report: the figures as JSON, a text summary, and two plots (PNG and SVG):
how often the promises that matured each week were kept (trailing four weeks, with the band
a true "9 out of 10" lies in), and what was promised against what happened, month by month."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")  # files only, no screen
import matplotlib.pyplot as plt

from erhvervskontakt.estimates.accuracy import acceptance_band

from .simulation import START, Simulation


def _x(days: list[dt.date]) -> Any:
    return np.array(days, dtype="datetime64[D]")


def _y(values: list[float | None]) -> Any:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


BLUE, GREY, ORANGE, GREEN = "#0059b3", "#767676", "#b35900", "#2e7d32"


def write_report(simulation: Simulation, figures: dict[str, Any], directory: Path) -> list[Path]:
    """Write ``<scenario>-<seed>.{json,txt}`` and the plots into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{figures['scenario']}-{figures['seed']}"
    written = []
    path = directory / f"{stem}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    written.append(path)
    path = directory / f"{stem}.txt"
    path.write_text(summary(figures), encoding="utf-8")
    written.append(path)
    for name, draw in (("coverage", _coverage), ("promised-vs-actual", _promised_vs_actual)):
        figure = draw(simulation, figures)
        for suffix in ("png", "svg"):
            path = directory / f"{stem}-{name}.{suffix}"
            figure.savefig(path, dpi=110)
            written.append(path)
        plt.close(figure)
    return written


def _share(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def summary(figures: dict[str, Any]) -> str:
    """The report in words (English: a developer's and an analyst's tool)."""
    lines = [
        f"Scenario {figures['scenario']}, seed {figures['seed']}: {figures['inquiries']} "
        f"inquiries, {figures['answered']} answered, {figures['refreshes']} nightly refreshes.",
        f"Promises (meant to hold for {_share(figures['confidence'])}) that matured in the "
        f"scored months: {figures['matured']}, kept {figures['kept']} = "
        f"{_share(figures['hit_rate'])} (exact 95 % interval {_share(figures['hit_rate_exact_low'])}"
        f"–{_share(figures['hit_rate_exact_high'])}).",
        f"Band a true {_share(figures['confidence'])} lies in for this n: "
        f"{_share(figures['band_low'])}–{_share(figures['band_high'])}: "
        f"{'inside' if figures['inside_band'] else 'OUTSIDE'}.",
        f"Median slack on kept promises: {figures['median_slack_working_days']} working days; "
        f"median lateness on missed ones: {figures['median_lateness_working_days']}.",
        f"Screened within 5 working days: {_share(figures['screened_on_time_rate'])}.",
        f"The fixed target on the same cases: {_share(figures['fixed_target_hit_rate'])} of "
        f"{figures['fixed_target_matured']}; the naive P90 of closed cases: "
        f"{_share(figures['naive_closed_p90_hit_rate'])} of {figures['naive_closed_p90_matured']}"
        f"{' (below the band)' if figures['naive_closed_p90_below_band'] else ''}.",
        f"What the promises rested on: {figures['promise_bases']}.",
    ]
    if "weeks_to_recover" in figures:
        lines.append(
            f"Weeks from the step change until coverage was back: {figures['weeks_to_recover']}."
        )
    return "\n".join(lines) + "\n"


def _weekly(
    simulation: Simulation, outcomes: list[tuple[dt.date, bool]]
) -> tuple[list[dt.date], list[float | None], list[tuple[float, float]]]:
    """The trailing four weeks' hit rate each week, with the band of the promised share."""
    weeks, rates, bands = [], [], []
    for week, window in simulation.trailing_weeks(outcomes):
        weeks.append(week)
        rates.append(sum(window) / len(window) if window else None)
        band = acceptance_band(len(window), simulation.confidence()) if window else None
        bands.append((band.low, band.high) if band else (float("nan"), float("nan")))
    return weeks, rates, bands


def _coverage(simulation: Simulation, figures: dict[str, Any]) -> Any:
    figure, axes = plt.subplots(figsize=(9, 4.2))
    series = {
        "Learned promise": (simulation.score(lambda s: s.promised_days, since=START)[1], BLUE),
        "Fixed target": (simulation.score(lambda s: s.fixed_days, since=START)[1], GREY),
        "Naive P90 of closed cases": (
            simulation.score(lambda s: s.naive_days, since=START)[1],
            ORANGE,
        ),
    }
    learned_weeks, _, bands = _weekly(simulation, series["Learned promise"][0])
    axes.fill_between(
        _x(learned_weeks),
        _y([b[0] * 100 for b in bands]),
        _y([b[1] * 100 for b in bands]),
        color=BLUE,
        alpha=0.12,
        label="95 % band of a true 9 in 10",
    )
    for label, (outcomes, colour) in series.items():
        weeks, rates, _ = _weekly(simulation, outcomes)
        axes.plot(
            _x(weeks),
            _y([None if r is None else 100 * r for r in rates]),
            color=colour,
            label=label,
        )
    axes.axhline(100 * figures["confidence"], color=GREEN, linestyle="--", linewidth=1)
    axes.axvline(_x([simulation.score_from])[0], color=GREY, linestyle=":", linewidth=1)
    axes.set_ylim(40, 101)
    axes.set_ylabel("Promises kept (%), trailing 4 weeks")
    axes.set_title(
        f"{figures['scenario']} (seed {figures['seed']}): promises kept by the week they matured"
    )
    axes.legend(loc="lower left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure


def _promised_vs_actual(simulation: Simulation, figures: dict[str, Any]) -> Any:
    by_month: dict[dt.date, tuple[list[int], list[int]]] = {}
    for sim in simulation.cases:
        if sim.screened_on is None or sim.promised_days is None:
            continue
        month = sim.screened_on.replace(day=1)
        promised, actual = by_month.setdefault(month, ([], []))
        promised.append(sim.promised_days)
        if sim.answered_on is not None:
            actual.append(
                simulation.calendar.working_days_between(sim.screened_on, sim.answered_on)
                - sim.paused
            )
    months = sorted(by_month)
    figure, axes = plt.subplots(figsize=(9, 4.2))
    axes.plot(
        _x(months),
        _y([statistics.median(by_month[m][0]) for m in months]),
        color=BLUE,
        marker="o",
        label="Promised (median, working days)",
    )
    axes.plot(
        _x(months),
        _y([statistics.median(by_month[m][1]) if by_month[m][1] else None for m in months]),
        color=GREY,
        marker="s",
        label="Actual (median, net working days)",
    )
    axes.plot(
        _x(months),
        _y([_p90(by_month[m][1]) for m in months]),
        color=GREY,
        linestyle="--",
        marker=".",
        label="Actual (P90)",
    )
    axes.set_ylabel("Working days from screening")
    axes.set_title(
        f"{figures['scenario']} (seed {figures['seed']}): promised and actual, by month of screening"
    )
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure


def _p90(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, -(-9 * len(ordered) // 10) - 1)])
