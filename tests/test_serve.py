"""`commons serve`'s session: one full build, then after each edit a rebuild of only the pages it affects,
with the QR codes and the Declaration progress kept on the session between builds and nothing else; councils kept
in their own repositories served from their pins, read again when sources.lock changes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from commons.content.model import Catalog
from commons.errors import CommonsError
from commons.site import qr, workers
from commons.site.build_scope import BuildScope
from commons.site.serve import Incremental, affected_pages
from conftest import Cli, Result
from site_support import build_into, copy_repository, pattern_files


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Incremental:
    """A copy of the repository, built once by a serve session in one process (so its QR codes are made
    ahead, as a full build on one core makes them)."""
    tmp = tmp_path_factory.mktemp("serve")
    saved = os.environ.get(workers.PROCESSES_VARIABLE)
    os.environ[workers.PROCESSES_VARIABLE] = "1"
    try:
        site = Incremental(copy_repository(tmp / "repo"), tmp / "site")
        site.full_build()
    finally:
        if saved is None:
            del os.environ[workers.PROCESSES_VARIABLE]
        else:
            os.environ[workers.PROCESSES_VARIABLE] = saved
    return site


def _page(site: Incremental, uri: str) -> Path:
    return site.site_dir / uri.removesuffix(".md").removesuffix("index") / "index.html"


def _catalog(site: Incremental) -> Catalog:
    assert site.state is not None, "the session has built the site"
    return site.state.catalog


def test_an_edit_rebuilds_the_pages_it_affects_and_no_others(session: Incremental,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    c = _catalog(session)
    edited = next(p for p in c.patterns.values() if p.case_studies)
    rel, shown_by = edited.path, [f"case-studies/{slug}.md" for slug in edited.case_studies]
    untouched = next(f"patterns/{p.slug}.md" for p in c.patterns.values()
                     if p.slug != edited.slug and p.slug not in (*edited.related, *edited.related_from))
    mine = f"patterns/{edited.slug}.md"
    lists = ("patterns/index.md", "case-studies/index.md")
    written = {uri: _page(session, uri).stat().st_mtime_ns for uri in (mine, untouched, *lists)}
    old = session.state
    # The session's QR codes were made in its first build: a rebuilt pattern page takes its code from them.
    monkeypatch.setattr(qr, "draw", lambda url, title: pytest.fail(f"the code of {url} was drawn again"))

    _edit(session.root / rel, "\n## ", "\nAn edit made while serving.\n\n## ")
    seconds = session.rebuild([rel])
    session.wait_for_search()

    new = session.state
    assert seconds > 0 and new is not old and new is not None and new.modified is not None
    assert {mine, *shown_by} <= new.modified and untouched not in new.modified
    assert "An edit made while serving." in _page(session, mine).read_text(encoding="utf-8")
    assert _page(session, mine).stat().st_mtime_ns != written[mine]
    assert _page(session, untouched).stat().st_mtime_ns == written[untouched], "an unaffected page was rewritten"
    # The lists show a pattern's title and summary, not its body: they were not rendered again
    for uri in lists:
        assert uri not in new.modified and _page(session, uri).stat().st_mtime_ns == written[uri], uri
    assert BuildScope.current() is None and qr.Codes._in_use is None, "the rebuild left its scope set"


def test_a_rebuilt_page_is_the_page_a_full_build_makes(session: Incremental, tmp_path: Path) -> None:
    """The rebuilt entry page is byte for byte the page a full build of the edited repository writes."""
    edited = pattern_files()[1]
    rel = f"patterns/{edited.slug}.md"
    _edit(session.root / rel, "\n## ", "\nA second edit, compared with a full build.\n\n## ")
    session.rebuild([rel])
    full = build_into(tmp_path / "site", root=session.root)
    assert _page(session, rel).read_bytes() == (full / "patterns" / edited.slug / "index.html").read_bytes()
    # The open data too, which serve writes after the pages, from the JSON text it kept of each unchanged item
    session.wait_for_search()
    for export in sorted((full / "api" / "v1").iterdir()):
        assert (session.site_dir / "api" / "v1" / export.name).read_bytes() == export.read_bytes(), export.name


def test_after_edits_every_page_is_the_page_a_full_build_makes(session: Incremental, tmp_path: Path) -> None:
    """Pages a rebuild does not render are kept from the build before (their MkDocs files too): after a title
    that other pages show is changed, and then a body, every page is still the one a full build writes."""
    first, second = pattern_files()[3], pattern_files()[4]
    _edit(session.root / f"patterns/{first.slug}.md", f"title: {first.title}", f"title: {first.title} again")
    session.rebuild([f"patterns/{first.slug}.md"])
    _edit(session.root / f"patterns/{second.slug}.md", "\n## ", "\nAn edit after another.\n\n## ")
    session.rebuild([f"patterns/{second.slug}.md"])
    full = build_into(tmp_path / "site", root=session.root)
    pages = sorted(p.relative_to(full) for p in full.rglob("*.html"))
    assert len(pages) > 100
    assert pages == sorted(p.relative_to(session.site_dir) for p in session.site_dir.rglob("*.html"))
    differ = [str(p) for p in pages if (session.site_dir / p).read_bytes() != (full / p).read_bytes()]
    assert not differ, f"{len(differ)} pages differ from a full build's, first {differ[0]}"


def test_an_edit_with_an_error_keeps_the_last_good_build(session: Incremental) -> None:
    rel = f"patterns/{pattern_files()[2].slug}.md"
    path = session.root / rel
    text, page, last_good = path.read_text(encoding="utf-8"), _page(session, rel).read_bytes(), session.state
    path.write_text(re.sub(r"^status: .*$", "status: finished", text, count=1, flags=re.M), encoding="utf-8")
    try:
        with pytest.raises(CommonsError) as refused:
            session.rebuild([rel])
    finally:
        path.write_text(text, encoding="utf-8")
    assert refused.value.message == "fix the problems above; nothing was built."
    details = refused.value.details.splitlines()
    assert details[0].startswith(f"{rel}:") and "error[E-ENUM]" in details[0], details
    assert details[-1].endswith("files checked: 1 error, 0 warnings."), details
    assert session.state is last_good
    assert _page(session, rel).read_bytes() == page
    assert BuildScope.current() is None


def test_the_entry_pages_an_edit_affects(session: Incremental) -> None:
    """affected_pages: the edited entry and those that show it; of the index pages, those whose list changed
    (none, as nothing did) and those whose introduction runs macros; not the rest."""
    s = session.state
    assert s is not None
    p = next(p for p in s.catalog.patterns.values() if p.case_studies)
    pages = affected_pages(s, s, {p.path})
    assert f"patterns/{p.slug}.md" in pages
    assert {f"case-studies/{c}.md" for c in p.case_studies} <= pages
    assert "dashboard/index.md" in pages
    assert not {"patterns/index.md", "case-studies/index.md", "councils/index.md"} & pages
    others = {f"patterns/{o.slug}.md" for o in s.catalog.patterns.values()
              if o.slug != p.slug and o.slug not in (*p.related, *p.related_from)}
    assert others and not others & pages


def test_an_index_page_is_rendered_again_when_its_list_changes(session: Incremental) -> None:
    """A pattern's new summary is in the patterns list at once; the case studies' list, which does not show
    it, is left as it was; the dashboard, whose introduction runs macros, is rendered again whatever changed."""
    edited = pattern_files()[5]
    rel = f"patterns/{edited.slug}.md"
    lists = ("patterns/index.md", "case-studies/index.md", "dashboard/index.md")
    written = {uri: _page(session, uri).stat().st_mtime_ns for uri in lists}
    _edit(session.root / rel, "\nsummary: ", "\nsummary: Now with a summary edited while serving. ")
    session.rebuild([rel])
    new = session.state
    assert new is not None and new.modified is not None
    assert {"patterns/index.md", "dashboard/index.md"} <= new.modified and "case-studies/index.md" not in new.modified
    assert "Now with a summary edited while serving." in _page(session, "patterns/index.md").read_text("utf-8")
    assert _page(session, "patterns/index.md").stat().st_mtime_ns != written["patterns/index.md"]
    assert _page(session, "case-studies/index.md").stat().st_mtime_ns == written["case-studies/index.md"]


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], env=env, check=True,
                   capture_output=True)


def test_the_session_reads_the_declaration_progress_again_only_after_a_commit(repo: Path, tmp_path: Path) -> None:
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    site = Incremental(repo, tmp_path / "site")
    first = site.checked_state().progress
    assert first.months, "no progress was read from the history"
    assert site.checked_state().progress is first
    _edit(repo / "councils" / "hackney" / "declaration.yml", "openly every week", "openly every day")
    assert site.checked_state().progress is first, "an edit not yet committed changes no history"
    _git(repo, "commit", "-q", "-am", "done")
    assert site.checked_state().progress is not first


def test_serve_stops_before_building_when_the_content_has_errors(repo: Path, cli: Callable[..., Result],
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The problems and what to do are said on standard error; nothing is served and nothing is left behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _edit(repo / "patterns" / "report-a-missed-bin.md", "status: live", "status: finished")
    result = cli("--root", str(repo), "serve", "--port", "0")
    assert result.code == 1
    assert result.out == ""
    err = result.err.splitlines()
    assert err[0].startswith("patterns/report-a-missed-bin.md:") and "error[E-ENUM]" in err[0], err
    assert err[-1] == "commons serve: fix the problems above, then run it again.", err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("commons-serve-")], "a site folder was left"


def _small_site(root: Path) -> Path:
    """The minimal repository (conftest.make_repository) with what a build needs beside its content."""
    from conftest import REPO

    for name in ("docs", "schemas", "scripts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("case-studies", "playbooks", "sessions"):
        (root / folder).mkdir(exist_ok=True)
    return root


def test_the_session_shows_sourced_councils_and_follows_sources_lock(repo: Path, tmp_path: Path, cli: Cli,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A council kept in its own repository is served from its pinned commit, as `commons build` shows it; after
    `commons sources update` moves the pin, a rebuild shows the new commit's records on its page."""
    from test_sources import DECLARATION, PROGRESS, commit, list_sources, make_source, update

    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "1")
    _small_site(repo)
    sheffield = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(sheffield)})
    assert update(cli, repo).code == 0
    site = Incremental(repo, tmp_path / "site")
    site.full_build()
    council = "councils/sheffield.md"
    html = _page(site, council).read_text(encoding="utf-8")
    assert "Publish planning data weekly" in html and f"own repository, {sheffield}" in html
    assert f'href="{sheffield}"' in html  # its edit links open its own repository
    assert "has not joined the commons yet" not in html
    assert site.rebuild() == 0.0, "nothing changed, yet it rebuilt"

    commit(sheffield, {"declaration.yml": DECLARATION.replace("title: Publish planning data weekly",
                                                              "title: Publish planning data every Monday")
                       .replace("status: planned\n    start", "status: in-progress\n    start") + PROGRESS})
    assert site.rebuild() == 0.0, "the source moved, but its pin did not: the session still shows the pin"
    assert update(cli, repo).code == 0  # the pin moves
    assert site.rebuild() > 0
    s = site.state
    assert s is not None and s.modified is not None and council in s.modified
    assert "patterns/report-a-missed-bin.md" in s.modified  # the commitment names it
    html = _page(site, council).read_text(encoding="utf-8")
    assert "Publish planning data every Monday" in html and "Publish planning data weekly" not in html
    assert s.catalog.councils["SHF"].commitments[0].status == "in-progress"
    assert site.rebuild() == 0.0


def test_a_source_kept_with_a_folder_here_stops_the_session_as_validate_does(repo: Path, tmp_path: Path,
                                                                              cli: Cli) -> None:
    from test_sources import COUNCIL, DECLARATION, list_sources, make_source, update

    list_sources(repo, {"council": "SHF", "url": str(make_source(tmp_path / "sheffield"))})
    assert update(cli, repo).code == 0
    site = Incremental(repo, tmp_path / "site")
    assert "SHF" in site.checked_state().catalog.councils
    (repo / "councils" / "sheffield").mkdir()
    (repo / "councils" / "sheffield" / "council.yml").write_text(COUNCIL, encoding="utf-8")
    (repo / "councils" / "sheffield" / "declaration.yml").write_text(DECLARATION, encoding="utf-8")
    with pytest.raises(CommonsError) as refused:
        site.checked_state()
    assert "councils/sheffield:0:0: error[E-DUPLICATE-ID]" in refused.value.details
    assert refused.value.details == cli("--root", str(repo), "validate").out.rstrip("\n")  # the same words
