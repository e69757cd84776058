"""Horizontal bar charts of times and memory, as SVGs the README can show.

Linear scale on purpose: the point of the picture is how much longer the bars of the
other tools are. Colours follow the reader's light or dark theme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, LABEL_W, VALUE_W, BAR_H, GAP, TOP, BOTTOM = 760, 230, 90, 26, 12, 56, 56


# Tick steps a reader counts in easily: seconds below a minute, whole minutes above.
STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600)


def nice_step(maximum: float, ticks: int = 6) -> float:
    for step in STEPS:
        if maximum / step <= ticks:
            return step
    return STEPS[-1] * math.ceil(maximum / STEPS[-1] / ticks)


def tick(value: float) -> str:
    if value == 0:
        return "0"
    if value < 60:
        return f"{value:g}s"
    minutes, secs = divmod(round(value), 60)
    return f"{minutes}m" if secs == 0 else f"{minutes}m{secs:02d}s"


def duration(value: float) -> str:
    if value < 1:
        return f"{value:.2f}s"
    if value < 60:
        return f"{value:.1f}s"
    minutes, secs = divmod(round(value), 60)
    return f"{minutes}m{secs:02d}s"


def bars(rows: list[tuple[str, float, bool]], title: str, footer: str) -> str:
    """`rows` are (label, seconds, highlighted); the SVG lists them as given."""
    plot_w = WIDTH - LABEL_W - VALUE_W
    longest = max(value for _, value, _ in rows)
    step = nice_step(longest)
    axis_max = step * math.ceil(longest / step)
    height = TOP + len(rows) * (BAR_H + GAP) + BOTTOM

    def x(value: float) -> float:
        return LABEL_W + plot_w * value / axis_max

    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif" '
            'font-size="14" role="img">'
        ),
        f"<title>{escape(title)}</title>",
        "<style>",
        "  text { fill: #24292f; } .muted { fill: #57606a; } .grid { stroke: #d0d7de; }",
        "  .bar { fill: #8c959f; } .hl { fill: #e8590c; } .hl-text { fill: #e8590c; font-weight: 700; }",
        "  @media (prefers-color-scheme: dark) {",
        "    text { fill: #e6edf3; } .muted { fill: #8d96a0; } .grid { stroke: #30363d; }",
        "    .bar { fill: #6e7681; } .hl { fill: #ff8a3d; } .hl-text { fill: #ff8a3d; }",
        "  }",
        "</style>",
        f'<text x="16" y="24" font-size="16" font-weight="600">{escape(title)}</text>',
    ]
    ticks = round(axis_max / step)
    axis_y = TOP + len(rows) * (BAR_H + GAP)
    for i in range(ticks + 1):
        tx = x(i * step)
        out.append(f'<line class="grid" x1="{tx:.1f}" y1="{TOP - 8}" x2="{tx:.1f}" y2="{axis_y}" />')
        out.append(
            f'<text class="muted" x="{tx:.1f}" y="{axis_y + 18}" text-anchor="middle" '
            f'font-size="12">{tick(i * step)}</text>'
        )
    for index, (label, value, highlighted) in enumerate(rows):
        y = TOP + index * (BAR_H + GAP)
        width = max(x(value) - LABEL_W, 2.0)  # keep a sub-pixel bar visible
        cls = "hl" if highlighted else "bar"
        weight = ' class="hl-text"' if highlighted else ""
        out.append(
            f'<text x="{LABEL_W - 10}" y="{y + BAR_H * 0.68:.1f}" text-anchor="end"{weight}>'
            f"{escape(label)}</text>"
        )
        out.append(
            f'<rect class="{cls}" x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" rx="3" />'
        )
        out.append(
            f'<text x="{LABEL_W + width + 8:.1f}" y="{y + BAR_H * 0.68:.1f}"{weight}>{duration(value)}</text>'
        )
    out.append(f'<text class="muted" x="16" y="{height - 14}" font-size="12">{escape(footer)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def megabytes(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f} GB"
    return f"{value:.0f} MB"


MB_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)


def nice_mb_step(maximum: float, ticks: int = 6) -> float:
    for step in MB_STEPS:
        if maximum / step <= ticks:
            return step
    return MB_STEPS[-1] * math.ceil(maximum / MB_STEPS[-1] / ticks)


@dataclass(frozen=True)
class Panel:
    """One block of horizontal bars: each row has one bar per series (e.g. wall and CPU)."""

    title: str
    series: tuple[str, ...]  # legend names, one per value in each row
    rows: list[tuple[str, tuple[float, ...], bool]]  # (label, values, highlighted)
    unit: str  # "s" or "MB": picks ticks and value labels


SERIES_CLASSES = ("s0", "s1")
PANEL_GAP = 28


def label_width(blocks: list[Panel]) -> float:
    """Room for the longest row label (about 7.5 px a character at 14 px), at least LABEL_W."""
    longest = max((len(label) for block in blocks for label, _, _ in block.rows), default=0)
    return max(LABEL_W, 24 + 7.5 * longest)


def _panel(panel: Panel, top: float, label_w: float, out: list[str]) -> float:
    """Draws `panel` from y = `top`; returns the y where the next panel may start."""
    plot_w = WIDTH - label_w - VALUE_W
    per_row = len(panel.series)
    bar_h = BAR_H if per_row == 1 else 14
    row_h = bar_h * per_row + GAP
    longest = max((max(values) for _, values, _ in panel.rows), default=0.0) or 1.0
    step = nice_mb_step(longest) if panel.unit == "MB" else nice_step(longest)
    axis_max = step * math.ceil(longest / step)
    text = megabytes if panel.unit == "MB" else duration
    tick_text = megabytes if panel.unit == "MB" else tick

    def x(value: float) -> float:
        return label_w + plot_w * value / axis_max

    out.append(f'<text x="16" y="{top + 16}" font-size="15" font-weight="600">{escape(panel.title)}</text>')
    legend_x = label_w
    if per_row > 1:
        for name, cls in zip(panel.series, SERIES_CLASSES):
            out.append(f'<rect class="{cls}" x="{legend_x}" y="{top + 24}" width="12" height="12" rx="2" />')
            out.append(f'<text class="muted" x="{legend_x + 18}" y="{top + 35}" font-size="12">{escape(name)}</text>')
            legend_x += 30 + 8 * len(name)
    rows_top = top + 48
    axis_y = rows_top + len(panel.rows) * row_h
    for i in range(round(axis_max / step) + 1):
        tx = x(i * step)
        out.append(f'<line class="grid" x1="{tx:.1f}" y1="{rows_top - 6}" x2="{tx:.1f}" y2="{axis_y}" />')
        out.append(
            f'<text class="muted" x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="12">'
            f"{tick_text(i * step)}</text>"
        )
    for index, (label, values, highlighted) in enumerate(panel.rows):
        y = rows_top + index * row_h
        weight = ' class="hl-text"' if highlighted else ""
        out.append(
            f'<text x="{label_w - 10}" y="{y + bar_h * per_row / 2 + 5:.1f}" text-anchor="end"{weight}>'
            f"{escape(label)}</text>"
        )
        for k, value in enumerate(values):
            cls = SERIES_CLASSES[k % len(SERIES_CLASSES)] if per_row > 1 else ("hl" if highlighted else "bar")
            width = max(x(value) - label_w, 2.0)  # keep a sub-pixel bar visible
            by = y + k * bar_h
            out.append(f'<rect class="{cls}" x="{label_w}" y="{by}" width="{width:.1f}" height="{bar_h - 2}" rx="2" />')
            out.append(
                f'<text x="{label_w + width + 6:.1f}" y="{by + bar_h - 4}" font-size="12">{text(value)}</text>'
            )
    return axis_y + 16 + PANEL_GAP


def panels(title: str, blocks: list[Panel], footer: str) -> str:
    """Panels stacked in one SVG, with the same look as `bars`."""
    body: list[str] = []
    y = TOP - 8
    label_w = label_width(blocks)
    for block in blocks:
        y = _panel(block, y, label_w, body)
    height = y + BOTTOM - PANEL_GAP
    head = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif" '
            'font-size="14" role="img">'
        ),
        f"<title>{escape(title)}</title>",
        "<style>",
        "  text { fill: #24292f; } .muted { fill: #57606a; } .grid { stroke: #d0d7de; }",
        "  .bar { fill: #8c959f; } .hl { fill: #e8590c; } .hl-text { fill: #e8590c; font-weight: 700; }",
        "  .s0 { fill: #e8590c; } .s1 { fill: #1f6feb; }",
        "  @media (prefers-color-scheme: dark) {",
        "    text { fill: #e6edf3; } .muted { fill: #8d96a0; } .grid { stroke: #30363d; }",
        "    .bar { fill: #6e7681; } .hl { fill: #ff8a3d; } .hl-text { fill: #ff8a3d; }",
        "    .s0 { fill: #ff8a3d; } .s1 { fill: #58a6ff; }",
        "  }",
        "</style>",
        f'<text x="16" y="24" font-size="16" font-weight="600">{escape(title)}</text>',
    ]
    tail = [f'<text class="muted" x="16" y="{height - 14:.0f}" font-size="12">{escape(footer)}</text>', "</svg>"]
    return "\n".join(head + body + tail) + "\n"
