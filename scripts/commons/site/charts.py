"""Declaration progress as static, accessible SVG charts, each with the table of the numbers it draws.

Plain functions of the Catalog, callable without MkDocs. A chart is a few
horizontal bars: the label above each bar (so bars keep the full width on a
phone), segments painted by commitment status with a colour and marks of
their own (so not by colour alone), the count written inside a segment when
it fits and the total written beside every bar; every count, thin segments'
too, is in the table. The SVG is inline, has no scripts, fonts, style
attributes or outside requests, takes the page's font, fills its container
through its viewBox (drawn twice, for a narrow and a wide column) and is named
by its own <title>; the same numbers are in `Chart.rows` for the data table
beside it.
Same Catalog in, same bytes out: categories are ordered explicitly and
coordinates rounded to 0.1.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from commons.content.model import Catalog, Commitment, Council
from commons.content.vocabulary import COMMITMENT_STATUSES, PRINCIPLES
from commons.site.progress import Counts, Progress

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
# Colour alone does not tell statuses apart (WCAG 1.4.1): each status also has its own white marks over its
# colour, drawn by an SVG <pattern> in each chart's <defs> and used by its segments, bands and legend keys.
# Done stays plain; the others have dots, diagonal stripes, vertical bars (as on a pause button) and a cross.
STATUS_MARKS: Mapping[str, str] = {
    "planned": '<circle cx="2" cy="2" r="1.4" fill="#ffffff"/><circle cx="6" cy="6" r="1.4" fill="#ffffff"/>',
    "in-progress": '<path d="M-1 1L1 -1M0 8L8 0M7 9L9 7" stroke="#ffffff" stroke-width="1.6"/>',
    "done": "",
    "paused": '<path d="M2 0V8M6 0V8" stroke="#ffffff" stroke-width="1.6"/>',
    "stopped": '<path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-width="1.4"/>',
}
TEXT = "#0b0c0c"  # 19.6:1 against white
ON_BAR = "#ffffff"  # at least 4.8:1 on every status colour

# Every chart is drawn twice, to fill the content column at its width with text that stays readable: a narrow
# viewBox, whose 16-unit text is 12.8 CSS px in a 288 px column (a 320 px screen), and a wide one for columns of
# 576 px and more (charts.css shows one of them by a container query; the other is display:none, so a screen
# reader meets one image).
WIDTH = 360
WIDE = 720
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
    svg: str  # drawn for a narrow column (a phone)
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    table_caption: str = ""  # when the table holds less than every point drawn, says which
    svg_wide: str = ""  # the same chart drawn for a wide column; its ids start with `id`-wide

    @property
    def table_heading(self) -> str:
        """The caption of the table beside the chart: `table_caption`, or by default its title."""
        return self.table_caption or f"{self.title}: the numbers in the chart"


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
    over_time: Chart | None = None  # by status, month by month; None without git history


Group = tuple[str, Counter[str]]  # a category's label and its commitments counted by status


def dashboard(catalog: Catalog, progress: Progress | None = None) -> Dashboard:
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
        over_time=over_time_chart(
            "over-time", "Commitments by status over time",
            "Declaration commitments in each status at the end of each month", progress.months, progress.sector)
        if progress is not None else None,
    )


def council_over_time(catalog: Catalog, council: Council, progress: Progress) -> Chart | None:
    """One council's commitments by status, month by month; None when it has no commitments now."""
    if not council.commitments:
        return None
    return over_time_chart("council-over-time", "Commitments by status over time",
                           f"{council.name}'s Declaration commitments in each status at the end of each month",
                           progress.months, progress.council(council.slug))


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
                 ("Status", "Commitments"), rows,
                 svg_wide=_svg(f"{chart_id}-wide", caption, desc, groups, legend=False, width=WIDE))


def _stacked_chart(chart_id: str, title: str, category: str, caption: str, groups: list[Group]) -> Chart:
    columns = (category, *COMMITMENT_STATUSES.values(), "Total")
    rows = tuple((label, *(str(counts[k]) for k in COMMITMENT_STATUSES), str(counts.total()))
                 for label, counts in groups)
    desc = "; ".join(f"{label}: {counts.total()}" for label, counts in groups) + "."
    return Chart(chart_id, title, caption, _svg(chart_id, caption, desc, groups, legend=True), columns, rows,
                 svg_wide=_svg(f"{chart_id}-wide", caption, desc, groups, legend=True, width=WIDE))


def _svg(chart_id: str, caption: str, desc: str, groups: list[Group], legend: bool, width: float = WIDTH) -> str:
    """Horizontal bars, one per group, each a label line (or two) above a bar stacked by status."""
    e = html.escape
    most = max((counts.total() for _, counts in groups), default=0)
    room = _number_width(str(most)) + 10  # for the total written beside the longest bar
    unit = (width - room) / most if most else 0.0
    body: list[str] = []
    y = 0.0
    if legend:
        present = [k for k in COMMITMENT_STATUSES if any(counts[k] for _, counts in groups)]
        lines, y = _legend(chart_id, present, width)
        body += lines
    for label, counts in groups:
        for line in _wrap(label, int(width / CHAR)):
            y += LINE
            body.append(f'<text x="0" y="{_n(y - 5)}" fill="{TEXT}">{e(line)}</text>')
        y += 4
        x = 0.0
        segments = [(k, counts[k]) for k in COMMITMENT_STATUSES if counts[k]]
        for i, (k, n) in enumerate(segments):
            wide = n * unit
            drawn = wide - GAP if i < len(segments) - 1 and wide > GAP + 1 else wide
            name = e(f"{COMMITMENT_STATUSES[k]}: {n}")
            body.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(drawn)}" height="{BAR}" '
                        f'fill="{_fill(chart_id, k)}"><title>{name}</title></rect>')
            if len(segments) > 1 and drawn >= _number_width(str(n)) + 6:
                body.append(f'<text x="{_n(x + drawn / 2)}" y="{_n(y + BAR / 2 + 5.5)}" fill="{ON_BAR}" '
                            f'stroke="{STATUS_COLOURS[k]}" stroke-width="5" paint-order="stroke" '
                            f'font-weight="700" text-anchor="middle">{n}</text>')
            x += wide
        body.append(f'<text x="{_n(x + 6 if x else 0)}" y="{_n(y + BAR / 2 + 5.5)}" fill="{TEXT}" '
                    f'font-weight="700">{counts.total()}</text>')
        y += BAR + ROW_GAP
    height = y - ROW_GAP + 2 if groups else y
    return _svg_element(chart_id, caption, desc, height, body, width)


PLOT_HEIGHT = 160  # of the area chart's plot, in viewBox units
GRID = "#b1b4b6"  # gridlines sit behind the areas and carry no information the numbers do not


def over_time_chart(chart_id: str, title: str, what: str, months: Sequence[dt.date],
                    counts: Sequence[Counts]) -> Chart | None:
    """Commitments by status at the end of each month as stacked areas, from the first month with any (a
    single month is one stacked bar: there is no trend to draw).

    `what` starts the caption ("Declaration commitments in each status at the end of each month"); how
    much history there is is added ("Recorded since March 2026: 1 month."). The table lists every month
    in which a number changed, and the latest month: in a month left out, the numbers are those of the row
    above it. None when every count is zero.
    """
    first = next((i for i, c in enumerate(counts) if any(c)), None)
    if first is None:
        return None
    months, counts = months[first:], counts[first:]
    n = len(months)
    caption = f"{what}. Recorded since {_month(months[0])}: {n} month{'s' if n > 1 else ''}."
    if n == 1:
        caption += " One month shows no trend yet: the bar is that month's numbers."
    labels = tuple(COMMITMENT_STATUSES.values())
    rows = tuple((_month(m), *(f"{n:,}" for n in c), f"{sum(c):,}")
                 for i, (m, c) in enumerate(zip(months, counts, strict=True))
                 if i == 0 or i == len(months) - 1 or c != counts[i - 1])
    last = counts[-1]
    now = ", ".join(f"{label.lower()} {n:,}" for label, n in zip(labels, last, strict=True))
    desc = f"In {_month(months[-1])}: {now}; {sum(last):,} in all."
    table_caption = (f"{title}: the numbers in the chart for each month in which they changed, and the latest"
                     if len(rows) < len(months) else "")
    if n == 1:  # one stacked bar, not a band one month wide
        group = [(_month(months[0]), Counter(dict(zip(COMMITMENT_STATUSES, counts[0], strict=True))))]
        narrow = _svg(chart_id, caption, desc, group, legend=True)
        wide = _svg(f"{chart_id}-wide", caption, desc, group, legend=True, width=WIDE)
    else:
        narrow = _area_svg(chart_id, caption, desc, months, counts)
        wide = _area_svg(f"{chart_id}-wide", caption, desc, months, counts, WIDE)
    return Chart(chart_id, title, caption, narrow, ("Month", *labels, "Total"), rows, table_caption, wide)


def _area_svg(chart_id: str, caption: str, desc: str, months: Sequence[dt.date], counts: Sequence[Counts],
              width: float = WIDTH) -> str:
    """Stacked step areas, one band per status (the schema's first status at the bottom), each named at its
    right-hand end, over a month axis labelled by year and a count axis with gridlines."""
    e = html.escape
    statuses = list(COMMITMENT_STATUSES)
    present = [k for i, k in enumerate(statuses) if any(c[i] for c in counts)]
    body, legend_height = _legend(chart_id, present, width)
    ticks = _ticks(max(sum(c) for c in counts))
    left = _number_width(f"{ticks[-1]:,}") + 8
    named = [k for i, k in enumerate(statuses) if counts[-1][i]]
    right = max(_text_width(COMMITMENT_STATUSES[k]) for k in named) + 12
    plot_right = width - right
    top = legend_height + LINE / 2  # room for the highest count's label
    bottom = top + PLOT_HEIGHT
    step = (plot_right - left) / len(months)
    xs = [_n(left + i * step) for i in range(len(months) + 1)]

    def y(value: int) -> float:
        return bottom - value * PLOT_HEIGHT / ticks[-1]

    for t in ticks:
        body.append(f'<line x1="{_n(left)}" x2="{_n(plot_right)}" y1="{_n(y(t))}" y2="{_n(y(t))}" '
                    f'stroke="{GRID}"/><text x="{_n(left - 6)}" y="{_n(y(t) + 5.5)}" fill="{TEXT}" '
                    f'text-anchor="end">{t:,}</text>')
    below = [0] * len(months)
    ends: list[tuple[float, str]] = []  # the middle of each band at its right-hand end, and its status
    for i, k in enumerate(statuses):
        if k not in present:
            continue
        above = [b + c[i] for b, c in zip(below, counts, strict=True)]
        name = e(f"{COMMITMENT_STATUSES[k]}: {counts[-1][i]:,} in {_month(months[-1])}")
        body.append(f'<path d="{_steps(xs, [_n(y(v)) for v in above], [_n(y(v)) for v in below])}" '
                    f'fill="{_fill(chart_id, k)}" stroke="{ON_BAR}"><title>{name}</title></path>')
        if counts[-1][i]:
            ends.append(((y(above[-1]) + y(below[-1])) / 2, k))
        below = above
    body.append(f'<line x1="{_n(left)}" x2="{_n(plot_right)}" y1="{_n(bottom)}" y2="{_n(bottom)}" '
                f'stroke="{TEXT}"/>')
    body += _month_axis(months, xs, bottom, width)
    for middle, placed, k in _spread(ends, top, bottom):
        body.append(f'<line x1="{_n(plot_right)}" y1="{_n(middle)}" x2="{_n(plot_right + 6)}" y2="{_n(placed)}" '
                    f'stroke="{TEXT}"/><text x="{_n(plot_right + 9)}" y="{_n(placed + 5.5)}" fill="{TEXT}">'
                    f'{e(COMMITMENT_STATUSES[k])}</text>')
    height = bottom + LINE + 6
    return _svg_element(chart_id, caption, desc, height, body, width)


def _svg_element(chart_id: str, caption: str, desc: str, height: float, body: list[str], width: float) -> str:
    """The <svg> of every chart: an image named by its title and described by its desc, for screen readers."""
    size = "wide" if width > WIDTH else "narrow"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-size="{FONT}" '
        f'class="commons-chart__svg commons-chart__svg--{size}">'
        f'<title id="{chart_id}-title">{html.escape(caption)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>'
        + _defs(chart_id) + "".join(body) + "</svg>"
    )


def _steps(xs: list[str], tops: list[str], bottoms: list[str]) -> str:
    """The outline of one band: along its top from left to right, back along its bottom. Each month is a
    flat step (the counts hold for the whole month); runs of months with the same value are one line."""
    n = len(tops)
    d = [f"M{xs[0]} {bottoms[0]}V{tops[0]}"]
    for i in range(1, n):
        if tops[i] != tops[i - 1]:
            d.append(f"H{xs[i]}V{tops[i]}")
    d.append(f"H{xs[n]}V{bottoms[n - 1]}")
    for i in range(n - 2, -1, -1):
        if bottoms[i] != bottoms[i + 1]:
            d.append(f"H{xs[i + 1]}V{bottoms[i]}")
    return "".join(d) + "Z"


def _ticks(most: int) -> list[int]:
    """Round numbers from 0 to at least `most`, three or four steps apart."""
    step = 1
    while most / step > 4:
        step = _next_step(step)
    return list(range(0, math.ceil(most / step) * step + 1, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, ..."""
    digits = int(str(step)[0])
    return step * 2 if digits in (1, 5) else step * 5 // 2


def _month_axis(months: Sequence[dt.date], xs: list[str], bottom: float, width: float) -> list[str]:
    """Year labels at the Januaries (every other one, or fewer, when they would crowd); when the chart
    spans fewer than two, the first and last months instead."""
    year_width = 12 * (float(xs[-1]) - float(xs[0])) / len(months)
    every = max(1, math.ceil((_text_width("2026") + 8) / year_width))
    label_y = _n(bottom + LINE)
    marks = [(i, str(m.year)) for i, m in enumerate(months) if m.month == 1 and m.year % every == 0
             and float(xs[i]) + _text_width("2026") <= width]
    out: list[str] = []
    if len(marks) >= 2:
        for i, text in marks:
            out.append(f'<line x1="{xs[i]}" x2="{xs[i]}" y1="{_n(bottom)}" y2="{_n(bottom + 5)}" stroke="{TEXT}"/>'
                       f'<text x="{xs[i]}" y="{label_y}" fill="{TEXT}">{text}</text>')
        return out
    first, last = f"{months[0]:%b %Y}", f"{months[-1]:%b %Y}"
    out.append(f'<text x="{xs[0]}" y="{label_y}" fill="{TEXT}">{first}</text>')
    if len(months) > 1 and float(xs[-1]) - float(xs[0]) >= 2 * _text_width(first) + 8:
        out.append(f'<text x="{xs[-1]}" y="{label_y}" fill="{TEXT}" text-anchor="end">{last}</text>')
    return out


def _spread(ends: list[tuple[float, str]], top: float, bottom: float) -> list[tuple[float, float, str]]:
    """Each band's label as close to the middle of its end as it can be without two overlapping:
    (where the band ends, where its label goes, status), top first."""
    wanted = sorted(ends)
    placed: list[float] = []
    for middle, _ in wanted:
        placed.append(max(middle, placed[-1] + LINE) if placed else max(middle, top))
    if placed and placed[-1] > bottom:  # pushed past the bottom: push back up from there
        placed[-1] = bottom
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - LINE)
    return [(middle, at, k) for (middle, k), at in zip(wanted, placed, strict=True)]


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _legend(chart_id: str, statuses: Iterable[str], width: float) -> tuple[list[str], float]:
    """A key (the status's colour and marks) and the name of each status, flowing onto more lines as needed;
    returns the SVG and its height."""
    parts: list[str] = []
    x, y = 0.0, 0.0
    for k in statuses:
        label = COMMITMENT_STATUSES[k]
        key = 26 + _text_width(label)
        if x and x + key > width:
            x, y = 0.0, y + LINE + 6
        parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="20" height="20" fill="{_fill(chart_id, k)}"/>'
                     f'<text x="{_n(x + 26)}" y="{_n(y + 15)}" fill="{TEXT}">{html.escape(label)}</text>')
        x += key + 16
    return parts, (y + LINE + 12 if parts else 0.0)


def _fill(chart_id: str, status: str) -> str:
    """The paint of a status in one chart: its pattern (colour and marks), defined in that chart's <defs>."""
    return f"url(#{chart_id}-{status})"


def _defs(chart_id: str) -> str:
    """One 8-unit pattern per status: its colour, with its white marks over it."""
    return "<defs>" + "".join(
        f'<pattern id="{chart_id}-{k}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{STATUS_COLOURS[k]}"/>{STATUS_MARKS[k]}</pattern>'
        for k in COMMITMENT_STATUSES) + "</defs>"


def _wrap(text: str, limit: int) -> list[str]:
    """Words onto lines of at most `limit` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _number_width(text: str) -> float:
    """Digits are wider than the average glyph, and bold ones wider still: room for a bold number."""
    return len(text) * 0.7 * FONT


def _text_width(text: str) -> float:
    return len(text) * CHAR


def _n(value: float) -> str:
    """A coordinate rounded to 0.1, without a trailing .0, so output is byte-identical between runs."""
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text
