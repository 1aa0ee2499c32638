"""The pull request's preview: the built site laid out under its base path opens as a working site with the one
command the comment states (Python's own web server, so nothing from the pull request runs on a reviewer's
laptop), and the comment's page links reach those pages."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commons.site.preview import LOCAL_PORT, LOCAL_STEP, base_path, lay_out, page_url
from conftest import Cli
from site_support import NEEDS_CHROMIUM, SUB_PATH, Site, entry_page_types, first_entry

SITE_URL = "https://council-commons.github.io/council-commons/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The site laid out as the artifact holds it, unzipped into a folder and served by the stated command."""
    folder = tmp_path_factory.mktemp("artifact")
    lay_out(site.dir, SITE_URL, folder)
    port = free_port()
    words = shlex.split(LOCAL_STEP)
    assert words[:3] == ["python3", "-m", "http.server"] and str(LOCAL_PORT) in words
    command = [sys.executable, *words[1:]]
    command[command.index(str(LOCAL_PORT))] = str(port)  # the stated command, on a port free on this machine
    server = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(root, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield folder, root
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_site_is_laid_out_under_the_path_it_is_built_for(site: Site, served: tuple[Path, str]) -> None:
    folder, _ = served
    assert base_path(SITE_URL) == SUB_PATH.strip("/")
    assert [p.name for p in folder.iterdir()] == [SUB_PATH.strip("/")]
    built = sorted(p.relative_to(site.dir).as_posix() for p in site.dir.rglob("*"))
    pages = folder / SUB_PATH.strip("/")
    laid = sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*"))
    assert laid == built


def test_a_base_path_that_climbs_out_is_refused(site: Site, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a plain folder"):
        lay_out(site.dir, "https://example.org/../../etc/", tmp_path / "p")


def test_page_links_are_percent_encoded_addresses_on_the_preview() -> None:
    assert page_url("", SITE_URL, "patterns/report-a-missed-bin/") == \
        f"http://127.0.0.1:{LOCAL_PORT}/council-commons/patterns/report-a-missed-bin/"
    assert page_url("https://abc123--commons.netlify.app/", SITE_URL, "") == \
        "https://abc123--commons.netlify.app/council-commons/"
    assert page_url("", "https://example.org/", "patterns/x) [y](z/") == \
        f"http://127.0.0.1:{LOCAL_PORT}/patterns/x%29%20%5By%5D%28z/"


@NEEDS_CHROMIUM
def test_the_served_artifact_is_a_working_site(served: tuple[Path, str], browser: Any) -> None:
    """Every page type opens at the address the comment links to, its links lead to pages (not folder
    listings), and search answers."""
    _, root = served
    page = browser.new_page()
    try:
        for name, path in entry_page_types().items():
            url = page_url(root, SITE_URL, path)
            response = page.goto(url)
            assert response is not None and response.status == 200, (name, url)
            assert "Directory listing" not in page.content(), (name, url)
            assert page.locator("main h1").count() >= 1, (name, url)
        page.goto(page_url(root, SITE_URL, "patterns/"))
        slug = first_entry("patterns")
        link = page.locator(f"main a[href='{slug}/']").first
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/council-commons/patterns/{slug}/")
        assert "Directory listing" not in page.content() and page.locator("main h1").count() == 1
        page.goto(page_url(root, SITE_URL, "search/") + "?q=missed bin")
        page.wait_for_selector(".commons-search__results > li", timeout=15000)
        missing = page.goto(page_url(root, SITE_URL, "no-such-page/"))
        assert missing is not None and missing.status == 404
    finally:
        page.close()


def test_build_lays_the_site_out_for_previewing(cli: Cli, tmp_path: Path) -> None:
    """`commons build --preview DIR` is what the pull request's build runs (make preview)."""
    from site_support import copy_repository

    root = copy_repository(tmp_path / "repo")
    result = cli("--root", str(root), "build", "--preview", str(tmp_path / "preview"))
    assert result.code == 0, result.err
    assert (tmp_path / "preview" / "council-commons" / "index.html").is_file()
    assert (tmp_path / "preview" / "council-commons" / "patterns" / "index.html").is_file()


@pytest.mark.parametrize("url", ["http://example.org/", "javascript:alert(1)", "https://x/", "https://a.b/c d"])
def test_check_pr_refuses_a_preview_address_that_is_not_a_host(cli: Cli, repo: Path, url: str) -> None:
    result = cli("--root", str(repo), "check-pr", "--base", "HEAD", "--preview-url", url)
    assert result.code == 2 and "--preview-url" in result.err
