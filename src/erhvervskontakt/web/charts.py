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
    target line (e.g. the share a promise should reach)."""
    label_width, bar_width, row, top = 230, 320, 30, 8
    width = label_width + bar_width + 150
    height = top + row * max(len(bars), 1) + (24 if target is not None else 8)
    chart_id = f"chart-{next(_ids)}"
    rows = []
    for index, bar in enumerate(bars):
        y = top + index * row
        label = format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
            label_width - 8,
            y + 19,
            TEXT,
            _short(bar.label, 30),
        )
        if bar.value is None:
            body = format_html(
                '<text x="{}" y="{}" fill="{}">{}</text>', label_width, y + 19, MUTED, bar.text
            )
        else:
            length = 0.0 if maximum <= 0 else max(0.0, min(bar.value / maximum, 1.0)) * bar_width
            body = format_html(
                '<rect x="{}" y="{}" width="{}" height="20" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                label_width,
                y + 4,
                _f(max(length, 1.0)),
                BAR,
                _f(label_width + length + 6),
                y + 19,
                TEXT,
                bar.text,
            )
        rows.append(format_html("<g>{}{}</g>", label, body))
    if not bars:
        rows.append(
            format_html(
                '<text x="{}" y="{}" fill="{}">{}</text>', label_width, top + 19, MUTED, "—"
            )
        )
    marker = SafeString("")
    if target is not None and maximum > 0:
        x = label_width + min(target / maximum, 1.0) * bar_width
        bottom = top + row * max(len(bars), 1)
        marker = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>'
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            _f(x),
            top,
            _f(x),
            bottom,
            TEXT,
            _f(x),
            bottom + 16,
            TEXT,
            target_label,
        )
    return _svg(chart_id, width, height, title, description, _join(rows), marker)


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
        '<svg class="ek-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'style="max-width:{w}px" aria-labelledby="{id}-title {id}-desc" '
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


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
