"""The market page's charts (commons.site.views.market): each supplier's share of one kind of system, as bars, and
contract end dates by quarter, as columns. Drawn as commons.site.charts draws the Declaration's: static SVG
named by its own <title> and described by its <desc>, twice (a narrow and a wide column), with the same numbers
in `Chart.rows` for the table beside it; one colour, since every bar counts the same thing and is labelled.
Same figures in, same bytes out."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from commons.site import charts
from commons.site.charts import BAR, LINE, ROW_GAP, TEXT, WIDE, WIDTH, Chart

BAR_COLOUR = "#1d70b8"  # 5.2:1 against white: the 3:1 a graphic needs, and the count beside it is dark text
PLOT_HEIGHT = 120


def quarter_label(start: dt.date) -> str:
    """January to March 2027."""
    last = dt.date(start.year, start.month + 2, 1)
    return f"{start:%B} to {last:%B} {start.year}"


def share_chart(chart_id: str, title: str, caption: str, counts: Sequence[tuple[str, int]],
                total: int) -> Chart:
    """One bar per supplier (`counts`: its name and how many councils run its system), most first; the table also
    gives each one's share of `total` councils."""
    rows = tuple((name, str(n), f"{round(100 * n / total)}%" if total else "0%") for name, n in counts)
    desc = "; ".join(f"{name}: {n}" for name, n in counts) + "."
    return Chart(chart_id, title, caption, _bars(chart_id, caption, desc, counts, WIDTH), ("Supplier", "Councils",
                 "Share"), rows, svg_wide=_bars(f"{chart_id}-wide", caption, desc, counts, WIDE))


def endings_chart(chart_id: str, title: str, caption: str, quarters: Sequence[tuple[dt.date, int]]) -> Chart:
    """One column per quarter (its first day, and how many contracts end in it), years marked below."""
    rows = tuple((quarter_label(q), str(n)) for q, n in quarters)
    desc = "; ".join(f"{quarter_label(q)}: {n}" for q, n in quarters if n) + "." if any(n for _, n in quarters) \
        else "No contract ends in these quarters."
    return Chart(chart_id, title, caption, _columns(chart_id, caption, desc, quarters, WIDTH),
                 ("Quarter", "Contracts ending"), rows,
                 svg_wide=_columns(f"{chart_id}-wide", caption, desc, quarters, WIDE))


def _bars(chart_id: str, caption: str, desc: str, counts: Sequence[tuple[str, int]], width: float) -> str:
    most = max((n for _, n in counts), default=0)
    unit = (width - charts._number_width(str(most)) - 10) / most if most else 0.0
    body: list[str] = []
    y = 0.0
    for name, n in counts:
        for line in charts._wrap(name, int(width / charts.CHAR)):
            y += LINE
            body.append(f'<text x="0" y="{charts._n(y - 5)}" fill="{TEXT}">{html.escape(line)}</text>')
        y += 4
        drawn = n * unit
        body.append(f'<rect x="0" y="{charts._n(y)}" width="{charts._n(drawn)}" height="{BAR}" fill="{BAR_COLOUR}">'
                    f'<title>{html.escape(f"{name}: {n}")}</title></rect>'
                    f'<text x="{charts._n(drawn + 6 if drawn else 0)}" y="{charts._n(y + BAR / 2 + 5.5)}" '
                    f'fill="{TEXT}" font-weight="700">{n}</text>')
        y += BAR + ROW_GAP
    return charts._svg_element(chart_id, caption, desc, y - ROW_GAP + 2 if counts else y, body, width)


def _columns(chart_id: str, caption: str, desc: str, quarters: Sequence[tuple[dt.date, int]], width: float) -> str:
    ticks = charts._ticks(max((n for _, n in quarters), default=0) or 1)
    left = charts._number_width(str(ticks[-1])) + 8
    top = LINE / 2
    bottom = top + PLOT_HEIGHT
    step = (width - left) / max(len(quarters), 1)
    body: list[str] = []

    def y(value: int) -> float:
        return bottom - value * PLOT_HEIGHT / ticks[-1]

    for t in ticks:
        body.append(f'<line x1="{charts._n(left)}" x2="{charts._n(width)}" y1="{charts._n(y(t))}" '
                    f'y2="{charts._n(y(t))}" stroke="{charts.GRID}"/><text x="{charts._n(left - 6)}" '
                    f'y="{charts._n(y(t) + 5.5)}" fill="{TEXT}" text-anchor="end">{t}</text>')
    for i, (q, n) in enumerate(quarters):
        x = left + i * step
        if n:
            body.append(f'<rect x="{charts._n(x + 1)}" y="{charts._n(y(n))}" width="{charts._n(step - 2)}" '
                        f'height="{charts._n(bottom - y(n))}" fill="{BAR_COLOUR}">'
                        f'<title>{html.escape(f"{quarter_label(q)}: {n}")}</title></rect>')
        if q.month == 1 and x + charts._text_width("2026") <= width:
            body.append(f'<line x1="{charts._n(x)}" x2="{charts._n(x)}" y1="{charts._n(bottom)}" '
                        f'y2="{charts._n(bottom + 5)}" stroke="{TEXT}"/><text x="{charts._n(x)}" '
                        f'y="{charts._n(bottom + LINE)}" fill="{TEXT}">{q.year}</text>')
    body.append(f'<line x1="{charts._n(left)}" x2="{charts._n(width)}" y1="{charts._n(bottom)}" '
                f'y2="{charts._n(bottom)}" stroke="{TEXT}"/>')
    return charts._svg_element(chart_id, caption, desc, bottom + LINE + 6, body, width)

