"""Server-rendered SVG charts for the dashboard: no JavaScript, no chart library.

A chart is an <svg role="img"> with a <title> and <desc>; the page also gives the numbers as a
table (the accessible fallback), so the SVG only has to look right.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..core.formatting import format_number
from ..core.models import utcnow

# Fill colours per series; each bar also carries its value in a <title> (a tooltip).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#6f72af")


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int, ...]


def week_starts(weeks: int = 8, now: dt.datetime | None = None) -> list[dt.datetime]:
    """The start (UTC) of each of the last `weeks` seven-day periods, oldest first; the last
    period ends now."""
    now = now or utcnow()
    return [now - dt.timedelta(days=7 * (weeks - i)) for i in range(weeks)]


def count_per_period(times, starts: list[dt.datetime], now: dt.datetime | None = None) -> tuple[int, ...]:
    """How many of `times` fall in each period [starts[i], starts[i+1]) (the last one up to now)."""
    now = now or utcnow()
    bounds = list(starts) + [now]
    counts = [0] * len(starts)
    for t in times:
        if t is None:
            continue
        if t.tzinfo is None:
            t = t.replace(tzinfo=dt.UTC)
        for i in range(len(starts)):
            if bounds[i] <= t < bounds[i + 1] or (i == len(starts) - 1 and t == now):
                counts[i] += 1
                break
    return tuple(counts)


def _default_tooltip(series: str, label: str, num: str) -> str:
    # Translators: tooltip of one bar in a dashboard chart, e.g. "New reports, 3 Mar: 12"
    return _("%(series)s, %(label)s: %(num)s", series=series, label=label, num=num)


def bar_chart(
    title: str,
    desc: str,
    labels: list[str],
    series: list[Series],
    width: int = 560,
    height: int = 200,
    chart_id: str | None = None,
    tooltip: Callable[[str, str, str], str] = _default_tooltip,
) -> Markup:
    """Grouped bars: one group per label, one bar per series.

    Text is escaped; labels are already-formatted strings (dates through format_date). Each bar's
    tooltip is a translated sentence, tooltip(series label, group label, formatted number), and
    numbers on the axis are formatted for the locale. `chart_id` keeps the ids of the <title>
    and <desc> unique when a page has several charts (a random one by default).
    """
    cid = escape(chart_id or f"chart-{uuid.uuid4().hex[:8]}")
    top, bottom, left, right = 16, 28, 40, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [1])
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = max((group_w - 6) / max(len(series), 1), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11">{escape(format_number(peak))}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11">{escape(format_number(0))}</text>',
    ]
    for g, label in enumerate(labels):
        x0 = left + g * group_w + 3
        for k, s in enumerate(series):
            value = s.values[g] if g < len(s.values) else 0
            h = round(plot_h * value / peak, 1)
            x = round(x0 + k * bar_w, 1)
            tip = tooltip(str(s.label), str(label), format_number(value))
            parts.append(
                f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(bar_w - 1, 1)}" height="{h}" '
                f'fill="{COLOURS[k % len(COLOURS)]}"><title>{escape(tip)}</title></rect>'
            )
        parts.append(
            f'<text x="{round(x0 + (group_w - 6) / 2, 1)}" y="{height - 10}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    for k, s in enumerate(series):  # legend
        x = left + k * 150
        parts.append(
            f'<rect x="{x}" y="0" width="10" height="10" fill="{COLOURS[k % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="9" font-size="11">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
