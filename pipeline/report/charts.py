"""Inline SVG charts for the report: small multiples of the indicator series, zones per batch with the
cumulative total, and checks and findings by status. Plain SVG (no script), each with a title and a
text alternative, readable in print; numbers are formatted deterministically."""

from __future__ import annotations

import math
from html import escape
from typing import Any

WIDTH, HEIGHT = 300, 196
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 58, 12, 40, 44
INK, GRID, ACCENT, ACCENT2 = "#1b1b1b", "#d0d0d0", "#1f5fa8", "#b5462d"


def _fmt(value: float) -> str:
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _svg(chart_id: str, title: str, description: str, body: list[str], width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-labelledby="{escape(chart_id)}-t '
        f'{escape(chart_id)}-d" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 10, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{INK}">{escape(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str = INK) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"/>'


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering ``low``..``high``, at most ``most``+1."""
    if high <= low:
        high = low + 1
    raw = (high - low) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def year_ticks(first: int, last: int, most: int = 6) -> list[int]:
    """Years to label: the first, the last, and the multiples of 1, 2, 5 or 10 years between them (not
    crowding either end), at most ``most`` labels."""
    span = max(last - first, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= most - 1)
    inner = [y for y in range(first + 1, last) if y % step == 0 and y - first >= step / 2 and last - y >= step / 2]
    return [first, *inner, last] if last != first else [first]


def line_chart(chart_id: str, title: str, unit: str, points: list[tuple[int, float]], caption: str = "") -> str:
    """One series over years, titled with the curated indicator name: a y axis with round ticks and grid
    lines, year ticks, a polyline and dots, and a caption (the printed header) below."""
    points = [(x, y) for x, y in points if y is not None]
    if not points:
        return _svg(chart_id, title, f"{title}: no values.", [_text(WIDTH / 2, HEIGHT / 2, "no values")])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    ticks = nice_ticks(min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0)
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def sx(x: float) -> float:
        return PAD_LEFT + (x - x0) / (x1 - x0) * plot_w

    def sy(y: float) -> float:
        return PAD_TOP + plot_h - (y - y0) / (y1 - y0) * plot_h

    path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
    body = [
        _text(4, 14, _clip(title, 52), anchor="start", size=11, weight="bold"),
        _text(4, 28, unit, anchor="start", size=9),
        _line(PAD_LEFT, PAD_TOP + plot_h, WIDTH - PAD_RIGHT, PAD_TOP + plot_h),
        _line(PAD_LEFT, PAD_TOP, PAD_LEFT, PAD_TOP + plot_h),
    ]
    for tick in ticks:
        body.append(f'<line x1="{PAD_LEFT}" y1="{sy(tick):.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{sy(tick):.1f}" '
                    f'stroke="{GRID}"/>')  # fmt: skip
        body.append(_text(PAD_LEFT - 4, sy(tick) + 3, _fmt(tick), anchor="end", size=9))
    for year in year_ticks(x0, x1):
        body.append(_line(sx(year), PAD_TOP + plot_h, sx(year), PAD_TOP + plot_h + 3))
        body.append(_text(sx(year), PAD_TOP + plot_h + 13, str(year), size=9))
    body += [
        f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>',
        *[f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2" fill="{ACCENT}"><title>{x}: {escape(_fmt(y))} '
          f"{escape(unit)}</title></circle>" for x, y in points],
    ]  # fmt: skip
    if caption:
        body.append(_text(4, HEIGHT - 6, _clip(caption, 60), anchor="start", size=8))
    description = (
        f"{title}, {unit}, {x0}-{x1}: from {_fmt(points[0][1])} in {points[0][0]} to "
        f"{_fmt(points[-1][1])} in {points[-1][0]}; lowest {_fmt(min(ys))}, highest {_fmt(max(ys))}."
        + (f" {caption}." if caption else "")
    )
    return _svg(chart_id, f"{title} ({unit})", description, body)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def batch_chart(batches: list[dict[str, Any]]) -> str:
    """Bars of zones added per batch with the cumulative total as a line."""
    width, height = 620, 230
    plot_w, plot_h = width - PAD_LEFT - 40, height - PAD_TOP - 40
    top = max(b["zones_total"] for b in batches) if batches else 1
    step = plot_w / max(len(batches), 1)
    body = [
        _text(PAD_LEFT, 14, "Pilot zones added per batch (bars) and cumulative total (line)", anchor="start", size=11,
              weight="bold"),
        _line(PAD_LEFT, PAD_TOP + plot_h, PAD_LEFT + plot_w, PAD_TOP + plot_h),
        _text(PAD_LEFT - 4, PAD_TOP + 3, str(top), anchor="end", size=9),
        _text(PAD_LEFT - 4, PAD_TOP + plot_h + 3, "0", anchor="end", size=9),
    ]  # fmt: skip
    line = []
    for i, b in enumerate(batches):
        x = PAD_LEFT + i * step
        h = b["zones_added"] / top * plot_h
        body.append(f'<rect x="{x + step * 0.2:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{step * 0.6:.1f}" '
                    f'height="{h:.1f}" fill="{ACCENT}"/>')  # fmt: skip
        body.append(_text(x + step / 2, PAD_TOP + plot_h - h - 3, str(b["zones_added"]), size=9))
        body.append(_text(x + step / 2, PAD_TOP + plot_h + 12, f"batch {b['batch']}", size=9))
        body.append(_text(x + step / 2, PAD_TOP + plot_h + 24, str(b["published_on"])[:7], size=8))
        cy = PAD_TOP + plot_h - b["zones_total"] / top * plot_h
        line.append(f"{x + step / 2:.1f},{cy:.1f}")
        body.append(_text(x + step / 2 + 8, cy - 8, str(b["zones_total"]), anchor="start", size=9))
    body.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{ACCENT2}" stroke-width="2"/>')
    description = "; ".join(
        f"batch {b['batch']} ({b['published_on']}): {b['zones_added']} added, {b['zones_total']} in total"
        for b in batches
    )
    return _svg("chart-batches", "Zones added per batch and cumulative total", description + ".", body, width, height)


def status_chart(chart_id: str, title: str, counts: dict[str, int], colours: dict[str, str]) -> str:
    """Horizontal bars, one per status."""
    width, row = 420, 24
    height = PAD_TOP + row * max(len(counts), 1) + 10
    top = max(counts.values()) if counts and max(counts.values()) > 0 else 1
    body = [_text(8, 14, title, anchor="start", size=11, weight="bold")]
    for i, (status, n) in enumerate(counts.items()):
        y = PAD_TOP + i * row
        w = n / top * (width - 170)
        body.append(_text(120, y + 14, status, anchor="end", size=10))
        body.append(
            f'<rect x="126" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colours.get(status, ACCENT)}"/>'
        )
        body.append(_text(130 + w, y + 14, str(n), anchor="start", size=10))
    description = ", ".join(f"{status}: {n}" for status, n in counts.items())
    return _svg(chart_id, title, f"{title}: {description}.", body, width, height)


HISTORY_PARTS = (("flagged", "#c98a00"), ("uncertain", "#8c8c8c"), ("consistent", "#176f2c"))


def _history_parts(statuses: dict[str, int]) -> dict[str, int]:
    consistent, uncertain = statuses.get("consistent", 0), statuses.get("uncertain", 0)
    return {"flagged": sum(statuses.values()) - consistent - uncertain, "uncertain": uncertain,
            "consistent": consistent}  # fmt: skip


def history_chart(releases: list[dict[str, Any]]) -> str:
    """Findings over releases, oldest first (the last is this release): a stacked bar of flagged,
    uncertain and consistent findings per release, the flagged count above it, and each release's
    failed and warned checks under its id."""
    width, height = max(320, PAD_LEFT + 46 * len(releases) + 20), 236
    plot_w, plot_h = width - PAD_LEFT - 20, height - PAD_TOP - 60
    totals = [sum(r["finding_statuses"].values()) for r in releases]
    ticks = nice_ticks(0.0, float(max(totals, default=1) or 1), most=4)
    top = ticks[-1]
    step = plot_w / max(len(releases), 1)
    body = [
        _text(8, 14, "Findings over releases (flagged, uncertain, consistent)", anchor="start", size=11,
              weight="bold"),
        _line(PAD_LEFT, PAD_TOP + plot_h, PAD_LEFT + plot_w, PAD_TOP + plot_h),
    ]  # fmt: skip
    for tick in ticks:
        y = PAD_TOP + plot_h - tick / top * plot_h
        body.append(f'<line x1="{PAD_LEFT}" y1="{y:.1f}" x2="{PAD_LEFT + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(PAD_LEFT - 4, y + 3, _fmt(tick), anchor="end", size=9))
    described = []
    for i, release in enumerate(releases):
        x, base = PAD_LEFT + i * step, float(PAD_TOP + plot_h)
        parts = _history_parts(release["finding_statuses"])
        for part, colour in HISTORY_PARTS:
            h = parts[part] / top * plot_h
            if h > 0:
                body.append(f'<rect x="{x + step * 0.2:.1f}" y="{base - h:.1f}" width="{step * 0.6:.1f}" '
                            f'height="{h:.1f}" fill="{colour}"><title>{part}: {parts[part]}</title></rect>')
            base -= h
        label = "this" if i == len(releases) - 1 else str(release["release_id"])[:6]
        checks = release["checks"]
        body.append(_text(x + step / 2, base - 3, str(parts["flagged"]), size=9))
        body.append(_text(x + step / 2, PAD_TOP + plot_h + 12, label, size=9))
        body.append(_text(x + step / 2, PAD_TOP + plot_h + 24, f"{checks['failed']}F {checks['warned']}W", size=8))
        described.append(
            f"{label}: {parts['flagged']} flagged, {parts['uncertain']} uncertain, {parts['consistent']} consistent "
            f"findings; {checks['failed']} checks failed, {checks['warned']} warned"
        )
    body.append(_text(8, height - 6, "Under each release: checks failed (F) and warned (W).", anchor="start", size=8))
    return _svg("chart-history", "Findings over releases", "; ".join(described) + ".", body, width, height)
