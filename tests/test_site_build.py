"""The built site as files: reproducible, never running contributed text as templates, stopped by content
errors, self-contained, and with every page, short link and redirect it promises."""

from __future__ import annotations

import gzip
import html
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import mkdocs.commands.build
import mkdocs.utils
import pytest

from commons.cli import report
from commons.content.register import load_register
from commons.errors import CommonsError
from commons.site import mkdocs_api, output, qr, workers
from commons.site.build import build
from commons.site.build_scope import BuildScope
from site_compare import plain_files, same_site
from site_support import REGISTER, REPO, Site, build_into, copy_repository, pattern_files

# ---------------------------------------------------------------------------------------------------------
# 1. Deterministic

def test_the_build_is_deterministic(tmp_path: Path) -> None:
    """Two builds of the same commit are the same, file for file, byte for byte."""
    a = build_into(tmp_path / "a")
    b = build_into(tmp_path / "b")
    assert len(plain_files(a)) > 500, "suspiciously few files compared"
    same_site(b, a)




def test_a_build_writes_over_the_site_before_last_and_leaves_nothing_of_it(site: Site, tmp_path: Path) -> None:
    """The site a build replaces is kept as the spare; the next build writes its files over the spare's (the
    same files on disk) and removes what it did not write, leaving the same site as a build from nothing."""
    target = build_into(tmp_path / "site")
    build_into(target)
    spare = tmp_path / ".site-spare"
    assert plain_files(spare) == plain_files(site.dir), "the replaced site was not kept whole"
    (spare / "index.html").write_text("the build before last", encoding="utf-8")
    (spare / "gone.html").write_text("a page this build does not make", encoding="utf-8")
    (spare / "patterns" / "gone" / "deeper").mkdir(parents=True)
    (spare / "patterns" / "gone" / "deeper" / "index.html").write_text("an entry since removed", encoding="utf-8")
    # An earlier index's files, named after their content as Pagefind names them: no index names them now.
    bundle = spare / "pagefind"
    stale_index = [bundle / "fragment" / "en_0123abc.pf_fragment", bundle / "index" / "en_4567def.pf_index",
                   bundle / "pagefind.en_89abcdef01.pf_meta"]
    for path in stale_index:
        path.write_bytes(b"from an earlier index")
    home = (spare / "index.html").stat().st_ino
    build_into(target)
    assert (target / "index.html").stat().st_ino == home, "the spare's files were not written over"
    assert not (target / "gone.html").exists()
    assert not (target / "patterns" / "gone").exists(), "an emptied folder was left behind"
    assert not [p for p in stale_index if (target / p.relative_to(spare)).exists()], "an earlier index's files stayed"
    same_site(target, site.dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-spare", "site"]


def test_a_file_written_over_holds_exactly_the_new_content(tmp_path: Path) -> None:
    path = tmp_path / "made" / "on" / "demand.html"
    output.write_over(path, b"a first version, longer than the next")
    home = path.stat().st_ino
    output.write_over(path, b"shorter")
    assert path.read_bytes() == b"shorter"
    assert path.stat().st_ino == home, "written over means the same file, not a new one"
    before = path.stat().st_ctime_ns
    time.sleep(0.05)  # file times move in the kernel's clock ticks
    output.write_over(path, b"")
    assert path.read_bytes() == b""
    assert path.stat().st_ctime_ns != before, "an emptied file must count as written (see output.sweep)"


def test_a_spare_in_the_way_of_the_new_site_is_set_aside(site: Site, tmp_path: Path) -> None:
    """A spare with a file where the site needs a folder cannot be written over: the build makes a new folder."""
    spare = tmp_path / ".site-spare"
    spare.mkdir()
    (spare / "patterns").write_text("not a folder", encoding="utf-8")
    target = build_into(tmp_path / "site")
    same_site(target, site.dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "a set-aside spare was left behind"


def _build_counting_splits(target: Path, processes: str, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Build with COMMONS_BUILD_PROCESSES=`processes`; whether the build forked a worker."""
    forked: list[bool] = []
    split = workers.split

    def counted(files: Any) -> workers.Split | None:
        made = split(files)
        forked.append(made is not None)
        return made

    monkeypatch.setattr(workers, "split", counted)
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, processes)
    build_into(target)
    return forked


def test_a_build_on_two_cores_is_the_same_as_on_one(site: Site, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes render the pages between them; one process makes the same site, file for file. Either
    way, once the build has finished nothing of it is current and MkDocs' own functions are as they were."""
    before = _mkdocs_functions()
    assert _build_counting_splits(tmp_path / "two", "2", monkeypatch) == [True]
    _nothing_left_of_the_build(before)
    assert _build_counting_splits(tmp_path / "one", "1", monkeypatch) == [False]
    _nothing_left_of_the_build(before)
    same_site(tmp_path / "two", tmp_path / "one")
    same_site(tmp_path / "two", site.dir)


def test_a_failed_second_process_fails_the_build_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write_over, main = output.write_over, os.getpid()

    def stop_in_the_worker(path: str | Path, content: bytes) -> None:
        if os.getpid() != main:
            os._exit(3)
        write_over(path, content)

    monkeypatch.setattr(output, "write_over", stop_in_the_worker)
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "2")
    target = tmp_path / "site"
    before = _mkdocs_functions()
    with pytest.raises(CommonsError) as failed:
        build(REPO, site_dir=target)
    assert report("build", failed.value) == 1
    said = capsys.readouterr().err
    assert "second rendering process failed: it stopped with exit status 3" in said, said
    assert f"nothing was changed in {target}" in said
    assert list(tmp_path.iterdir()) == [], "a failed build left a folder behind"
    _nothing_left_of_the_build(before)


# ---------------------------------------------------------------------------------------------------------
# State lives for one build

def _mkdocs_functions() -> dict[str, Any]:
    """MkDocs' functions that a build replaces while it runs (commons.site.mkdocs_api), as they are now."""
    return {f"{module.__name__}.{name}": getattr(module, name) for module in (mkdocs.commands.build, mkdocs.utils)
            for name in mkdocs_api.PRIVATE_NAMES if hasattr(module, name)}


def _nothing_left_of_the_build(before: dict[str, Any]) -> None:
    assert BuildScope.current() is None, "the build's scope is still current"
    assert qr.Codes._in_use is None, "the build's QR codes are still in use"
    assert _mkdocs_functions() == before, "MkDocs' own functions were not put back"
    assert len(before) == 5, sorted(before)  # the page steps, and emptying, writing and copying files


def test_a_build_stopped_by_an_error_leaves_nothing_set_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A build that fails while MkDocs renders (here Pagefind cannot be started) ends everything it started."""
    before = _mkdocs_functions()
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "1")
    monkeypatch.setattr("commons.site.search.command", lambda site_dir: ["/nonexistent/pagefind"])
    with pytest.raises(CommonsError, match="Pagefind could not be started"):
        build(REPO, site_dir=tmp_path / "site")
    assert list(tmp_path.iterdir()) == []
    _nothing_left_of_the_build(before)


def test_a_second_build_cannot_start_inside_a_running_one(tmp_path: Path) -> None:
    from commons.site.state import build_state

    s = build_state(REPO)
    with BuildScope(s) as scope:
        assert BuildScope.current() is scope
        with pytest.raises(RuntimeError, match="already running"):
            BuildScope(s).open()
        assert BuildScope.current() is scope
    assert BuildScope.current() is None


# ---------------------------------------------------------------------------------------------------------
# 2. Contributed text is never a template

def test_contributed_entries_are_never_rendered_as_templates(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    p = pattern_files()[0]
    entry = root / "patterns" / f"{p.slug}.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n\nPrinted as it is: {{ config }}\n\n"
                     '{% include "main.html" %}\n', encoding="utf-8")
    site_dir = build_into(tmp_path / "site", root=root)

    page = (site_dir / "patterns" / p.slug / "index.html").read_text(encoding="utf-8")
    body = re.search(r'<div class="commons-body"[^>]*>(.*?)</div>', page, re.S)
    assert body, "no commons-body block on the pattern page"
    text = html.unescape(body.group(1))
    assert "Printed as it is: {{ config }}" in text
    assert '{% include "main.html" %}' in text
    # Rendered, {{ config }} would print MkDocs' configuration and the include a second whole page.
    for leak in ("config_file_path", "'site_url'", "site_url:", "'site_name'", str(root), "'theme'"):
        assert leak not in page, f"the pattern page shows {leak!r}: its text was run as a template"
    assert page.count("<html") == 1 and page.count('<header class="md-header') == 1, "main.html was included"


# ---------------------------------------------------------------------------------------------------------
# 3. A content error stops the build

def _break_a_pattern(root: Path) -> tuple[str, int]:
    p = pattern_files()[0]
    rel = f"patterns/{p.slug}.md"
    lines = (root / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("status:"))
    lines[line - 1] = "status: finished\n"
    (root / rel).write_text("".join(lines), encoding="utf-8")
    return rel, line


def _commons_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "commons", "--root", str(root), "build"], capture_output=True,
                          text=True, timeout=120)


def test_a_validation_error_stops_the_build_and_builds_nothing(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    rel, line = _break_a_pattern(root)
    result = _commons_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(rf"^{re.escape(rel)}:{line}:\d+: error\[E-ENUM\] .*finished", output, re.M), output
    assert not (root / "site").exists(), "a failed build left a site folder"
    assert not list(root.glob(".site*")), f"a failed build left {list(root.glob('.site*'))}"


def test_a_validation_error_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    previous = root / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("the previous build", encoding="utf-8")
    _break_a_pattern(root)
    result = _commons_build(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error[E-ENUM]" in result.stdout + result.stderr
    assert [p.name for p in (root / "site").iterdir()] == ["index.html"]
    assert previous.read_text(encoding="utf-8") == "the previous build"


# ---------------------------------------------------------------------------------------------------------
# 4. Self-contained

FORBIDDEN = ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.", "unpkg", "jsdelivr", "api.github.com")
# Material's own JavaScript bundle carries three third-party URLs on code paths this site never takes:
# a ResizeObserver polyfill (every supported browser has ResizeObserver), Mermaid (no contributed
# Markdown can make a `.mermaid` block: no fences extension, raw HTML refused) and GitHub repository
# facts (docs/overrides/partials/source.html replaces the widget that would call it). The browser test
# `test_no_request_leaves_the_site` shows none is fetched. Exactly these strings, in that file only, are
# let through; any other occurrence, anywhere, fails.
MATERIAL_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
MATERIAL_DORMANT = ("https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
                    "https://api.github.com/repos/${e}/${t}", "https://api.github.com/users/${e}")


def test_no_third_party_hosts_in_built_html_css_or_js(site: Site) -> None:
    found = []
    checked = 0
    for path in sorted(site.dir.rglob("*")):
        if path.suffix not in (".html", ".css", ".js") or not path.is_file():
            continue
        checked += 1
        rel = path.relative_to(site.dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if MATERIAL_BUNDLE.fullmatch(rel):
            for dormant in MATERIAL_DORMANT:
                assert text.count(dormant) == 1, f"{rel}: expected {dormant!r} once; Material has changed"
                text = text.replace(dormant, "")
        found += [f"{rel}: {s}" for s in FORBIDDEN if s in text]
    assert checked > 500
    assert not found, "third-party hosts in the built site:\n" + "\n".join(found)


# ---------------------------------------------------------------------------------------------------------
# 5. Every page it promises

def test_every_short_link_alias_and_council_has_a_page(site: Site) -> None:
    d = site.dir
    missing = []
    for p in pattern_files():
        for rel in [f"patterns/{p.slug}/index.html", f"p/{p.id}/index.html"] + \
                   [f"patterns/{alias}/index.html" for alias in p.aliases]:
            if not (d / rel).is_file():
                missing.append(rel)
        short = d / "p" / str(p.id) / "index.html"
        if short.is_file():
            assert f'url=../../patterns/{p.slug}/"' in short.read_text(encoding="utf-8"), short
        for alias in p.aliases:
            redirect = d / "patterns" / alias / "index.html"
            if redirect.is_file():
                assert f'url=../{p.slug}/"' in redirect.read_text(encoding="utf-8"), redirect
    current = load_register(REGISTER).current()
    assert len(current) == 397
    missing += [f"councils/{a.slug}/index.html" for a in current
                if not (d / "councils" / a.slug / "index.html").is_file()]
    assert not missing, f"{len(missing)} pages missing: {missing[:30]}"
    assert len({a.slug for a in current}) == len(current), "two current councils share a slug"


def test_the_sitemap_lists_every_pattern(site: Site) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site.dir / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    site_url = re.search(r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert site_url
    base = site_url.group(1).rstrip("/") + "/"
    missing = [p.slug for p in pattern_files() if f"{base}patterns/{p.slug}/" not in locs]
    assert not missing, f"patterns missing from sitemap.xml: {missing}"
    # The compressed sitemap says the same.
    gz = {e.text for e in ET.fromstring(gzip.decompress((site.dir / "sitemap.xml.gz").read_bytes()))
          .findall("s:url/s:loc", ns)}
    assert gz == locs


def test_the_theme_templates_are_not_published(site: Site) -> None:
    assert not (site.dir / "overrides").exists(), sorted(p.name for p in (site.dir / "overrides").rglob("*"))
