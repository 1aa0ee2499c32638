"""What a council's own repository may hold, and checking it as the untrusted input it is.

A source's folder holds the files of a council folder (`council.yml`, `declaration.yml`, `contracts.yml`) and may hold
`case-studies/*.md` and `patterns/*.md` (and README.md files, which are not read). Each file is placed where
it would sit in the commons (`councils/<slug>/declaration.yml`, `case-studies/<slug>.md`) and checked there by
the validator's own checks (`content.validate.check_entry` and `cross_check`), plus ownership: its only
owning council is the source's council. Every problem names the file in the source repository:
`<url>@<short sha>:<path>:<line>:<col>`.

Anything else in the folder (another file, a symbolic link, a submodule, a file over the size limit, a Git
LFS pointer, a name that is not UTF-8) is refused, located the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from commons.content.load import Candidate, RawEntry, discover, parse_entry
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.schema import BY_NAME, MAX_FILE_BYTES
from commons.content.validate import Facts, SiteFiles, check_entry, facts_of, other_pattern_facts
from commons.content.validate.cross import cross_check
from commons.content.yaml_reader import CONTROL
from commons.sources.config import Source
from commons.sources.fetch import FetchFailed, TreeItem, read_blobs, tree

SHORT = 7  # characters of a commit shown in a location
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
MAX_FILES = 2000  # in one source's folder
MAX_TOTAL_BYTES = 32 * 1024 * 1024  # of the files read from it
IGNORED = {"README.md", "case-studies/README.md", "patterns/README.md"}
ALLOWED = "council.yml, declaration.yml, contracts.yml, case-studies/<slug>.md and patterns/<slug>.md"
COUNCIL_FILES = {"council.yml": "council", "declaration.yml": "commitment", "contracts.yml": "contract"}
_SKIPPED = {"W-SCHEMA-LINE"}  # a source's files do not sit beside the commons' schemas/ folder


@dataclass(frozen=True)
class SourceFile:
    """One file a source holds: where it is in the source repository and where it sits in the commons."""

    source_path: str  # in the source repository, with the source's folder: "records/declaration.yml"
    commons_path: str  # where the commons reads it: "councils/sheffield/declaration.yml"
    blob: str  # git blob id
    data: bytes


@dataclass
class Snapshot:
    """What one commit of a source holds, and every problem with it (located in the source repository)."""

    source: Source
    commit: str
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: list[RawEntry] = field(default_factory=list)  # parsed, at their commons paths (after `check`)
    facts: list[Facts] = field(default_factory=list)

    def where(self, source_path: str) -> str:
        return where(self.source, self.commit, source_path)

    def display(self, commons_path: str) -> str:
        """A commons path's location in the source repository (unchanged if the source has no such file)."""
        for f in self.files:
            if f.commons_path == commons_path:
                return self.where(f.source_path)
        return commons_path

    @property
    def blobs(self) -> dict[str, str]:
        return {f.source_path: f.blob for f in self.files}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def where(source: Source, commit: str, source_path: str) -> str:
    """`<url>@<short sha>:<path>`; just the path for files of this repository (no commit of a source)."""
    return f"{source.url}@{commit[:SHORT]}:{source_path}" if commit else source_path


def commons_path(name: str, slug: str) -> str | None:
    """Where a file at `name` (relative to the source's folder) sits in the commons; None if it may not be there."""
    if name in COUNCIL_FILES:
        return f"councils/{slug}/{name}"
    parts = name.split("/")
    if len(parts) == 2 and parts[0] in ("case-studies", "patterns") and parts[1].endswith(".md") \
            and not parts[1].startswith("."):
        return name
    return None


def read_snapshot(cache: Path, source: Source, commit: str, register: Register) -> Snapshot:
    """The files of `source` at `commit` (in its cache), refusing every file a source may not hold."""
    snap = Snapshot(source, commit)
    slug = register.by_code[source.council].slug
    items = tree(cache, commit, source.path, MAX_FILES)
    if items is None:
        snap.problems.append(Problem(snap.where(source.path or "."), 0, 0, "E-PATH",
                                     f"the folder '{source.path}' is not in the repository at this commit",
                                     "check `path` in sources.yml, or add the folder to the repository"))
        return snap
    if len(items) > MAX_FILES:
        snap.problems.append(Problem(snap.where(source.path or "."), 0, 0, "E-TOO-LARGE",
                                     f"the folder holds more than {MAX_FILES} files",
                                     f"keep only {ALLOWED} in it"))
        return snap
    wanted: list[tuple[TreeItem, str, str]] = []
    for item in items:
        name = _name(item.path)
        shown = snap.where(source.prefix + (name if name is not None else _shown(item.path)))
        if name is None:
            snap.problems.append(Problem(shown, 0, 0, "E-FILE-NAME", "the file name is not plain UTF-8 text",
                                         "rename it with letters, digits and hyphens"))
        elif item.mode == "120000":
            snap.problems.append(Problem(shown, 0, 0, "E-SYMLINK", "symbolic links are not allowed in a source",
                                         "replace the link with the file itself"))
        elif item.kind == "commit" or item.mode == "160000":
            snap.problems.append(Problem(shown, 0, 0, "E-SUBMODULE", "submodules are not allowed in a source",
                                         "remove the submodule and keep the files themselves in the repository"))
        elif name in IGNORED:
            continue
        elif (place := commons_path(name, slug)) is None:
            snap.problems.append(Problem(shown, 0, 0, "E-PATH", "a source may not hold this file",
                                         f"a source holds only {ALLOWED}; keep other files outside the folder "
                                         "sources.yml names (its `path`)"))
        elif item.size > MAX_FILE_BYTES:
            snap.problems.append(Problem(shown, 0, 0, "E-TOO-LARGE", f"file is {item.size // 1024} KB; the limit "
                                         f"is {MAX_FILE_BYTES // 1024} KB", "split it, or link to a longer document"))
        else:
            wanted.append((item, source.prefix + name, place))
    total = sum(item.size for item, _, _ in wanted)
    if total > MAX_TOTAL_BYTES:  # a small pack can unpack to far more (files that compress well)
        snap.problems.append(Problem(snap.where(source.path or "."), 0, 0, "E-TOO-LARGE",
                                     f"the files add up to {total // 1024} KB; the limit is "
                                     f"{MAX_TOTAL_BYTES // 1024} KB", "keep only the council's own records here"))
        return snap
    blobs = read_blobs(cache, [item.sha for item, _, _ in wanted])
    for item, path, place in wanted:
        data = blobs[item.sha]
        if data.startswith(LFS_POINTER):
            snap.problems.append(Problem(snap.where(path), 1, 1, "E-VALUE", "the file is a Git LFS pointer, not "
                                         "the file itself", "store the file in git itself, not in Git LFS"))
            continue
        snap.files.append(SourceFile(path, place, item.sha, data))
    return snap


def listed_files(cache: Path, source: Source, commit: str) -> dict[str, str] | None:
    """Path in the source repository -> blob id of every file `read_snapshot` would read at `commit`, from one
    `git ls-tree` and nothing read; None when the commit holds anything a source may not (or the cache cannot
    list it). Equal to a pin's `files`, the commit holds exactly what was checked when it was pinned."""
    try:
        items = tree(cache, commit, source.path, MAX_FILES)
    except FetchFailed:
        return None
    if items is None or len(items) > MAX_FILES:
        return None
    out = {}
    for item in items:
        name = _name(item.path)
        if name is None or item.mode not in ("100644", "100755") or item.kind != "blob":
            return None
        if name not in IGNORED:
            out[source.prefix + name] = item.sha
    return out


def _name(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if CONTROL.search(text) else text


def _shown(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace").encode("unicode_escape").decode("ascii")


def candidate(f: SourceFile) -> Candidate:
    """The file as the validator reads it: at its place in the commons, with the type that place gives it."""
    parts = f.commons_path.split("/")
    if parts[0] == "councils":
        return Candidate(f.commons_path, BY_NAME[COUNCIL_FILES[parts[2]]], parts[1], parts[1])
    ctype = BY_NAME["case-study"] if parts[0] == "case-studies" else BY_NAME["pattern"]
    return Candidate(f.commons_path, ctype, parts[1][:-3])


def commons_patterns(root: Path) -> list[Facts]:
    """The number, slug and aliases of every pattern in the repository at `root` (what `check` compares with)."""
    return [other_pattern_facts(root, c) for c in discover(root)[0] if c.ctype.name == "pattern"]


def check(root: Path, snap: Snapshot, register: Register, others: list[Facts] | None = None,
          taken: dict[str, str] | None = None, commons: list[Facts] | None = None) -> Snapshot:
    """Check every file of `snap` on its own and against the commons at `root` (its patterns' numbers, slugs
    and aliases, and `others`: the facts of other sources' locked files); ownership too, and that no file takes
    a place the commons or another source (`taken`: commons path -> that source's council code) already has.
    `commons`: `commons_patterns(root)`, when the caller has it. Adds to its problems, each located in the
    source repository."""
    site_files = SiteFiles(root, register)
    found: list[Problem] = []
    for f in snap.files:
        entry, problems = parse_entry(candidate(f), f.data)
        found += problems
        if entry is None:
            continue
        entry_problems, facts = check_entry(entry, register, site_files, render_all=True)
        found += [p for p in entry_problems if p.code not in _SKIPPED]
        found += _ownership(entry, snap.source.council, register)
        found += _taken(root, f, taken or {})
        snap.entries.append(entry)
        snap.facts.append(facts)
    slug = register.by_code[snap.source.council].slug
    has = {f.commons_path.rsplit("/", 1)[-1] for f in snap.files if f.commons_path.startswith(f"councils/{slug}/")}
    for name in sorted(has - {"council.yml"}) if "council.yml" not in has else []:
        found.append(Problem(f"councils/{slug}/{name}", 0, 0, "E-REQUIRED", f"the source has {name} but no council.yml",
                             "add council.yml with the council's register code and maintainers"))
    patterns = commons if commons is not None else commons_patterns(root)
    found += cross_check(patterns + list(others or []) + snap.facts, {f.commons_path for f in snap.files})
    snap.problems += [_located(p, snap) for p in found]
    snap.problems.sort(key=lambda p: (p.path, p.line, p.col, p.code))
    return snap


def parse(snap: Snapshot) -> Snapshot:
    """Parse `snap`'s files without checking them (a locked commit, checked when it was pinned): its entries
    and their facts, for comparing with a new commit and for checking other sources against it."""
    for f in snap.files:
        entry, _ = parse_entry(candidate(f), f.data)
        if entry is not None:
            snap.entries.append(entry)
            snap.facts.append(facts_of(entry, []))
    return snap


def pattern_facts(snap: Snapshot) -> list[Facts]:
    return [f for f in snap.facts if f.kind == "pattern"]


def _located(p: Problem, snap: Snapshot) -> Problem:
    shown = snap.display(p.path)
    if shown == p.path and p.path.startswith("councils/"):  # about a file the source lacks: name its folder
        shown = snap.where(snap.source.prefix + p.path.rsplit("/", 1)[-1])
    return Problem(shown, p.line, p.col, p.code, p.message, p.hint)


def _ownership(entry: RawEntry, code: str, register: Register) -> list[Problem]:
    """A source speaks only for its own council: every file's owning council is the source's, and no other."""
    meta = entry.meta or {}
    name = register.by_code[code].name
    kind = entry.ctype.name
    field_name, value = {"council": ("code", meta.get("code")), "case-study": ("council", meta.get("council")),
                         "pattern": ("councils", meta.get("councils"))}.get(kind, ("", None))
    if not field_name:
        return []
    claims = value if isinstance(value, list) else [value]
    if claims == [code]:
        return []
    others = [c for c in claims if c != code]
    line, col = entry.mark((field_name,))
    shown = ", ".join(str(c) for c in others) if others else "no council"
    want = f"[{code}]" if kind == "pattern" else code
    return [Problem(entry.path, line, col, "E-VALUE",
                    f"this source is {name}'s ({code}), but this file names {shown} in '{field_name}'",
                    f"a council's repository holds only its own records: make it {field_name}: {want}, or propose "
                    "an entry shared with other councils to the commons itself")]


def _taken(root: Path, f: SourceFile, taken: dict[str, str]) -> list[Problem]:
    """A source's case study or pattern may not take the place of a file already in the commons."""
    if f.commons_path.startswith("councils/"):
        return []
    if f.commons_path in taken:
        return [Problem(f.commons_path, 0, 0, "E-DUPLICATE-ID", f"the source of {taken[f.commons_path]} already "
                        f"has {f.commons_path}", "give this file another name (its name is its address on the site)")]
    if (root / f.commons_path).exists() or (root / f.commons_path).is_symlink():
        return [Problem(f.commons_path, 0, 0, "E-DUPLICATE-ID", f"the commons already has {f.commons_path}",
                        "give this file another name (its name is its address on the site)")]
    return []
