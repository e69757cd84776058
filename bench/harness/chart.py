"""A horizontal bar chart of wall times, as an SVG the README can show.

Linear scale on purpose: the point of the picture is how much longer the bars of the
other tools are. Colours follow the reader's light or dark theme.
"""

from __future__ import annotations

import math
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
