"""A copy of the real repository with hostile entries, headings and maintainers' pages added, built past the
validator with the real pipeline (MkDocs, Material, Pagefind) and served under the sub-path.

The validator refuses most of that text (it is the first wall), so the build here sets its refusals aside for
exactly those files: the templates and the Content-Security-Policy must hold whatever gets past it. The copy
also turns on Material's footer and path navigation, so that every partial printing a page's title is shown a
hostile one. conftest.py builds it once for the session (`hostile_copy`); tests/test_site_head.py reads its
pages as the HTML parser does, tests/test_site_head_browser.py opens them in Chromium.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from commons.content.validate import validate_repository
from commons.site import state
from commons.site.build import build_site
from commons.site.history import file_dates
from site_support import SUB_PATH, SiteServer, copy_repository, front_matter

SITE_NAME = "Council Commons"

# ---------------------------------------------------------------------------------------------------------
# The hostile content

# Titles: closing <title> or an attribute, markup, entities that turn into markup if something undoes them,
# the raw-text elements' closing tags, and template syntax.
T_SCRIPT = '</title><script>window.pwned="title"</script><img src=x onerror="window.pwned=\'img\'">'
T_ENTITY = "&lt;/title&gt;&lt;script&gt;window.pwned='entity'&lt;/script&gt; &#60;b&#62; &amp;amp; {{ 7 * 7 }}"
T_QUOTE = "' onfocus='window.pwned=\"quote\"' autofocus x=' \" onfocus=\"window.pwned='dquote'\" autofocus x=\""
T_CLOSERS = "</textarea></noscript></style></xmp></a><svg onload=window.pwned='svg'><iframe srcdoc=x>"
# Summaries, printed in <meta name="description" content="…">: a new element, the same with only
# attributes (no tag, so it passes the validator), and the same in entities.
S_META = '"><meta http-equiv="refresh" content="0;url=https://evil.example/"><script>window.pwned="s"</script>'
S_ATTR = '0;url=https://evil.example/" http-equiv="refresh'
S_ENTITY = "&quot; http-equiv=&quot;refresh&quot; content=&quot;0;url=https://evil.example/"
# Headings in bodies become the table of contents: each as written, and as a reader sees it.
HEADINGS = {
    "&lt;img src=x onerror=window.pwned='toc'&gt;": "<img src=x onerror=window.pwned='toc'>",
    "&lt;/title&gt;&lt;script&gt;window.pwned='toc2'&lt;/script&gt;": "</title><script>window.pwned='toc2'</script>",
    "Fish & chips &amp;lt;script&amp;gt; <b>bold</b>": "Fish & chips &lt;script&gt; bold",
    "Use `<script>` & `&amp;` here": "Use <script> & &amp; here",
}
FIRST_HEADING = list(HEADINGS)[1:3]  # the heading page's title


@dataclass(frozen=True)
class Hostile:
    source: str  # an entry to copy
    path: str  # the hostile copy
    title: str
    summary: str  # "" for a session, whose description is "event: title"

    @property
    def url(self) -> str:
        return self.path.removesuffix(".md") + "/"


ENTRIES = (
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-script.md", T_SCRIPT, S_META),
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-entity.md", T_ENTITY, S_ENTITY),
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-quote.md", T_QUOTE, S_ATTR),
    Hostile("case-studies/hackney-missed-bin-reports-without-an-account.md", "case-studies/hostile-case-study.md",
            T_CLOSERS, S_ATTR),
    Hostile("playbooks/adopt-a-pattern-another-council-built.md", "playbooks/hostile-playbook.md", T_ENTITY, S_META),
    Hostile("sessions/ukgovcamp-2026/uprn-or-it-did-not-happen.md", "sessions/ukgovcamp-2026/hostile-session.md",
            T_SCRIPT, ""),
)
# Maintainers' pages: one titled by its first heading (HTML, with entities), one by `title:` with no heading
# (the theme prints that title as the page's <h1>), in a section whose name is hostile too.
HEADING_PAGE = "hostile/heading.md"
TITLED_PAGE = "hostile/titled.md"
TITLED = '</a></span><script>window.pwned="nav"</script><img src=x onerror=window.pwned="nav">'
SECTION = '</span></label><script>window.pwned="section"</script>'
# A maintainer's page whose file name would close the edit link's attribute.
NAMED_PAGE = 'hostile/named" onmouseover="window.pwned=1" x=".md'
COMMITMENT = {"id": "hostile-commitment", "title": T_SCRIPT, "note": S_META}


def _rewrite(root: Path, h: Hostile, number: int) -> None:
    meta = front_matter(root / h.source)
    body = (root / h.source).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    meta["title"] = h.title
    if h.summary:
        meta["summary"] = h.summary
    if h.path.startswith("patterns/"):
        meta["id"], meta["aliases"] = 900 + number, [f"{Path(h.path).stem}-before"]
    if h.path.startswith("sessions/"):
        meta["id"] = 900 + number
    body += "".join(f"\n## {heading}\n\nText under it.\n" for heading in HEADINGS)
    body += "\n| Left | Right |\n|:-----|------:|\n| 1 | 2 |\n"  # aligned by style= attributes: allowed
    (root / h.path).write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                               encoding="utf-8")


def add_hostile_content(root: Path) -> set[str]:
    """Hostile entries, a commitment and maintainers' pages in the repository at `root`; the files changed."""
    for number, h in enumerate(ENTRIES):
        _rewrite(root, h, number)
    declaration = root / "councils" / "hackney" / "declaration.yml"
    data = yaml.safe_load(declaration.read_text(encoding="utf-8"))
    commitment = {**copy.deepcopy(data["commitments"][0]), "id": COMMITMENT["id"], "title": COMMITMENT["title"]}
    commitment["history"] = [{**commitment["history"][-1], "note": COMMITMENT["note"]}]  # (deep: no YAML aliases)
    data["commitments"].append(commitment)
    declaration.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    docs = root / "docs" / "hostile"
    docs.mkdir()
    (docs / "heading.md").write_text(f"# {' '.join(FIRST_HEADING)}\n\nText.\n\n"
                                     + "".join(f"## {heading}\n\nText.\n\n" for heading in HEADINGS), encoding="utf-8")
    (root / "docs" / NAMED_PAGE).write_text("# A page with a strange name\n\nText.\n", encoding="utf-8")
    (docs / "titled.md").write_text("---\n" + yaml.safe_dump({"title": TITLED, "description": S_META}) + "---\n\n"
                                    + "Text with no heading.\n", encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"].append({SECTION: [HEADING_PAGE, TITLED_PAGE]})
    config["theme"]["features"] += ["navigation.footer", "navigation.path"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {h.path for h in ENTRIES} | {"councils/hackney/declaration.yml"}


def build_past_the_validator(root: Path, site_dir: Path, hostile: set[str]) -> Path:
    """Build `root` as `commons build` does, but with the validator's refusals of the `hostile` files set aside."""
    report = validate_repository(root, keep_entries=True)
    refused = {p.path for p in report.problems if p.is_error}
    assert refused <= hostile, f"the copy has problems outside the hostile files: {sorted(refused - hostile)}"
    s = state.state_from_entries(root, report.entries, file_dates(root))
    site_dir.mkdir(parents=True)
    build_site(root, site_dir, s)
    return site_dir



@dataclass(frozen=True)
class HostileCopy:
    """The hostile copy of the repository, its built site, and the site's server."""

    root: Path
    dir: Path
    server: SiteServer


def build_hostile_copy(base: Path) -> HostileCopy:
    """Copy the repository into `base`, add the hostile content, build it past the validator and serve it (the
    caller closes the server)."""
    root = copy_repository(base / "repo")
    site_dir = build_past_the_validator(root, base / "site", add_hostile_content(root))
    return HostileCopy(root, site_dir, SiteServer(site_dir, SUB_PATH))
