"""What the /sources/ page and `api/v1/sources.json` show: every council that keeps its records in its own
repository (sources.yml), the commit the site is pinned to (sources.lock), when it was last checked, and either
"up to date" or what is wrong, each problem located in *their* repository, and since when the site has shown
an older version.

Read from the two files as `commons sources update` wrote them (commons.sources.config), never from the
sources themselves: the page says what the lock says. Everything in a failure (its reason, its problems) may
quote a source's own text, so it is hostile; the template prints it escaped, as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from commons.content.model import Catalog
from commons.content.register import Register, load_register
from commons.errors import CommonsError
from commons.site.views.parts import Link
from commons.sources.config import Locked, Source, is_local, read_lock, read_sources
from commons.sources.records import SourcedCouncil

_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
# One recorded problem: `<where>:<line>:<col>: error[CODE] message (hint: …)`, `<where>` a file of the source
# repository or of this one (sources.yml).
_PROBLEM = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<severity>error|warning)"
                      r"\[(?P<code>[A-Z0-9-]+)\] (?P<message>.*?)(?: \(hint: (?P<hint>.*)\))?$", re.S)
MAX_SHOWN = 50  # problems per source on the page; sources.lock keeps up to its own limit


@dataclass(frozen=True)
class SourceProblem:
    """One problem of a refused commit, as the page prints it."""

    file: str  # the file in the source repository ("sources.yml" when it is this repository's)
    line: int  # 0 when the problem is about the whole file
    in_source: bool  # in their repository (else in this one's sources.yml)
    link: str  # the file and line at the refused commit on GitHub; "" when the repository is not on GitHub
    code: str  # E-YAML
    message: str
    hint: str


@dataclass(frozen=True)
class SourceRow:
    """One council's own repository."""

    code: str  # register code
    council: Link | None  # its page, when it is a current council
    name: str  # the council's name (its code when the register lacks it)
    url: str  # the repository's address, as sources.yml gives it
    link: str  # the same when it can be linked to (https), else ""
    shown: str  # github.com/ORG/REPO
    ref: str
    path: str  # the folder holding the records, "" for the top
    commit: str  # the pinned commit; "" when none has been accepted yet
    commit_link: str  # that commit on GitHub, or ""
    committed: dt.datetime | None  # the pinned commit's date
    checked: dt.datetime | None  # when it was last fetched and checked; None when never
    up_to_date: bool
    status: str  # "up to date", "not checked yet", or the reason in one sentence
    failing_since: dt.datetime | None  # since when the site has shown an older version (or nothing)
    refused_commit: str  # the commit that was refused, "" when nothing could be fetched
    problems: list[SourceProblem]
    more_problems: int  # recorded but not shown
    # When this build could not read the pinned commit's files from .cache/sources/ (only `commons serve` keeps
    # going then, with what it read before): what it shows instead, in one sentence; "" when it shows the pin.
    not_shown: str = ""

    @property
    def committed_text(self) -> str:
        return when_text(self.committed)

    @property
    def checked_text(self) -> str:
        return when_text(self.checked)

    @property
    def since_text(self) -> str:
        return when_text(self.failing_since)

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def refused_short(self) -> str:
        return self.refused_commit[:7]

    @property
    def where_shown(self) -> str:
        """Where the records are in the repository: "the folder records on main"."""
        return (f"the folder {self.path} on {self.ref}" if self.path else f"the branch {self.ref}")


@dataclass(frozen=True)
class SourcesPage:
    rows: list[SourceRow]  # by council name
    failing: int  # how many are not up to date

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def noun(self) -> str:
        return "council keeps its records in its own repository" if len(self.rows) == 1 else \
            "councils keep their records in their own repositories"

    @property
    def up_to_date(self) -> int:
        return len(self.rows) - self.failing


def _when(text: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    return when.astimezone(dt.UTC) if when is not None and when.tzinfo else when


def _github(url: str) -> tuple[str, str] | None:
    m = _GITHUB.match(url)
    return (m[1], m[2]) if m else None


def shown_url(url: str) -> str:
    """A repository's address as the page prints it: github.com/ORG/REPO (a local folder as it is)."""
    return url.removeprefix("https://").removesuffix("/").removesuffix(".git")


def problem(text: str, url: str, commit: str) -> SourceProblem:
    """A recorded problem line, split into where (in their repository, at the refused `commit`) and what."""
    m = _PROBLEM.match(text)
    if m is None:  # "… and 12 more problems", or a line the tooling wrote in another shape: shown as it is
        return SourceProblem("", 0, False, "", "", text, "")
    where, line = m["file"], int(m["line"] or 0)
    prefix = re.match(rf"^{re.escape(url)}@[0-9a-f]{{4,40}}:", where)
    in_source = prefix is not None
    file = where[prefix.end():] if prefix else where
    gh = _github(url)
    link = ""
    if in_source and gh and commit and re.fullmatch(r"[0-9a-f]{40}", commit) and file and file != ".":
        link = f"https://github.com/{gh[0]}/{gh[1]}/blob/{commit}/{file}" + (f"#L{line}" if line else "")
    return SourceProblem(file, line, in_source, link, m["code"], m["message"], m["hint"] or "")


def row(pin: Locked | None, source: Source | None, names: dict[str, str], c: Catalog | None,
        shown: dict[str, str] | None = None) -> SourceRow:
    assert pin is not None or source is not None
    code = pin.council if pin is not None else source.council  # type: ignore[union-attr]
    url = source.url if source is not None else pin.url  # type: ignore[union-attr]
    ref = source.ref if source is not None else pin.ref  # type: ignore[union-attr]
    folder = source.path if source is not None else pin.path  # type: ignore[union-attr]
    council = c.councils.get(code) if c is not None else None
    gh = _github(url)
    commit = pin.commit if pin is not None else ""
    failure = pin.failure if pin is not None else None
    checked = _when(pin.checked) if pin is not None else None
    if failure is not None:
        status = failure.reason
    elif checked is None:
        status = "not checked yet"
    else:
        status = "up to date"
    problems = [problem(p, pin.url if pin is not None else url, failure.commit) for p in failure.problems] \
        if failure is not None else []
    return SourceRow(
        code=code, council=Link(council.name, council.url) if council is not None else None,
        name=council.name if council is not None else names.get(code, code), url=url,
        link="" if is_local(url) else url, shown=shown_url(url), ref=ref, path=folder, commit=commit,
        commit_link=f"https://github.com/{gh[0]}/{gh[1]}/commit/{commit}" if gh and commit else "",
        committed=_when(pin.committed) if pin is not None else None, checked=checked,
        up_to_date=failure is None and checked is not None, status=status,
        failing_since=_when(failure.since) if failure is not None else None,
        refused_commit=failure.commit if failure is not None else "", problems=problems[:MAX_SHOWN],
        more_problems=max(0, len(problems) - MAX_SHOWN), not_shown=_not_shown(commit, code, shown))


def _not_shown(commit: str, code: str, shown: dict[str, str] | None) -> str:
    """What the site shows of a pinned source when it is not the pinned commit (`shown`: council code -> the
    commit the build read, None when not known)."""
    if shown is None or not commit or shown.get(code) == commit:
        return ""
    instead = f"the version {shown[code][:7]}" if shown.get(code) else "nothing from this repository"
    return (f"this copy of the site shows {instead}: .cache/sources/ did not hold the pinned version's files as "
            "sources.lock records them when it was built. Run commons sources fetch, then build again.")


def source_rows(root: Path, c: Catalog | None = None, register: Register | None = None,
                shown: dict[str, str] | None = None) -> list[SourceRow]:
    """Every source sources.yml lists, with its pin, and every pin of a source it no longer lists (until the
    next `commons sources update` removes it), by council name; `shown`: the commit of each source the build
    read (council code -> commit), so a pin it could not read says so."""
    register = register or load_register(root / "data" / "uk-local-authorities.csv")
    try:
        listed = {s.council: s for s in read_sources(root, register, allow_local=True)}
    except CommonsError:
        listed = {}  # the validator reports a wrong sources.yml; the page shows what the lock says
    locked = read_lock(root)
    names = {code: a.name for code, a in register.by_code.items()}
    rows = [row(locked.get(code), listed.get(code), names, c, shown) for code in dict.fromkeys([*listed, *locked])]
    return sorted(rows, key=lambda r: (r.name.lower(), r.code))


def sources_page(root: Path, c: Catalog | None = None, register: Register | None = None,
                 shown: Mapping[str, SourcedCouncil] | None = None) -> SourcesPage:
    """`shown`: the councils the build read from their pins (`SiteState.sources`)."""
    rows = source_rows(root, c, register, {k: v.commit for k, v in shown.items()} if shown is not None else None)
    return SourcesPage(rows, sum(1 for r in rows if not r.up_to_date))


def when_text(when: dt.datetime | None) -> str:
    """2 December 2026 at 06:20 UTC."""
    return f"{when.day} {when:%B %Y} at {when:%H:%M} UTC" if when else ""


def iso(when: dt.datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None
