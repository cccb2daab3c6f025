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
import datetime as dt
import itertools
import textwrap
from collections.abc import Callable, Sequence

from django.utils.formats import date_format
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
    parts.extend(
        _polylines([p.value for p in points], lambda i: pad + i * step, y, colour=BAR, radius="2.5")
    )
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


@dataclasses.dataclass(frozen=True)
class Series:
    label: str  # the legend's words
    values: Sequence[float | None]  # one per month; None: no data (a gap, never 0)
    dashed: bool = False


def month_lines(
    months: Sequence[str], series: Sequence[Series], *, title: str, description: str, unit: str
) -> SafeString:
    """Lines over months (e.g. the promised and the actual working days, month by month),
    with the months along the bottom, a scale of ``unit`` on the left and a legend: a line
    is told apart by its dash as well as its colour (never colour alone)."""
    left, right, top, plot, bottom_space = 44, 36, 46, 170, 44
    step = 52
    width = left + right + max(len(months) - 1, 1) * step
    height = top + plot + bottom_space
    values = [v for s in series for v in s.values if v is not None]
    peak = max([*values, 1.0])
    ceiling = _nice_ceiling(peak)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + plot - value / ceiling * plot

    chart_id = f"chart-{next(_ids)}"
    parts: list[SafeString] = []
    for tick in range(5):
        level = ceiling * tick / 4
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                _f(y(level)),
                width - right,
                _f(y(level)),
                GRID,
                left - 6,
                _f(y(level) + 5),
                TEXT,
                _f(level).removesuffix(".0"),
            )
        )
    parts.append(format_html('<text x="0" y="{}" fill="{}">{}</text>', top - 14, TEXT, unit))
    for index, label in enumerate(months):
        # A label's lines (e.g. "jan." and, under it, "2026") as tspans.
        lines = [
            format_html('<tspan x="{}" dy="{}">{}</tspan>', _f(x(index)), 0 if i == 0 else 16, line)
            for i, line in enumerate(label.split("\n"))
        ]
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _f(x(index)),
                top + plot + 20,
                TEXT,
                _join(lines),
            )
        )
    colours = (BAR, TEXT)
    legend_x = left + 60
    for number, line in enumerate(series):
        colour = colours[number % len(colours)]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.extend(_polylines(line.values, x, y, colour=colour, radius="3", dash=dash))
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"{}/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                legend_x,
                8,
                legend_x + 28,
                8,
                colour,
                SafeString(dash),
                legend_x + 34,
                13,
                TEXT,
                line.label,
            )
        )
        legend_x += 40 + 8 * len(line.label)
    width = max(width, legend_x)
    return _svg(chart_id, width, height, title, description, _join(parts), SafeString(""))


def month_labels(months: Sequence[dt.date]) -> list[str]:
    """The months as a chart's axis writes them: the short month name, and the year under
    the first month and under each January ("jan.\n2026")."""
    return [
        date_format(m, "b") + (f"\n{m.year}" if i == 0 or m.month == 1 else "")
        for i, m in enumerate(months)
    ]


def _nice_ceiling(peak: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``peak`` (a scale people read)."""
    magnitude = 1.0
    while magnitude * 10 < peak:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= peak:
            return factor * magnitude
    return 10 * magnitude


def _polylines(
    values: Sequence[float | None],
    x: Callable[[int], float],
    y: Callable[[float], float],
    *,
    colour: str,
    radius: str,
    dash: str = "",
) -> list[SafeString]:
    """A line through the values with a dot on each, broken where a value is None (no data:
    a gap, never drawn as 0)."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{_f(x(index))},{_f(y(value))}")
    parts = []
    for found in (run for run in runs if run):
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
                " ".join(found),
                colour,
                SafeString(dash),
            )
        )
        for xy in found:
            cx, cy = xy.split(",")
            parts.append(
                format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', cx, cy, radius, colour)
            )
    return parts


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
