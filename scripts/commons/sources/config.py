"""`sources.yml` (which councils keep their records in their own repositories) and `sources.lock` (the commit
each source is pinned to, and what it held), read as hostile-ish YAML with located problems.

`sources.yml` is written by the maintainers of the commons; `sources.lock` only by `commons sources update`.
Both are read through the one YAML reader (`content.yaml_reader`), so a mistake in either is a
`path:line:col: error[CODE] message` with a hint, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from commons.content.problems import Problem, format_text
from commons.content.register import Register
from commons.content.yaml_reader import parse_yaml
from commons.errors import CommonsError

SOURCES_FILE = "sources.yml"
LOCK_FILE = "sources.lock"
MAX_CONFIG_BYTES = 1024 * 1024  # both files: 400 councils need about 60 KB
DEFAULT_REF = "main"

# https://host[:port]/path, with no user name or password in it (a source is public; credentials in a URL would
# be published with the lock).
_HTTPS = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/[A-Za-z0-9._~%/+-]*$")
# A branch or tag name as git allows it, without what could be read as an option or a path outside refs/.
_REF = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/-]{1,200}(?<![./])$")
_FOLDER = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]*)(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_FIELDS = ("council", "url", "ref", "path")
EXAMPLE = ("- council: SHF\n    url: https://github.com/sheffield-council/commons-records\n    ref: main\n"
           "    path: records")


@dataclass(frozen=True)
class Source:
    """One council's own repository, as sources.yml lists it."""

    council: str  # register code
    url: str  # https URL, or (only when local paths are allowed, in tests) a local folder
    ref: str = DEFAULT_REF  # branch or tag
    path: str = ""  # the folder in that repository holding the council's files; "" for its top
    line: int = 0  # where the entry starts in sources.yml

    @property
    def prefix(self) -> str:
        """The source folder as a tree path prefix ("" or "records/")."""
        return f"{self.path}/" if self.path else ""


@dataclass
class Failure:
    """Why the last update of a source was refused, and since when it has been failing."""

    since: str  # ISO time of the first failure in this run of failures
    reason: str  # one plain-English sentence
    commit: str = ""  # the commit that was refused ("" when nothing could be fetched)
    problems: list[str] = field(default_factory=list)  # each `<url>@<sha>:<file>:<line>:<col>: error[CODE] …`


@dataclass
class Locked:
    """One source's pin in sources.lock: the last good commit, what it held, and the last failure if any."""

    council: str
    url: str
    ref: str
    path: str
    commit: str  # "" when no commit has ever been accepted
    committed: str = ""  # the pinned commit's date (ISO)
    checked: str = ""  # when the source was last fetched and checked (ISO)
    files: dict[str, str] = field(default_factory=dict)  # path in the source repository -> git blob id
    failure: Failure | None = None

    def same_source(self, source: Source) -> bool:
        return (self.url, self.ref, self.path) == (source.url, source.ref, source.path)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def is_local(url: str) -> bool:
    return not url.startswith("https://")


def read_sources(root: Path, register: Register, allow_local: bool = False) -> list[Source]:
    """Every source in `root`/sources.yml (none when the file is absent). Raises CommonsError listing every
    problem, each on its line, when the file is wrong."""
    meta, problems = _read(root, SOURCES_FILE)
    sources: list[Source] = []
    if meta is not None:
        sources, more = _sources(meta, register, allow_local)
        problems += more
    if problems:
        raise CommonsError(f"{SOURCES_FILE} has {len(problems)} problem{'s' * (len(problems) != 1)}",
                           f"each entry of 'sources' looks like:\n  {EXAMPLE}", details=format_text(problems))
    return sources


def _read(root: Path, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = root / name
    if path.is_symlink():
        return None, [Problem(name, 0, 0, "E-SYMLINK", f"{name} is a symbolic link", "replace it with the file")]
    if not path.exists():
        return None, []
    data = path.read_bytes()
    if len(data) > MAX_CONFIG_BYTES:
        return None, [Problem(name, 0, 0, "E-TOO-LARGE", f"{name} is over {MAX_CONFIG_BYTES // 1024} KB", "")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, 0, 0, "E-ENCODING", f"{name} is not UTF-8 text", "save it as UTF-8")]
    meta, node, problems = parse_yaml(name, text, 0)
    if meta is None or problems:
        return None, problems
    marks = _Marks(node)
    return {"__marks__": marks, **meta}, []


class _Marks:
    """Where the items of the top-level `sources` list and their fields start, for located problems."""

    def __init__(self, node: Any):
        self.items: list[tuple[int, int, dict[str, tuple[int, int]]]] = []
        for key, value in getattr(node, "value", []):
            if getattr(key, "value", None) == "sources" and isinstance(getattr(value, "value", None), list):
                for item in value.value:
                    fields = {getattr(k, "value", ""): (v.start_mark.line + 1, v.start_mark.column + 1)
                              for k, v in item.value} if isinstance(item.value, list) else {}
                    self.items.append((item.start_mark.line + 1, item.start_mark.column + 1, fields))
            elif getattr(key, "value", None) == "sources":
                self.items.append((value.start_mark.line + 1, value.start_mark.column + 1, {}))

    def at(self, i: int, name: str = "") -> tuple[int, int]:
        if i >= len(self.items):
            return 1, 1
        line, col, fields = self.items[i]
        return fields.get(name, (line, col))


def _sources(meta: dict[str, Any], register: Register, allow_local: bool) -> tuple[list[Source], list[Problem]]:
    marks: _Marks = meta["__marks__"]
    items = meta.get("sources")
    problems: list[Problem] = []

    def problem(i: int, name: str, code: str, message: str, hint: str = "") -> None:
        problems.append(Problem(SOURCES_FILE, *marks.at(i, name), code, message, hint))

    if set(meta) - {"__marks__", "sources"}:
        extra = sorted(set(meta) - {"__marks__", "sources"})
        problems.append(Problem(SOURCES_FILE, 1, 1, "E-UNKNOWN-FIELD", f"unknown field '{extra[0]}'",
                                "the file has one field, sources: a list of councils' repositories"))
    if items is None:
        return [], problems
    if not isinstance(items, list):
        problems.append(Problem(SOURCES_FILE, 1, 1, "E-TYPE", "sources must be a list", "write sources: [] "
                                "or one '- council: CODE' item per source"))
        return [], problems
    out: list[Source] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problem(i, "", "E-TYPE", "each source must be a set of fields (council, url, ref, path)")
            continue
        for name in item:
            if name not in _FIELDS:
                problem(i, name, "E-UNKNOWN-FIELD", f"unknown field '{name}'", "a source has council, url, ref, path")
        council, url = item.get("council"), item.get("url")
        ref, folder = item.get("ref", DEFAULT_REF), item.get("path", "")
        folder = "" if folder in (None, ".", "/") else folder
        ok = True
        authority = register.get(council) if isinstance(council, str) else None
        if authority is None or not authority.current:
            guess = register.guess(str(council)) if council else None
            problem(i, "council", "E-UNKNOWN-REF" if authority is None else "E-ABOLISHED",
                    f"council {council!r} is " + ("not a register code" if authority is None else "abolished"),
                    f"did you mean {guess.code} ({guess.name})?" if guess else "use the council's register code")
            ok = False
        elif council in seen:
            problem(i, "council", "E-DUPLICATE-ID", f"{council} already has a source (item {seen[council] + 1})",
                    "a council keeps its records in one place")
            ok = False
        if not isinstance(url, str) or not (_HTTPS.match(url) or (allow_local and _local_ok(url))):
            problem(i, "url", "E-VALUE" if url else "E-REQUIRED", f"url must be an https address (got {url!r})",
                    "use the repository's https address, such as https://github.com/ORG/REPO")
            ok = False
        if not isinstance(ref, str) or not _REF.match(ref):
            problem(i, "ref", "E-VALUE", f"ref must be a branch or tag name (got {ref!r})", "for example: main")
            ok = False
        if not isinstance(folder, str) or (folder and not _FOLDER.match(folder.strip("/"))):
            problem(i, "path", "E-VALUE", f"path must be a folder inside the repository (got {folder!r})",
                    "for example: records, or leave it out for the top of the repository")
            ok = False
        if ok and isinstance(council, str) and isinstance(url, str):
            seen[council] = i
            out.append(Source(council, url.removeprefix("file://"), ref, folder.strip("/"), marks.at(i)[0]))
    return out, problems


def _local_ok(url: str) -> bool:
    path = url.removeprefix("file://")
    return path.startswith("/") and "\n" not in path and not path.startswith("//")


# --- sources.lock ---------------------------------------------------------------------------------------------

def read_lock(root: Path) -> dict[str, Locked]:
    """The pins in `root`/sources.lock, by council code (none when absent). Raises CommonsError when the file
    is not what `commons sources update` writes."""
    meta, problems = _read(root, LOCK_FILE)
    out: dict[str, Locked] = {}
    if meta is not None:
        marks: _Marks = meta["__marks__"]
        items = meta.get("sources") or []
        for i, item in enumerate(items if isinstance(items, list) else [None]):
            locked = _locked(item)
            if locked is None:
                problems.append(Problem(LOCK_FILE, *marks.at(i), "E-VALUE", "this pin is not as the tooling "
                                        "writes it", "run commons sources update to write sources.lock again"))
            else:
                out[locked.council] = locked
    if problems:
        raise CommonsError(f"{LOCK_FILE} cannot be read", "it is written by commons sources update; run it again "
                           "(or restore the file from main)", details=format_text(problems))
    return out


def _locked(item: Any) -> Locked | None:
    if not isinstance(item, dict):
        return None
    text = {k: item.get(k, "") for k in ("council", "url", "ref", "path", "commit", "committed", "checked")}
    files = item.get("files") or {}
    failure = item.get("failure")
    if not all(isinstance(v, str) for v in text.values()) or not isinstance(files, dict) \
            or not all(isinstance(k, str) and isinstance(v, str) and _SHA.match(v) for k, v in files.items()) \
            or (text["commit"] and not _SHA.match(text["commit"])):
        return None
    fail = None
    if failure is not None:
        if not isinstance(failure, dict):
            return None
        since, reason, commit = (failure.get(k, "") for k in ("since", "reason", "commit"))
        problems = failure.get("problems") or []
        if not all(isinstance(v, str) for v in (since, reason, commit)) or not isinstance(problems, list) \
                or not all(isinstance(p, str) for p in problems):
            return None
        fail = Failure(since, reason, commit, problems)
    return Locked(**text, files=dict(files), failure=fail)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml: 400 pins in 20 ms
    def ignore_aliases(self, data: Any) -> bool:  # the reader refuses anchors, so never write one
        return True


LOCK_HEAD = ("# Written by `commons sources update`: the commit each council's own repository is pinned to, what\n"
             "# it held (path -> git blob id) and, when its last update was refused, why. Do not edit by hand.\n")


def lock_text(locked: dict[str, Locked]) -> str:
    items = []
    for code in sorted(locked):
        p = locked[code]
        item: dict[str, Any] = {"council": p.council, "url": p.url, "ref": p.ref, "path": p.path,
                                "commit": p.commit, "committed": p.committed, "checked": p.checked,
                                "files": dict(sorted(p.files.items()))}
        if p.failure is not None:
            f = p.failure
            item["failure"] = {"since": f.since, "reason": f.reason, "commit": f.commit, "problems": list(f.problems)}
        items.append(item)
    return LOCK_HEAD + yaml.dump({"sources": items}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                 width=120, default_flow_style=False)


def write_lock(root: Path, locked: dict[str, Locked]) -> None:
    """Replace sources.lock at once (written beside it, then renamed: never half-written)."""
    path = root / LOCK_FILE
    tmp = path.with_name(f".{LOCK_FILE}.tmp")
    tmp.write_text(lock_text(locked), encoding="utf-8")
    tmp.replace(path)
