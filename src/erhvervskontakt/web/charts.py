"""Server-rendered SVG charts for the promise dashboard.

No JavaScript and nothing to download: the chart is markup the server writes, so it prints,
works with scripts off and is tested like any template. Each chart is an ``<svg role="img">``
with a title and a one-sentence description for screen readers (an image holds no links:
the table beside each chart has the same figures with their n, each linking to its cases, and
is the full text alternative). Colours are DKFDS's primary blue and a dark grey on white (contrast above 4.5:1
for text, 3:1 for the bars).
"""

from __future__ import annotations

import dataclasses
import itertools
import textwrap
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR = "#0059b3"  # DKFDS primary
MUTED = "#767676"  # grey with 4.5:1 on white
TEXT = "#1a1a1a"
GRID = "#d9d9d9"

_ids = itertools.count(1)


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data (n == 0) — drawn as "ingen data", never as 0
    text: str  # the figure as shown, e.g. "87 % (n = 112)"


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    maximum: float = 100.0,
    target: float | None = None,
    target_label: str = "",
) -> SafeString:
    """One bar per row (a share per service type, a count per coordinator), with an optional
    target line (e.g. the share a promise should reach). Each label is written in full on
    its own line(s) above its bar, never cut off (a question of the survey is a sentence)."""
    bar_width, top, line, bar_height = 420, 8, 18, 20
    width = bar_width + 150
    chart_id = f"chart-{next(_ids)}"
    rows = []
    y = top
    for bar in bars:
        lines = _wrap(bar.label, LABEL_CHARACTERS)
        label = format_html(
            '<text x="0" y="{}" fill="{}">{}</text>',
            y + 14,
            TEXT,
            _join(
                [
                    format_html('<tspan x="0" dy="{}">{}</tspan>', 0 if i == 0 else line, text)
                    for i, text in enumerate(lines)
                ]
            ),
        )
        bar_top = y + line * len(lines) + 2
        if bar.value is None:
            body = format_html(
                '<text x="0" y="{}" fill="{}">{}</text>', bar_top + 15, MUTED, bar.text
            )
        else:
            length = 0.0 if maximum <= 0 else max(0.0, min(bar.value / maximum, 1.0)) * bar_width
            body = format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                bar_top,
                _f(max(length, 1.0)),
                bar_height,
                BAR,
                _f(length + 6),
                bar_top + 15,
                TEXT,
                bar.text,
            )
        rows.append(format_html("<g>{}{}</g>", label, body))
        y = bar_top + bar_height + 10
    if not bars:
        rows.append(format_html('<text x="0" y="{}" fill="{}">{}</text>', top + 19, MUTED, "—"))
        y = top + 30
    bottom = y
    height = bottom + (24 if target is not None else 4)
    marker = SafeString("")
    if target is not None and maximum > 0:
        x = min(target / maximum, 1.0) * bar_width
        marker = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>'
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            _f(x),
            top,
            _f(x),
            bottom,
            TEXT,
            _f(min(max(x, 24.0), bar_width)),
            bottom + 16,
            TEXT,
            target_label,
        )
    return _svg(chart_id, width, height, title, description, _join(rows), marker)


def sparkline(
    points: Sequence[Bar],
    *,
    title: str,
    description: str,
    maximum: float | None = 100.0,
    target: float | None = None,
) -> SafeString:
    """A small line over time (a KPI month by month, oldest first) for a dashboard tile: a
    dot per point with a value, gaps where there is none (``value`` None: no data that
    month, never drawn as 0), and the target as a dashed line. No labels in the picture:
    ``description`` is its text alternative and names every point (e.g. "jan. 2026: 88 %;
    …"), and the tile beside it has the figure in words."""
    width, height, pad = 240, 56, 5
    values = [p.value for p in points if p.value is not None]
    peak = maximum if maximum is not None else max([*values, target or 0.0, 1.0])
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return height - pad - max(0.0, min(value / peak, 1.0)) * (height - 2 * pad)

    chart_id = f"chart-{next(_ids)}"
    parts: list[SafeString] = [
        format_html(
            '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            height - pad,
            width,
            height - pad,
            GRID,
        )
    ]
    if target is not None and peak > 0:
        parts.append(
            format_html(
                '<line class="ek-spark-target" x1="0" y1="{}" x2="{}" y2="{}" stroke="{}" '
                'stroke-dasharray="4 3"/>',
                _f(y(target)),
                width,
                _f(y(target)),
                MUTED,
            )
        )
    run: list[str] = []
    runs: list[list[str]] = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{_f(pad + index * step)},{_f(y(point.value))}")
    if run:
        runs.append(run)
    for found in runs:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                " ".join(found),
                BAR,
            )
        )
        for xy in found:
            cx, cy = xy.split(",")
            parts.append(format_html('<circle cx="{}" cy="{}" r="2.5" fill="{}"/>', cx, cy, BAR))
    return format_html(
        '<svg class="ek-sparkline" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        body=_join(parts),
    )


def columns(
    bars: Sequence[Bar], *, title: str, description: str, highlight: str = ""
) -> SafeString:
    """Vertical columns for a distribution (e.g. how many working days estimates were off);
    the column labelled ``highlight`` (e.g. "0") is drawn in the primary colour, the others
    grey, so "on the day" stands out."""
    column, gap, plot, top, bottom_space = 56, 10, 160, 24, 40
    width = max(len(bars), 1) * (column + gap) + gap
    height = top + plot + bottom_space
    values = [bar.value or 0.0 for bar in bars]
    peak = max(values, default=0.0) or 1.0
    chart_id = f"chart-{next(_ids)}"
    parts = []
    for index, bar in enumerate(bars):
        x = gap + index * (column + gap)
        tall = (bar.value or 0.0) / peak * plot
        y = top + plot - tall
        body = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            x,
            _f(y),
            column,
            _f(max(tall, 1.0)),
            BAR if bar.label == highlight or not highlight else MUTED,
            _f(x + column / 2),
            _f(y - 6),
            TEXT,
            bar.text,
        )
        label = format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            _f(x + column / 2),
            top + plot + 18,
            TEXT,
            bar.label,
        )
        parts.append(format_html("<g>{}{}</g>", body, label))
    axis = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="{}"/>', top + plot, width, top + plot, GRID
    )
    return _svg(chart_id, width, height, title, description, _join(parts), axis)


def _svg(
    chart_id: str,
    width: int,
    height: int,
    title: str,
    description: str,
    body: SafeString,
    extra: SafeString,
) -> SafeString:
    return format_html(
        '<svg class="ek-chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-labelledby="{id}-title {id}-desc" '
        'font-family="IBM Plex Sans, Arial, sans-serif" font-size="14" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}{extra}</svg>",
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        body=body,
        extra=extra,
    )


def _f(number: float) -> str:
    """A coordinate with one decimal (format_html escapes its arguments: no format specs)."""
    return f"{number:.1f}"


def _join(parts: Sequence[SafeString]) -> SafeString:
    """Already-built (escaped) pieces, joined."""
    return format_html_join("", "{}", ((part,) for part in parts))


LABEL_CHARACTERS = 70  # a label line of a bar chart, at 14 px in 570 px


def _wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` characters, broken between words (a word
    longer than a line gets a line of its own)."""
    return textwrap.wrap(text, limit, break_long_words=False) or [""]
