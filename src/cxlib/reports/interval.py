"""The interval of an experiment's effect drawn against zero: a small inline SVG that the
site's document pages and the one-page HTML report share.

The chart holds no text (the values are written beside it, so they never shrink below a
readable size on a phone); its colours come from the stylesheet's classes, which follow the
light and dark schemes.
"""

from __future__ import annotations

from cxlib.escape import html as esc

WIDTH, HEIGHT, PAD = 300, 40, 12


def interval_chart(low: float, high: float, effect: float | None) -> str:
    """The interval ``[low, high]`` (and the observed effect) on an axis through zero."""
    values = [low, high, 0.0] + ([effect] if effect is not None else [])
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    lo, hi = lo - span * 0.08, hi + span * 0.08

    def x(v: float) -> float:
        return round(PAD + (v - lo) / (hi - lo) * (WIDTH - 2 * PAD), 1)

    side = "above zero" if low > 0 else "below zero" if high < 0 else "across zero"
    label = f"Interval from {low:+g}% to {high:+g}%, {side}" + (
        f"; observed effect {effect:+g}%" if effect is not None else ""
    )
    mid = HEIGHT / 2
    parts = [
        f'<svg class="interval" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>',
        f'<line class="iv-axis" x1="{PAD}" y1="{mid}" x2="{WIDTH - PAD}" y2="{mid}"/>',
        f'<line class="iv-zero" x1="{x(0)}" y1="4" x2="{x(0)}" y2="{HEIGHT - 4}"/>',
        f'<rect class="iv-range {_tone(low, high)}" x="{x(low)}" y="{mid - 6}" '
        f'width="{max(x(high) - x(low), 2)}" height="12" rx="3"/>',
    ]
    if effect is not None:
        parts.append(f'<circle class="iv-point" cx="{x(effect)}" cy="{mid}" r="5"/>')
    parts.append("</svg>")
    return "".join(parts)


def _tone(low: float, high: float) -> str:
    return "iv-up" if low > 0 else "iv-down" if high < 0 else "iv-flat"
