"""Declaration progress as static, accessible SVG charts, each with the table of the numbers it draws.

Plain functions of the Catalog, callable without MkDocs. A chart is a few
horizontal bars: the label above each bar (so bars keep the full width on a
phone), segments coloured by commitment status, the count written inside a
segment when it fits and the total written beside every bar. The SVG is
inline, has no scripts, fonts or outside requests, takes the page's font,
scales with its container through its viewBox and is named by its own
<title>; the same numbers are in `Chart.rows` for the data table beside it.
Same Catalog in, same bytes out: categories are ordered explicitly and
coordinates rounded to 0.1.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..model import Catalog, Commitment, Council
from ..schema import COMMITMENT_STATUSES, PRINCIPLES

# One fixed colour per status, each at least 4.5:1 against white: they pass the 3:1 non-text contrast
# against the page and the white gaps between segments, and white numbers written on them stay legible.
# Hues differ (grey, blue, green, purple, red); the legend and the labels name every status anyway.
STATUS_COLOURS: Mapping[str, str] = {
    "planned": "#505a5f",  # 7.1:1
    "in-progress": "#1d70b8",  # 5.2:1
    "done": "#00703c",  # 6.2:1
    "paused": "#4c2c92",  # 10.1:1
    "stopped": "#d4351c",  # 4.9:1
}
TEXT = "#0b0c0c"  # 19.6:1 against white
ON_BAR = "#ffffff"  # at least 4.8:1 on every status colour

# The viewBox is narrow so that 16-unit text stays at least 12 CSS px in a 288 px column (a 320 px screen);
# max-width keeps the chart from growing without limit on a wide screen.
WIDTH = 360
FONT = 16
LINE = 20  # label line height
BAR = 24
ROW_GAP = 12
GAP = 2  # white gap between the segments of a stacked bar
CHAR = 0.56 * FONT  # estimated average glyph width, for wrapping labels and fitting numbers


@dataclass(frozen=True)
class Chart:
    """One chart: an inline SVG and the table of the same numbers."""

    id: str  # an HTML id; the SVG's own ids start with it
    title: str
    caption: str  # one sentence saying what the chart shows; the SVG's accessible name
    svg: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Dashboard:
    by_status: Chart
    by_principle: Chart  # a commitment under several principles counts under each
    by_nation: Chart
    by_region: Chart
    by_council_type: Chart
    stale: tuple[Commitment, ...]  # oldest last update first
    total: int
    councils_with_commitments: int


Group = tuple[str, Counter[str]]  # a category's label and its commitments counted by status


def dashboard(catalog: Catalog) -> Dashboard:
    """Every chart of the Declaration dashboard, the stale commitments and the totals."""
    commitments = catalog.commitments
    by_principle = [
        (f"{n}. {name}", Counter(c.status for c in commitments if n in c.principles)) for n, name in PRINCIPLES.items()
    ]
    stale = sorted((c for c in commitments if c.stale), key=lambda c: (c.last_update.date, c.council, c.id))
    return Dashboard(
        by_status=_status_chart(
            "by-status", "Commitments by status", "The number of Declaration commitments in each status.",
            Counter(c.status for c in commitments), keep_zero=True),
        by_principle=_stacked_chart(
            "by-principle", "Commitments by principle", "Principle",
            "Declaration commitments under each of the five principles, split by status; "
            "a commitment under several principles counts under each.", by_principle),
        by_nation=_stacked_chart(
            "by-nation", "Commitments by nation", "Nation",
            "Declaration commitments made by councils in each nation of the UK, split by status.",
            _by_council(catalog, lambda c: c.nation)),
        by_region=_stacked_chart(
            "by-region", "Commitments by region", "Region",
            "Declaration commitments made by councils in each region, split by status.",
            _by_council(catalog, lambda c: c.region)),
        by_council_type=_stacked_chart(
            "by-council-type", "Commitments by type of council", "Type of council",
            "Declaration commitments made by each type of council, split by status.",
            _by_council(catalog, lambda c: c.type_name)),
        stale=tuple(stale),
        total=len(commitments),
        councils_with_commitments=len({c.council for c in commitments}),
    )


def council_progress(catalog: Catalog, council: Council) -> Chart | None:
    """A small bar chart of one council's commitments by status, or None when it has none."""
    if not council.commitments:
        return None
    n = len(council.commitments)
    noun = "commitment" if n == 1 else "commitments"
    return _status_chart(
        "council-progress", "Commitments by status",
        f"{council.name}'s {n} Declaration {noun} by status.",
        Counter(c.status for c in council.commitments), keep_zero=False)


def _by_council(catalog: Catalog, key: Callable[[Council], str]) -> list[Group]:
    """Commitments counted by status for each category of council; every category, most commitments first."""
    groups: dict[str, Counter[str]] = {key(c): Counter() for c in catalog.councils.values()}
    for cm in catalog.commitments:
        groups[key(catalog.councils[cm.council])][cm.status] += 1
    return sorted(groups.items(), key=lambda g: (-g[1].total(), g[0]))


def _status_chart(chart_id: str, title: str, caption: str, counts: Counter[str], keep_zero: bool) -> Chart:
    """One bar per status, in the schema's order, coloured and labelled by its status."""
    statuses = [(k, label) for k, label in COMMITMENT_STATUSES.items() if keep_zero or counts[k]]
    groups = [(label, Counter({k: counts[k]})) for k, label in statuses]
    rows = tuple((label, str(counts[k])) for k, label in statuses)
    desc = "; ".join(f"{label}: {counts[k]}" for k, label in statuses) + "."
    return Chart(chart_id, title, caption, _svg(chart_id, caption, desc, groups, legend=False),
                 ("Status", "Commitments"), rows)


def _stacked_chart(chart_id: str, title: str, category: str, caption: str, groups: list[Group]) -> Chart:
    columns = (category, *COMMITMENT_STATUSES.values(), "Total")
    rows = tuple((label, *(str(counts[k]) for k in COMMITMENT_STATUSES), str(counts.total()))
                 for label, counts in groups)
    desc = "; ".join(f"{label}: {counts.total()}" for label, counts in groups) + "."
    return Chart(chart_id, title, caption, _svg(chart_id, caption, desc, groups, legend=True), columns, rows)


def _svg(chart_id: str, caption: str, desc: str, groups: list[Group], legend: bool) -> str:
    """Horizontal bars, one per group, each a label line (or two) above a bar stacked by status."""
    e = html.escape
    most = max((counts.total() for _, counts in groups), default=0)
    room = _text_width(str(most)) + 8  # for the total written beside the longest bar
    unit = (WIDTH - room) / most if most else 0.0
    body: list[str] = []
    y = 0.0
    if legend:
        present = [k for k in COMMITMENT_STATUSES if any(counts[k] for _, counts in groups)]
        lines, y = _legend(present)
        body += lines
    for label, counts in groups:
        for line in _wrap(label, int(WIDTH / CHAR)):
            y += LINE
            body.append(f'<text x="0" y="{_n(y - 5)}" fill="{TEXT}">{e(line)}</text>')
        y += 4
        x = 0.0
        segments = [(k, counts[k]) for k in COMMITMENT_STATUSES if counts[k]]
        for i, (k, n) in enumerate(segments):
            width = n * unit
            drawn = width - GAP if i < len(segments) - 1 and width > GAP + 1 else width
            name = e(f"{COMMITMENT_STATUSES[k]}: {n}")
            body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(drawn)}" height="{BAR}" '
                        f'fill="{STATUS_COLOURS[k]}"><title>{name}</title></rect>')
            if len(segments) > 1 and drawn >= _text_width(str(n)) + 8:
                body.append(f'<text x="{_n(x + drawn / 2)}" y="{_n(y + BAR / 2 + 5.5)}" fill="{ON_BAR}" '
                            f'font-weight="700" text-anchor="middle">{n}</text>')
            x += width
        body.append(f'<text x="{_n(x + 6 if x else 0)}" y="{_n(y + BAR / 2 + 5.5)}" fill="{TEXT}" '
                    f'font-weight="700">{counts.total()}</text>')
        y += BAR + ROW_GAP
    height = y - ROW_GAP + 2 if groups else y
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-size="{FONT}" style="max-width:32em;height:auto" '
        f'class="commons-chart__svg">'
        f'<title id="{chart_id}-title">{e(caption)}</title><desc id="{chart_id}-desc">{e(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def _legend(statuses: Iterable[str]) -> tuple[list[str], float]:
    """A swatch and the name of each status, flowing onto more lines as needed; returns the SVG and its height."""
    parts: list[str] = []
    x, y = 0.0, 0.0
    for k in statuses:
        label = COMMITMENT_STATUSES[k]
        width = 20 + _text_width(label)
        if x and x + width > WIDTH:
            x, y = 0.0, y + LINE + 4
        parts.append(f'<rect x="{_n(x)}" y="{_n(y + 3)}" width="14" height="14" fill="{STATUS_COLOURS[k]}"/>'
                     f'<text x="{_n(x + 20)}" y="{_n(y + 15)}" fill="{TEXT}">{html.escape(label)}</text>')
        x += width + 16
    return parts, (y + LINE + 12 if parts else 0.0)


def _wrap(text: str, limit: int) -> list[str]:
    """Words onto lines of at most `limit` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text_width(text: str) -> float:
    return len(text) * CHAR


def _n(value: float) -> str:
    """A coordinate rounded to 0.1, without a trailing .0, so output is byte-identical between runs."""
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text
