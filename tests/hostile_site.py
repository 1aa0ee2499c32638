"""The site built from the hostile files in tests/hostile/site/ past the validator, served under the sub-path.

The files are laid over a minimal repository and the build is handed a prepared state, as `commons serve` does,
so what reaches the browser has been through the sanitiser and the templates' escaping only (the validator
refuses every one of those files: tests/test_hostile_site_escaping.py checks it does). conftest.py builds it
once for the session (`hostile_site`); the tests of each layer of defence look at it on their own.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from commons.content.load import Candidate, discover, parse_entry, read_entry
from commons.content.schema import BY_NAME
from commons.site import state
from commons.site.build import build_site
from commons.site.history import file_dates
from conftest import make_repository
from site_support import REPO, SUB_PATH, SiteServer

HOSTILE = Path(__file__).parent / "hostile"


@dataclass(frozen=True)
class HostileSite:
    """The repository the site was built from, the built site, and its server."""

    root: Path
    dir: Path
    server: SiteServer

    def html(self, page: str) -> str:
        """The built HTML of `page` (a site-relative folder address, "" for home)."""
        return (self.dir / page / "index.html").read_text(encoding="utf-8")


# Pages that show hostile text (bodies; titles and summaries; commitments and lists of entries), and the page of
# the valid starter pattern, whose frame is the site's own.
BODY_PAGES = ["patterns/hidden-attributes/", "patterns/hidden-schemes/", "patterns/raw-html/"]
HEAD_PAGES = ["patterns/head-fields/", "patterns/head-fields-again/"]
OTHER_PAGES = ["councils/hackney/", "patterns/", "dashboard/", ""]
CLEAN_PAGE = "patterns/report-a-missed-bin/"


def unsanitised_page(site: HostileSite, page: str, markup: str, policy: bool) -> str:
    """A copy of the built `page` with `markup` written, unsanitised, at the start of the contributed body (and
    without its Content-Security-Policy unless `policy`); its path in the site."""
    text = site.html(page)
    opening = '<div class="commons-body" data-pagefind-weight="1">'
    assert opening in text, f"{page} has no contributed body"
    text = text.replace(opening, opening + "\n" + markup + "\n", 1)
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
    assert meta.search(text), f"{page} carries no Content-Security-Policy"
    if not policy:
        text = meta.sub("", text)
    # beside the page, at the same depth, so that its relative addresses still reach the site's files
    digest = hashlib.sha256(markup.encode("utf-8")).hexdigest()[:12]
    name = f"{page.rstrip('/')}-{'policy' if policy else 'bare'}-{digest}/"
    (site.dir / name).mkdir(parents=True, exist_ok=True)
    (site.dir / name / "index.html").write_text(text, encoding="utf-8")
    return name


def build_hostile_site(base: Path) -> HostileSite:
    """Lay tests/hostile/site/ over a minimal repository in `base`, build it with validation bypassed, and serve
    it (the caller closes the server)."""
    root = make_repository(base / "repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*")
    for name in ("docs", "schemas", "scripts"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("case-studies", "playbooks", "sessions"):
        (root / name).mkdir(exist_ok=True)
    shutil.copytree(HOSTILE / "site", root, dirs_exist_ok=True)
    entries = []  # as they were read: the validator refuses them (test_validation_refuses_the_hostile_site)
    for cand in discover(root)[0]:
        entry, _ = read_entry(root, cand)
        assert entry is not None, cand.path
        entries.append(entry)
    site_dir = base / "site"
    build_site(root, site_dir, state.state_from_entries(root, entries, file_dates(root)))
    return HostileSite(root, site_dir, SiteServer(site_dir, SUB_PATH))


def hostile_body(page: str) -> str:
    """The body of the hostile pattern shown at `page`, as the loader reads it (unchecked)."""
    entry, _ = parse_entry(Candidate(f"{page.rstrip('/')}.md", BY_NAME["pattern"], page.split("/")[1]),
                           (HOSTILE / "site" / f"{page.rstrip('/')}.md").read_bytes())
    assert entry is not None
    return entry.body

