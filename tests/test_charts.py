"""The Declaration charts: the numbers they draw, the SVG they are drawn in, and the dashboard template."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from commons.content.model import Catalog, Update, build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.content.vocabulary import COMMITMENT_STATUSES, PRINCIPLES
from commons.site import charts
from commons.site.progress import STATUSES, Counts, Progress
from commons.site.templating import long_date, number
from commons.site.views.dashboard import dashboard_page

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 21)
SVG = "{http://www.w3.org/2000/svg}"
SCRIPT_TITLE = 'Open data <script>alert("x")</script> & more'


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    report = validate_repository(ROOT, keep_entries=True)
    assert not report.errors, "the repository's own content must validate"
    return build_catalog(report.entries, load_register(ROOT / "data" / "uk-local-authorities.csv"), today=TODAY)


@pytest.fixture(scope="module")
def board(catalog: Catalog) -> charts.Dashboard:
    return charts.dashboard(catalog)


def all_charts(d: charts.Dashboard) -> list[charts.Chart]:
    return [d.by_status, d.by_principle, d.by_nation, d.by_region, d.by_council_type]


def with_title(catalog: Catalog, index: int, title: str, history: tuple[Update, ...] | None = None) -> Catalog:
    """The catalog with one commitment retitled (and re-dated), in both places the Catalog holds it."""
    old = catalog.commitments[index]
    new = dataclasses.replace(old, title=title, history=history or old.history,
                              stale=(history or old.history)[-1].date < TODAY - dt.timedelta(days=365))
    commitments = tuple(new if c is old else c for c in catalog.commitments)
    council = catalog.councils[old.council]
    council = dataclasses.replace(council, commitments=tuple(new if c is old else c for c in council.commitments))
    return dataclasses.replace(catalog, commitments=commitments, councils={**catalog.councils, council.code: council})


def test_the_repository_has_commitments_to_chart(catalog: Catalog) -> None:
    # The assertions below are only worth something if several statuses and councils are present.
    assert len(catalog.commitments) >= 10
    assert len({c.status for c in catalog.commitments}) >= 3
    assert any(c.stale for c in catalog.commitments)


def test_totals(catalog: Catalog, board: charts.Dashboard) -> None:
    assert board.total == len(catalog.commitments)
    assert board.councils_with_commitments == len({c.council for c in catalog.commitments})


def test_by_status_rows_are_a_direct_count(catalog: Catalog, board: charts.Dashboard) -> None:
    counted = Counter(c.status for c in catalog.commitments)
    assert board.by_status.columns == ("Status", "Commitments")
    assert board.by_status.rows == tuple((label, str(counted[k])) for k, label in COMMITMENT_STATUSES.items())


def test_every_chart_counts_every_commitment(catalog: Catalog, board: charts.Dashboard) -> None:
    n = len(catalog.commitments)
    assert sum(int(row[1]) for row in board.by_status.rows) == n
    for chart in (board.by_nation, board.by_region, board.by_council_type):
        assert chart.columns[1:] == (*COMMITMENT_STATUSES.values(), "Total")
        assert sum(int(row[-1]) for row in chart.rows) == n, chart.id
        for row in chart.rows:  # each row's statuses add up to its total
            assert sum(int(x) for x in row[1:-1]) == int(row[-1]), (chart.id, row)
        by_status = [sum(int(row[i + 1]) for row in chart.rows) for i in range(len(COMMITMENT_STATUSES))]
        assert by_status == [int(r[1]) for r in board.by_status.rows], chart.id
    # A commitment counts once under each of its principles.
    assert sum(int(row[-1]) for row in board.by_principle.rows) == sum(len(c.principles) for c in catalog.commitments)
    assert len(board.by_principle.rows) == len(PRINCIPLES)


def test_grouped_rows_match_the_councils(catalog: Catalog, board: charts.Dashboard) -> None:
    regions = Counter(catalog.councils[c.council].region for c in catalog.commitments)
    assert {row[0]: int(row[-1]) for row in board.by_region.rows} == {
        r: regions[r] for r in {c.region for c in catalog.councils.values()}}
    done = Counter(catalog.councils[c.council].type_name for c in catalog.commitments if c.status == "done")
    i = board.by_council_type.columns.index(COMMITMENT_STATUSES["done"])
    assert {row[0]: int(row[i]) for row in board.by_council_type.rows if int(row[i])} == dict(done)
    totals = [int(row[-1]) for row in board.by_nation.rows]
    assert totals == sorted(totals, reverse=True)  # most commitments first


def check_svg(chart: charts.Chart) -> ET.Element:
    """Checks both drawings of a chart (narrow and wide); returns the narrow one's root."""
    assert chart.svg_wide, chart.id
    wide = check_one_svg(chart, chart.svg_wide, chart.id + "-wide")
    assert "commons-chart__svg--wide" in (wide.get("class") or "")
    assert float(wide.get("viewBox", "").split()[2]) > float(ET.fromstring(chart.svg).get("viewBox", "").split()[2])
    root = check_one_svg(chart, chart.svg, chart.id)
    assert "commons-chart__svg--narrow" in (root.get("class") or "")
    return root


PAINT = re.compile(r"url\(#([a-z0-9-]+)\)")


def check_one_svg(chart: charts.Chart, svg: str, prefix: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert "width" in root.attrib and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for attr in ("aria-labelledby", "aria-describedby"):
        refs = root.get(attr, "").split()
        assert refs and all(r in ids for r in refs), (chart.id, attr)
        assert all(r.startswith(prefix + "-") for r in refs)
    assert all(i.startswith(prefix + "-") for i in ids)
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    assert title.text == chart.caption
    for bad in ("script", "foreignObject", "image", "style", "a"):
        assert root.find(f".//{SVG}{bad}") is None, bad
    # The only references are paints of the chart's own status patterns (no style attribute, which the
    # Content-Security-Policy would refuse, and nothing from outside).
    assert "href" not in svg and "@import" not in svg
    assert all("style" not in el.attrib for el in root.iter())
    patterns = {el.get("id") for el in root.iter(f"{SVG}pattern")}
    assert patterns == {f"{prefix}-{k}" for k in COMMITMENT_STATUSES}
    assert set(PAINT.findall(svg)) <= patterns and svg.count("url(") == len(PAINT.findall(svg))
    assert all(not k.startswith("on") for el in root.iter() for k in el.attrib)
    for el in root.iter(f"{SVG}text"):
        assert float(el.get("font-size", root.get("font-size", "0"))) >= 12
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_svgs_are_accessible_images(board: charts.Dashboard) -> None:
    for chart in all_charts(board):
        root = check_svg(chart)
        written = texts(root)
        statuses = chart.columns[1:-1] if chart.columns[-1] == "Total" else [r[0] for r in chart.rows]
        for i, label in enumerate(statuses):
            count = (sum(int(r[i + 1]) for r in chart.rows) if chart.columns[-1] == "Total"
                     else int(chart.rows[i][1]))
            if count:
                assert label in written, (chart.id, label)  # named in the legend or beside its bar
        for row in chart.rows:  # every total is written beside its bar
            assert row[-1] in written


def test_status_colours_contrast_with_white() -> None:
    def luminance(hex_colour: str) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    def contrast(a: str, b: str) -> float:
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    assert set(charts.STATUS_COLOURS) == set(COMMITMENT_STATUSES)
    assert len(set(charts.STATUS_COLOURS.values())) == len(COMMITMENT_STATUSES)
    for colour in charts.STATUS_COLOURS.values():
        assert contrast(colour, "#ffffff") >= 4.5  # 3:1 as a shape; 4.5:1 under the white numbers
    assert contrast(charts.TEXT, "#ffffff") >= 4.5


def test_statuses_differ_by_more_than_colour(board: charts.Dashboard) -> None:
    # WCAG 1.4.1: each status's pattern has its own white marks (done alone is plain), every segment is
    # painted with its status's pattern, and the legend's keys with the same ones.
    assert len(set(charts.STATUS_MARKS.values())) == len(COMMITMENT_STATUSES)
    assert [k for k, marks in charts.STATUS_MARKS.items() if not marks] == ["done"]
    for chart in all_charts(board):
        for prefix, svg in ((chart.id, chart.svg), (chart.id + "-wide", chart.svg_wide)):
            root = ET.fromstring(svg)
            for pattern in root.iter(f"{SVG}pattern"):
                k = (pattern.get("id") or "").removeprefix(prefix + "-")
                rect = pattern.find(f"{SVG}rect")
                assert rect is not None and rect.get("fill") == charts.STATUS_COLOURS[k]
            for rect in root.findall(f"{SVG}rect"):
                name = "".join(rect.itertext())
                if name:  # a segment, named "<status>: <count>"
                    k = next(k for k, label in COMMITMENT_STATUSES.items() if name.startswith(label + ":"))
                    assert rect.get("fill") == f"url(#{prefix}-{k})"
            keys = [r.get("fill") for r in root.findall(f"{SVG}rect") if not "".join(r.itertext())]
            if chart.id != "by-status":  # its bars are labelled by status instead of a legend
                assert keys and all(PAINT.fullmatch(f or "") for f in keys)


def test_ids_are_unique_across_the_dashboard(board: charts.Dashboard) -> None:
    ids: list[str] = []
    for chart in all_charts(board):
        ids.append(chart.id)
        for svg in (chart.svg, chart.svg_wide):  # a title, a description and a pattern per status
            ids += [el.get("id", "") for el in ET.fromstring(svg).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == (1 + 2 * (2 + len(COMMITMENT_STATUSES))) * len(all_charts(board))


def test_stale_commitments_are_the_ones_without_a_recent_update(catalog: Catalog, board: charts.Dashboard) -> None:
    expected = {c.key for c in catalog.commitments
                if (TODAY - c.last_update.date).days > 365 and c.status not in ("done", "stopped")}
    assert expected and {c.key for c in board.stale} == expected
    dates = [c.last_update.date for c in board.stale]
    assert dates == sorted(dates)


def test_output_is_byte_identical(catalog: Catalog, board: charts.Dashboard) -> None:
    again = charts.dashboard(catalog)
    assert again == board
    assert [c.svg for c in all_charts(again)] == [c.svg for c in all_charts(board)]
    council = next(c for c in catalog.councils.values() if c.commitments)
    assert charts.council_progress(catalog, council) == charts.council_progress(catalog, council)


def test_coordinates_are_rounded(board: charts.Dashboard) -> None:
    for chart in all_charts(board):
        for el in ET.fromstring(chart.svg).iter():
            for name in ("x", "y", "width", "height"):
                value = el.get(name)
                if value is not None and value != "100%":
                    assert len(value.partition(".")[2]) <= 1, (chart.id, name, value)


def test_council_progress(catalog: Catalog) -> None:
    council = max(catalog.councils.values(), key=lambda c: (len({x.status for x in c.commitments}), c.code))
    chart = charts.council_progress(catalog, council)
    assert chart is not None
    root = check_svg(chart)
    counted = Counter(c.status for c in council.commitments)
    assert chart.rows == tuple((label, str(counted[k])) for k, label in COMMITMENT_STATUSES.items() if counted[k])
    assert sum(int(r[1]) for r in chart.rows) == len(council.commitments)
    assert all(label in texts(root) for label, _ in chart.rows)
    assert council.name in chart.caption
    empty = next(c for c in catalog.councils.values() if not c.commitments)
    assert charts.council_progress(catalog, empty) is None


def test_contributed_text_is_escaped(catalog: Catalog) -> None:
    hostile = with_title(catalog, 0, SCRIPT_TITLE)
    code = hostile.commitments[0].council
    council = dataclasses.replace(hostile.councils[code], name='<img src=x onerror="alert(1)">')
    chart = charts.council_progress(hostile, council)
    assert chart is not None
    assert "<img" not in chart.svg and "&lt;img" in chart.svg
    ET.fromstring(chart.svg)  # still well-formed XML
    # Category labels are escaped too: a quote in a label must not end an attribute or a tag.
    svg = charts._svg("t", 'A "caption" <b>', "d", [('Region <script>', Counter({"done": 1}))], legend=True)
    assert "<script" not in svg and "<b>" not in svg
    assert texts(ET.fromstring(svg))[-2] == "Region <script>"


def test_an_empty_catalog_draws_empty_charts(catalog: Catalog) -> None:
    empty = dataclasses.replace(catalog, commitments=())
    d = charts.dashboard(empty)
    assert d.total == 0 and d.stale == () and d.councils_with_commitments == 0
    for chart in all_charts(d):
        check_svg(chart)
        assert all(row[-1] == "0" for row in chart.rows)


# The template, rendered with Jinja under a stand-in for Material's main.html, without autoescaping: every value
# it prints must be escaped by the template itself.

class Page(HTMLParser):
    """The parts of the rendered page the assertions need."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3"):
            self._heading = tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            self.headings.append(self._heading)
            self._heading = None


def render(catalog: Catalog, progress: Progress | None = None) -> str:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.DictLoader({"main.html": "<main>{% block content %}{% endblock %}</main>"}),
            jinja2.FileSystemLoader(ROOT / "docs" / "overrides"),
        ]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(long_date=long_date, number=number, url=lambda path: "../" + path)
    page = SimpleNamespace(title="Declaration dashboard", content="<p>The introduction.</p>")  # already HTML
    env.globals.update(view=dashboard_page(catalog, progress), page=page)
    return env.get_template("dashboard.html").render()


def test_dashboard_template(catalog: Catalog) -> None:
    old = catalog.commitments[0]
    when = TODAY - dt.timedelta(days=800)
    hostile = with_title(catalog, 0, SCRIPT_TITLE, (Update(when, old.status, "Started."),))
    out = render(hostile)
    page = Page()
    page.feed(out)
    d = charts.dashboard(hostile)
    overdue = dashboard_page(hostile).overdue  # past their target: a table of their own when there are any
    assert overdue, "the starter content has commitments past their target on TODAY"

    assert "<script" not in out and "Open data &lt;script&gt;" in out
    assert page.headings[0] == "h1" and page.headings.count("h1") == 1
    assert set(page.headings[1:]) == {"h2"}
    assert page.headings.count("h2") == len(all_charts(d)) + 2  # the stale and the overdue commitments
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)

    tags = [t for t, _ in page.tags]
    # Each chart is drawn twice (narrow and wide) in one figure; its table is in its own labelled region.
    assert tags.count("figure") == tags.count("figcaption") == tags.count("svg") // 2 == len(all_charts(d))
    assert tags.count("table") == tags.count("caption") == len(all_charts(d)) + 2
    regions = [a for t, a in page.tags if t == "div" and a.get("role") == "region"]
    assert len(regions) == len(all_charts(d))
    assert all(a.get("tabindex") == "0" and a.get("aria-label") for a in regions)
    assert [a.get("aria-label") for a in regions] == [c.table_heading for c in all_charts(d)]
    figures = [a for t, a in page.tags if t == "figure"]
    assert all("data-pagefind-ignore" in a for a in figures)
    scopes = Counter(a.get("scope") for t, a in page.tags if t == "th")
    assert scopes["row"] == sum(len(c.rows) for c in all_charts(d)) + len(d.stale) + len(overdue)
    assert scopes["col"] == sum(len(c.columns) for c in all_charts(d)) + 4 + 4
    for chart in all_charts(d):
        assert chart.svg in out and chart.svg_wide in out

    council = hostile.councils[old.council]
    assert f'href="../councils/{council.slug}/#{old.id}"' in out
    assert long_date(when) in out
    text = " ".join(" ".join(page.text).split())
    assert f"{d.total} commitments" in text


def test_dashboard_template_without_stale_commitments(catalog: Catalog) -> None:
    fresh = dataclasses.replace(catalog, commitments=tuple(dataclasses.replace(c, stale=False, overdue=False)
                                                           for c in catalog.commitments))
    out = render(fresh)
    assert "None: every commitment not yet done or stopped has been updated" in out
    assert "None: no commitment is past its target" in out
    assert out.count("<table") == len(all_charts(charts.dashboard(fresh)))


# Commitments by status over time: the chart of git history (commons.site.progress), drawn and tabled.

MONTHS = (dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1),
          dt.date(2025, 3, 1), dt.date(2025, 4, 1))
#            planned, in-progress, done, paused, stopped
SECTOR = ((0, 0, 0, 0, 0), (3, 1, 0, 0, 0), (2, 2, 0, 0, 0), (2, 2, 0, 0, 0), (1, 2, 1, 0, 0), (1, 1, 12, 0, 1))


def test_over_time_chart_rows_and_drawing() -> None:
    chart = charts.over_time_chart("over-time", "Commitments by status over time", "Commitments by month",
                                   MONTHS, SECTOR)
    assert chart is not None
    # The empty month is left out: the axis starts where the data starts, and the caption says how much there is.
    assert chart.caption == "Commitments by month. Recorded since December 2024: 5 months."
    assert chart.columns == ("Month", *COMMITMENT_STATUSES.values(), "Total")
    # Every month in which a number changed, and the latest; February repeats January, so it is left out.
    assert chart.rows == (
        ("December 2024", "3", "1", "0", "0", "0", "4"),
        ("January 2025", "2", "2", "0", "0", "0", "4"),
        ("March 2025", "1", "2", "1", "0", "0", "4"),
        ("April 2025", "1", "1", "12", "0", "1", "15"),
    )
    assert chart.table_caption == ("Commitments by status over time: the numbers in the chart for each month in "
                                   "which they changed, and the latest")
    root = check_svg(chart)
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text == ("In April 2025: planned 1, in progress 1, done 12, paused 0, "
                                              "stopped 1; 15 in all.")
    written = texts(root)
    # The legend names the statuses that appear (paused never does); each band still there at the end is
    # named beside it; the count axis runs to a round number above the highest total; with fewer than two
    # Januaries to mark, the first and last months are.
    assert written[:4] == ["Planned", "In progress", "Done", "Stopped"]
    assert written[-4:] == ["Stopped", "Done", "In progress", "Planned"]  # top first
    assert ["0", "5", "10", "15"] == [t for t in written if t.isdigit() and len(t) < 3]
    assert "Dec 2024" in written and "Apr 2025" in written and "2025" not in written
    bands = root.findall(f"{SVG}path")
    assert [b.get("fill") for b in bands] == [f"url(#over-time-{k})" for k in ("planned", "in-progress", "done",
                                                                                "stopped")]
    names = ["".join(b.itertext()) for b in bands]
    assert names == ["Planned: 1 in April 2025", "In progress: 1 in April 2025", "Done: 12 in April 2025",
                     "Stopped: 1 in April 2025"]
    assert all(b.get("d", "").startswith("M") and b.get("d", "").endswith("Z") for b in bands)
    # Labels never overlap, however thin the bands they name (three of the four are one commitment thick).
    labels = [float(el.get("y", "0")) for el in list(root.iter(f"{SVG}text"))[-4:]]
    assert all(b - a >= charts.LINE for a, b in zip(labels, labels[1:], strict=False))


def test_over_time_chart_without_numbers() -> None:
    assert charts.over_time_chart("t", "T", "W", MONTHS, ((0,) * 5,) * len(MONTHS)) is None
    assert charts.over_time_chart("t", "T", "W", (), ()) is None
    # A single month is no trend: one stacked bar, labelled with its month, and a caption that says so.
    one = charts.over_time_chart("t", "T", "Commitments", MONTHS[-1:], SECTOR[-1:])
    assert one is not None and one.table_caption == ""
    assert one.caption == ("Commitments. Recorded since April 2025: 1 month. One month shows no trend yet: "
                           "the bar is that month's numbers.")
    root = check_svg(one)
    assert root.findall(f"{SVG}path") == []  # no bands (the patterns in <defs> have paths of their own)
    names = ["".join(b.itertext()) for b in root.findall(f"{SVG}rect")]
    assert [n for n in names if n] == ["Planned: 1", "In progress: 1", "Done: 12", "Stopped: 1"]  # after the keys
    assert "April 2025" in texts(root) and "15" in texts(root)
    assert one.rows == (("April 2025", "1", "1", "12", "0", "1", "15"),)


def test_over_time_steps_follow_the_counts() -> None:
    # One band over three months: 2, 2, then 1. Its top steps down once, at the start of the third month.
    d = charts._steps(["0", "10", "20", "30"], ["100", "100", "150"], ["200", "200", "200"])
    assert d == "M0 200V100H20V150H30V200Z"


def progress_for(catalog: Catalog) -> Progress:
    """Progress in which every council with commitments had them all planned a month before they stood now."""
    months = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    councils: dict[str, tuple[Counts, ...]] = {}
    for council in catalog.councils.values():
        if council.commitments:
            now = Counter(c.status for c in council.commitments)
            councils[council.slug] = ((len(council.commitments), 0, 0, 0, 0), tuple(now[k] for k in STATUSES))
    sector = tuple(tuple(sum(c[i][k] for c in councils.values()) for k in range(len(STATUSES))) for i in range(2))
    return Progress(months, sector, councils)


def test_council_over_time(catalog: Catalog) -> None:
    p = progress_for(catalog)
    council = next(c for c in catalog.councils.values() if len(c.commitments) >= 3)
    chart = charts.council_over_time(catalog, council, p)
    assert chart is not None and chart.id == "council-over-time"
    check_svg(chart)
    assert council.name in chart.caption
    n = len(council.commitments)
    now = Counter(c.status for c in council.commitments)
    assert chart.rows == (("October 2026", str(n), "0", "0", "0", "0", str(n)),
                          ("November 2026", *(str(now[k]) for k in STATUSES), str(n)))
    empty = next(c for c in catalog.councils.values() if not c.commitments)
    assert charts.council_over_time(catalog, empty, p) is None
    # A council with commitments but no history (a build without git) shows no chart either.
    assert charts.council_over_time(catalog, council, Progress((), (), {})) is None


def test_dashboard_template_with_progress(catalog: Catalog) -> None:
    p = progress_for(catalog)
    d = charts.dashboard(catalog, p)
    assert d.over_time is not None
    out = render(catalog, p)
    assert d.over_time.svg in out
    page = Page()
    page.feed(out)
    tags = [t for t, _ in page.tags]
    assert tags.count("svg") // 2 == tags.count("figure") == len(all_charts(d)) + 1
    text = " ".join(" ".join(page.text).split())
    assert "Commitments by status over time: the numbers in the chart" in text
    total = len(catalog.commitments)
    assert f"October 2026 {total} 0 0 0 0 {total}" in text
    now = Counter(c.status for c in catalog.commitments)
    assert "November 2026 " + " ".join(str(now[k]) for k in STATUSES) + f" {total}" in text
    ids = [a.get("id") for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_over_time_axis_marks_years() -> None:
    months = tuple(dt.date(2019 + (5 + i) // 12, (5 + i) % 12 + 1, 1) for i in range(80))  # June 2019 on
    counts = tuple((i // 10, 1, i // 20, 0, 0) for i in range(80))
    chart = charts.over_time_chart("t", "T", "Commitments", months, counts)
    assert chart is not None
    written = texts(check_svg(chart))
    years = [t for t in written if len(t) == 4 and t.startswith("20")]
    assert years and set(years) <= {str(y) for y in range(2020, 2027)}  # June 2019 to January 2026
    assert len(years) >= 2 and all(int(b) - int(a) == int(years[1]) - int(years[0]) for a, b in
                                   zip(years, years[1:], strict=False))
    assert len(chart.rows) == 1 + 7 + 1  # the first month, every tenth (when planned or done change), the last
