"""The built site laid out for previewing a pull request, and the addresses of its pages there.

The site is built for the address in mkdocs.yml's `site_url`, say https://council-commons.github.io/council-commons/,
and its 404 page links from that base path. A preview therefore keeps the base path: `lay_out` copies the built
site into `<folder>/council-commons/`, so that the folder served as it is (`python3 -m http.server`, or a static
host) shows every page at the address it links to. `page_url` gives a page's address on a preview: the deployed
one, or this machine's when the artifact is opened on a laptop.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

LOCAL_PORT = 8000
LOCAL = f"http://127.0.0.1:{LOCAL_PORT}/"
# What the pull-request comment tells a reviewer to do with the downloaded artifact: Python's own web server, so
# that nothing from the pull request is run on their computer.
LOCAL_STEP = f"python3 -m http.server {LOCAL_PORT} --bind 127.0.0.1"


def base_path(site_url: str) -> str:
    """The path the site is built for, with no leading or trailing slash ('' at the root of its host)."""
    return urlsplit(site_url).path.strip("/")


def lay_out(site_dir: Path, site_url: str, folder: Path) -> Path:
    """Replace `folder` with a copy of the built site under its base path; the folder the pages are in."""
    parts = PurePosixPath(base_path(site_url)).parts
    if any(part in ("..", ".") for part in parts):
        raise ValueError(f"site_url {site_url!r} has a path that is not a plain folder")
    shutil.rmtree(folder, ignore_errors=True)
    target = folder.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site_dir, target, symlinks=False)
    return target


def page_url(preview: str, site_url: str, page: str) -> str:
    """The address of `page` (a site path such as 'patterns/report-a-missed-bin/') on a preview at `preview`
    (a deployed preview's address, or '' for the artifact served on this machine). The path is percent-encoded:
    it may hold a contributed name, and the address must be safe to put in a Markdown link as it is."""
    root = preview if preview else LOCAL
    base = base_path(site_url)
    return root.rstrip("/") + "/" + quote((base + "/" if base else "") + page.lstrip("/"), safe="/-._~")
