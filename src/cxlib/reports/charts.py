"""The HTML report's charts, as inline SVG strings built here.

No plotting library: four small charts do not justify a dependency of tens of megabytes, SVG
written by hand is byte-for-byte deterministic (the same library gives the same file), needs no
script to display, scales on any screen and prints sharply. Every user string is escaped.
Colours are the Okabe-Ito palette, readable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxlib.escape import html as esc

GREEN, VERMILLION, BLUE, SKY, ORANGE, PURPLE, GREY = (
    "#009E73",
    "#D55E00",
    "#0072B2",
    "#56B4E9",
    "#E69F00",
    "#CC79A7",
    "#999999",
)
OUTCOME_COLOURS = (
    ("won", GREEN),
    ("lost", VERMILLION),
    ("inconclusive", SKY),
    ("invalid", PURPLE),
    ("stopped_early", GREY),
    ("no_outcome", "#DDDDDD"),
)
STATUS_COLOURS = {"prioritized": BLUE, "in-progress": GREEN, "idea": ORANGE}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FONT = 13
# The smallest label, in viewBox units. The page never draws a chart below its viewBox size
# (cxlib.reports.html scrolls it instead), so no label is shown below 12 px, on a phone either.
SMALL = 12


def _f(x: float) -> str:
    """Coordinates with one decimal: enough for a screen, stable across platforms."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(name: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" data-chart="{esc(name)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{esc(title)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(title)}</title>",
    ]


def _text(
    x: float, y: float, text: object, size: int = FONT, halo: bool = False, **attrs: str
) -> str:
    if halo:  # a white outline under the glyphs keeps a label readable over lines and fills
        attrs |= {"stroke": "#fff", "stroke_width": "3", "paint_order": "stroke"}
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}"{extra}>{esc(text)}</text>'


def _no_data(lines: list[str], width: int, height: int) -> str:
    lines.append(
        _text(width / 2, height / 2, "No data yet", 16, halo=True, text_anchor="middle", fill=GREY)
    )
    lines.append("</svg>")
    return "\n".join(lines)


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    out: list[str] = []
    for label, colour in items:
        out.append(f'<rect x="{_f(x)}" y="{_f(y - 10)}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 17, y, label, SMALL))
        x += 36 + 7.2 * len(label)
    return out


# -- the value/effort matrix -----------------------------------------------------------------------
@dataclass
class Point:
    id: str
    title: str
    status: str
    value: float  # mean of customer and business value, 1-5
    effort: int  # 1-5
    priority: float | None


def value_effort(points: Sequence[Point]) -> str:
    """Scatter of value against effort with four quadrants, points labelled by id."""
    w, h, left, right, top, bottom = 720, 470, 70, 30, 40, 62
    lines = _open("value-effort", "Value / effort matrix of open opportunities", w, h)
    pw, ph = w - left - right, h - top - bottom

    def x(effort: float) -> float:
        return left + (effort - 0.5) / 5 * pw

    def y(value: float) -> float:
        return top + ph - (value - 0.5) / 5 * ph

    mid_x, mid_y = x(3), y(3)
    for qx, qy, qw, qh, fill, label, anchor, lx, ly in (
        (
            left,
            top,
            mid_x - left,
            mid_y - top,
            "#E6F4EE",
            "Quick wins",
            "start",
            left + 8,
            top + 18,
        ),
        (
            mid_x,
            top,
            left + pw - mid_x,
            mid_y - top,
            "#E5EFF7",
            "Big bets",
            "end",
            left + pw - 8,
            top + 18,
        ),
        (
            left,
            mid_y,
            mid_x - left,
            top + ph - mid_y,
            "#F3F3F3",
            "Fill-ins",
            "start",
            left + 8,
            top + ph - 8,
        ),
        (
            mid_x,
            mid_y,
            left + pw - mid_x,
            top + ph - mid_y,
            "#FBEAE1",
            "Money pits",
            "end",
            left + pw - 8,
            top + ph - 8,
        ),
    ):
        lines.append(
            f'<rect x="{_f(qx)}" y="{_f(qy)}" width="{_f(qw)}" height="{_f(qh)}" fill="{fill}"/>'
        )
        lines.append(
            _text(lx, ly, label, SMALL, text_anchor=anchor, fill="#555", font_weight="600")
        )
    lines.append(
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>'
    )
    for k in range(1, 6):
        lines.append(_text(x(k), top + ph + 18, k, 12, text_anchor="middle", fill="#333"))
        lines.append(_text(left - 10, y(k) + 4, k, 12, text_anchor="end", fill="#333"))
    lines.append(
        _text(left + pw / 2, h - 22, "Effort (1 = small, 5 = large)", 13, text_anchor="middle")
    )
    lines.append(
        _text(
            18,
            top + ph / 2,
            "Value (mean of customer and business value)",
            13,
            text_anchor="middle",
            transform=f"rotate(-90 18 {_f(top + ph / 2)})",
        )
    )
    lines += _legend(
        [("prioritized", BLUE), ("in progress", GREEN), ("idea", ORANGE)], left, top - 14
    )
    if not points:
        return _no_data(lines, w, h)
    # Points on the same spot are stacked vertically so every id stays readable.
    spots: dict[tuple[float, int], list[Point]] = {}
    for p in sorted(points, key=lambda p: p.id):
        spots.setdefault((p.value, p.effort), []).append(p)
    for (value, effort), group in sorted(spots.items()):
        for i, p in enumerate(group):
            cx, cy = x(effort), y(value) + 16 * (i - (len(group) - 1) / 2)
            colour = STATUS_COLOURS.get(p.status, GREY)
            prio = "" if p.priority is None else f", priority {p.priority:g}"
            lines.append(
                f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="7" fill="{colour}" stroke="#fff" '
                f'stroke-width="1.5"><title>{esc(f"{p.id} {p.title} ({p.status}{prio})")}'
                "</title></circle>"
            )
            left_side = effort >= 5
            lines.append(
                _text(
                    cx + (-11 if left_side else 11),
                    cy + 4,
                    p.id,
                    SMALL,
                    halo=True,
                    text_anchor="end" if left_side else "start",
                    fill="#111",
                )
            )
    lines.append("</svg>")
    return "\n".join(lines)


# -- experiment outcomes per month -----------------------------------------------------------------
@dataclass
class MonthBar:
    month: str  # YYYY-MM
    counts: dict[str, int]  # by the keys of OUTCOME_COLOURS


def outcomes_per_month(bars: Sequence[MonthBar]) -> str:
    """Stacked bars of concluded experiments per month (by the month of ``end``)."""
    w, h, left, right, top, bottom = 720, 330, 44, 16, 44, 58
    lines = _open("outcomes", "Concluded experiments per month, by outcome", w, h)
    pw, ph = w - left - right, h - top - bottom
    lines += _legend(
        [(name.replace("_", " "), colour) for name, colour in OUTCOME_COLOURS[:5]], left, 20
    )
    if not bars or not any(sum(b.counts.values()) for b in bars):
        return _no_data(lines, w, h)
    peak = max(sum(b.counts.values()) for b in bars)
    step = max(1, -(-peak // 5))
    ymax = step * -(-peak // step)
    for t in range(0, ymax + 1, step):
        ty = top + ph - t / ymax * ph
        lines.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{_f(ty)}" y2="{_f(ty)}" stroke="#ddd"/>'
        )
        lines.append(_text(left - 6, ty + 4, t, SMALL, text_anchor="end", fill="#333"))
    slot = pw / len(bars)
    width = min(36.0, slot * 0.72)
    for i, b in enumerate(bars):
        bx = left + slot * i + (slot - width) / 2
        base = float(top + ph)
        for name, colour in OUTCOME_COLOURS:
            n = b.counts.get(name, 0)
            if not n:
                continue
            bh = n / ymax * ph
            base -= bh
            label = f"{b.month}: {n} {name.replace('_', ' ')}"
            lines.append(
                f'<rect x="{_f(bx)}" y="{_f(base)}" width="{_f(width)}" height="{_f(bh)}" '
                f'fill="{colour}"><title>{esc(label)}</title></rect>'
            )
        year, month = b.month.split("-")
        cx = bx + width / 2
        lines.append(_text(cx, top + ph + 16, MONTHS[int(month) - 1], SMALL, text_anchor="middle"))
        if i == 0 or month == "01":
            lines.append(_text(cx, top + ph + 31, year, SMALL, text_anchor="middle", fill="#555"))
    lines.append(
        f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#444"/>'
    )
    lines.append("</svg>")
    return "\n".join(lines)


# -- the journey heatmap ---------------------------------------------------------------------------
@dataclass
class HeatRow:
    label: str
    values: list[int]
    attention: str


def heatmap(columns: Sequence[str], rows: Sequence[HeatRow]) -> str:
    """Stage x measure grid; each column shaded against its own maximum. Pain measures are
    vermillion, work blue, results green."""
    label_w, cell_w, cell_h, head, note_w = 150, 104, 34, 46, 170
    w = label_w + cell_w * len(columns) + note_w
    h = head + cell_h * max(len(rows), 1) + 12
    lines = _open("journey", "Journey heatmap: stages against insights, work and results", w, h)
    hues = [VERMILLION, VERMILLION, BLUE, BLUE, GREEN, GREEN]
    for j, name in enumerate(columns):
        lines.append(
            _text(
                label_w + cell_w * j + cell_w / 2,
                head - 14,
                name,
                SMALL,
                text_anchor="middle",
                font_weight="600",
            )
        )
    if not rows:
        return _no_data(lines, w, h)
    peaks = [max((r.values[j] for r in rows), default=0) for j in range(len(columns))]
    for i, row in enumerate(rows):
        ry = head + cell_h * i
        lines.append(_text(label_w - 10, ry + cell_h / 2 + 4, row.label, 13, text_anchor="end"))
        for j, v in enumerate(row.values):
            t = v / peaks[j] if peaks[j] else 0.0
            fill = _mix(hues[j % len(hues)], 0.15 + 0.75 * t) if v else "#F4F4F4"
            ink = "#fff" if v and t > 0.55 else "#222" if v else "#999"
            rx = label_w + cell_w * j
            lines.append(
                f'<rect x="{rx + 1}" y="{ry + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"><title>{esc(f"{row.label}: {v} {columns[j]}")}</title></rect>'
            )
            lines.append(
                _text(rx + cell_w / 2, ry + cell_h / 2 + 5, v, 14, text_anchor="middle", fill=ink)
            )
        if row.attention:
            lines.append(
                _text(
                    label_w + cell_w * len(columns) + 10,
                    ry + cell_h / 2 + 4,
                    row.attention,
                    SMALL,
                    fill=VERMILLION,
                    font_weight="600",
                )
            )
    lines.append("</svg>")
    return "\n".join(lines)


def _mix(colour: str, amount: float) -> str:
    """``colour`` blended with white: 0 is white, 1 the colour."""
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    mixed = [round(255 + (c - 255) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


# -- the win rate trend ----------------------------------------------------------------------------
@dataclass
class RatePoint:
    label: str  # 2025-Q3
    rate: float | None  # 0-1; None when nothing, or fewer than ``least`` tests, was decided
    n: int  # won + lost + inconclusive
    least: int = 1  # the fewest tests a rate is drawn for


def _hatched(x0: float, top: float, width: float, height: float, label: str) -> list[str]:
    """A light grey column crossed by diagonal grey lines (drawn, not a pattern: the page
    references nothing, not even a fragment of itself), with ``label`` as its tooltip."""
    x1, bottom = x0 + width, top + height
    out = [
        f'<rect class="few-tests" x="{_f(x0)}" y="{_f(top)}" width="{_f(width)}" '
        f'height="{_f(height)}" fill="#F2F2F2"><title>{esc(label)}</title></rect>'
    ]
    c = x0 - height
    while c < x1:
        low, high = max(0.0, x0 - c), min(height, x1 - c)
        if low < high:
            out.append(
                f'<line x1="{_f(c + low)}" y1="{_f(bottom - low)}" x2="{_f(c + high)}" '
                f'y2="{_f(bottom - high)}" stroke="{GREY}" stroke-width="1.5"/>'
            )
        c += 12
    return out


def _few_tests(
    points: Sequence[RatePoint], left: float, top: float, slot: float, ph: float
) -> list[str]:
    """The hatched columns of the quarters with too few tests to be a rate."""
    out: list[str] = []
    for i, p in enumerate(points):
        if p.rate is not None or p.n == 0:
            continue
        label = f"{p.label}: {p.n} decided, fewer than {p.least}"
        out += _hatched(left + slot * i + slot * 0.15, top, slot * 0.7, ph, label)
        out.append(
            _text(
                left + slot * i + slot / 2,
                top + ph / 2,
                f"n < {p.least}",
                SMALL,
                halo=True,
                text_anchor="middle",
                fill="#333",
            )
        )
    return out


def win_rate_trend(points: Sequence[RatePoint], overall: float | None) -> str:
    """Win rate per quarter (line with points; no point where nothing was decided). A quarter
    with some tests but fewer than its ``least`` is drawn as a hatched grey column marked
    "n < least": one test is not a 0% or 100% quarter."""
    w, h, left, right, top, bottom = 720, 300, 52, 24, 30, 56
    lines = _open("win-rate", "Win rate per quarter", w, h)
    pw, ph = w - left - right, h - top - bottom
    for t in (0, 25, 50, 75, 100):
        ty = top + ph - t / 100 * ph
        lines.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{_f(ty)}" y2="{_f(ty)}" stroke="#ddd"/>'
        )
        lines.append(_text(left - 6, ty + 4, f"{t}%", SMALL, text_anchor="end", fill="#333"))
    if not points or all(p.rate is None and p.n == 0 for p in points):
        return _no_data(lines, w, h)
    slot = pw / len(points)
    lines += _few_tests(points, left, top, slot, ph)

    def px(i: int) -> float:
        return left + slot * i + slot / 2

    def py(rate: float) -> float:
        return top + ph - rate * ph

    if overall is not None:
        oy = py(overall)
        lines.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{_f(oy)}" y2="{_f(oy)}" stroke="{GREY}" '
            'stroke-dasharray="6 4"/>'
        )
        lines.append(
            _text(
                left + pw - 4,
                oy - 6,
                f"all quarters {overall * 100:.0f}%",
                SMALL,
                text_anchor="end",
                fill="#555",
            )
        )
    run: list[str] = []
    for i, p in enumerate([*points, RatePoint("", None, 0)]):
        if p.rate is None:
            if len(run) > 1:
                lines.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{BLUE}" '
                    'stroke-width="2.5"/>'
                )
            run = []
            continue
        run.append(f"{_f(px(i))},{_f(py(p.rate))}")
    for i, p in enumerate(points):
        lines.append(_text(px(i), top + ph + 16, p.label, SMALL, text_anchor="middle"))
        lines.append(
            _text(px(i), top + ph + 31, f"n={p.n}", SMALL, text_anchor="middle", fill="#666")
        )
        if p.rate is None:
            continue
        label = f"{p.label}: {p.rate * 100:.0f}% won of {p.n}"
        lines.append(
            f'<circle cx="{_f(px(i))}" cy="{_f(py(p.rate))}" r="5" fill="{BLUE}">'
            f"<title>{esc(label)}</title></circle>"
        )
        ty = py(p.rate) - 10 if p.rate < 0.9 else py(p.rate) + 20
        lines.append(
            _text(px(i), ty, f"{p.rate * 100:.0f}%", SMALL, halo=True, text_anchor="middle")
        )
    lines.append("</svg>")
    return "\n".join(lines)
