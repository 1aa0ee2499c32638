"""What checking each file on its own found, kept in `.cache/validate/` so a file unchanged since is not read again.

A file's result (its problems and the facts the checks across entries need) is kept under its path and the
digest of its bytes, and the whole cache under a key of everything else a check of one file reads: the
tooling's own code and reference data (every file of `scripts/commons/content/` and `data/` beside it), the
versions of the libraries that parse and render (PyYAML, Python-Markdown, pymdown-extensions, selectolax,
nh3), the register of councils in the repository checked, today's date (a date in the future, a contract
ended), whether bodies are rendered whole and whether their rendered check is on. A body with a relative link
was checked against the files the site will have: its result is kept under their digest too. Any of these
changing, the file is checked again; the checks across entries are never kept, they run every time. A result
that depends on the machine (a render that ran out of time) is not kept.

A cache is data from the clone, and a pull request's clone is checked in CI: a `.cache/` folder it brings must
not decide its own verdict. So the cache is signed (HMAC-SHA256) with a key kept outside every clone, in the
user's own cache folder (`$XDG_CACHE_HOME/council-commons/validate.key`, made on first use, readable by the
user only); a cache that was not signed with it, or that cannot be read, is ignored and written anew. It is
JSON, never pickle, and is read and written only when neither `.cache` nor `.cache/validate` is a link.
`commons validate --no-cache` (or COMMONS_NO_CACHE=1) checks everything afresh and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commons.content.problems import Problem
from commons.content.validate.cross import Facts, Located

CACHE = Path(".cache") / "validate" / "results.json"
FORMAT = 1  # bump when what is kept changes shape
_TOOLING = Path(__file__).resolve().parents[1]  # scripts/commons/content
_LIBRARIES = ("yaml", "markdown", "pymdownx", "selectolax", "nh3")  # each module's __version__
_SCALARS = (str, int, bool, type(None))  # what JSON gives back exactly as it was


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def tooling_key() -> str:
    """A digest of the code and data that decide what a check of one file finds, and the libraries it uses."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT} {sys.version}".encode())
    for folder in (_TOOLING, _TOOLING.parents[1] / "data"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".csv", ".json"):
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={getattr(importlib.import_module(name), '__version__', None)}\0".encode())
        except ImportError:
            h.update(f"{name}=none\0".encode())
    return h.hexdigest()


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "council-commons" / "validate.key"


def _secret() -> bytes | None:
    """The signing key, made on first use; None when it can neither be read nor made."""
    path = key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:  # another process made it meanwhile
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if len(data) >= 32 else None
    except OSError:
        return None
    secret = os.urandom(32)
    with os.fdopen(fd, "wb") as f:
        f.write(secret)
    return secret


def today() -> dt.date:
    return dt.date.today()


def enabled() -> bool:
    return os.environ.get("COMMONS_NO_CACHE") != "1"


@dataclass
class Cache:
    """The results kept for one run's context (`context`: the digest of what every result depends on)."""

    root: Path
    context: str
    secret: bytes | None
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    site_digest: str | None = None  # the digest of the site's files, when a kept result needs it

    @classmethod
    def open(cls, root: Path, register_file: Path, render_all: bool) -> Cache | None:
        """The cache of the clone at `root`, or None when it is turned off or cannot be used safely."""
        if not enabled() or _linked(root):
            return None
        secret = _secret()
        if secret is None:
            return None
        try:
            register = digest(register_file.read_bytes())
        except OSError:
            return None
        from commons.content.validate.rules import RENDERED_CHECK

        context = digest(f"{tooling_key()} {register} {today().isoformat()} {render_all} "
                         f"{RENDERED_CHECK}".encode())
        cache = cls(root, context, secret)
        cache.old = cache._read()
        return cache

    def _read(self) -> dict[str, Any]:
        try:
            raw = (self.root / CACHE).read_bytes()
        except OSError:
            return {}
        signature, _, body = raw.partition(b"\n")
        assert self.secret is not None
        expected = hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(signature, expected):
            return {}  # not ours, or changed since: nothing in it counts
        try:
            data = json.loads(body)
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("context") != self.context or not isinstance(data.get("files"),
                                                                                                dict):
            return {}
        self.site_digest = data.get("site") if isinstance(data.get("site"), str) else None
        return data["files"]

    def get(self, path: str, file_digest: str, site_digest: Any) -> tuple[list[Problem], Facts | None] | None:
        """The kept result of the file at `path` with these bytes; None when there is none that still holds.
        `site_digest` is called (once a run) when the result depended on the site's files."""
        kept = self.old.get(path)
        if not isinstance(kept, list) or len(kept) != 4 or kept[0] != file_digest:
            return None
        if kept[3] and (self.site_digest is None or site_digest() != self.site_digest):
            return None
        try:
            problems = [Problem(*p) for p in kept[1]]
            facts = None if kept[2] is None else _facts(kept[2])
        except (TypeError, ValueError):
            return None
        self.new[path] = kept
        return problems, facts

    def put(self, path: str, file_digest: str, problems: list[Problem], facts: Facts | None,
            used_site: bool) -> None:
        stored = None if facts is None else _stored_facts(facts)
        if facts is not None and stored is None:
            return  # a value JSON would not give back as it is: checked afresh each time
        if any(p.code == "E-TOO-LARGE" and "seconds" in p.message for p in problems):
            return  # rendering ran out of time, which depends on the machine as much as on the text
        self.new[path] = [file_digest, [[p.path, p.line, p.col, p.code, p.message, p.hint] for p in problems],
                          stored, used_site]

    def save(self, site_digest: Any) -> None:
        """Write what this run found (files gone since are dropped); never fails the run."""
        if self.new == self.old or _linked(self.root):
            return
        site = site_digest() if any(v[3] for v in self.new.values()) else None
        body = json.dumps({"context": self.context, "site": site, "files": self.new},
                          separators=(",", ":")).encode()
        assert self.secret is not None
        signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()
        path = self.root / CACHE
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if _linked(self.root):
                return
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(signature + b"\n" + body)
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass


def _linked(root: Path) -> bool:
    return any((root / p).is_symlink() for p in (".cache", ".cache/validate", str(CACHE)))


def _stored_facts(facts: Facts) -> list[Any] | None:
    def located(x: Located | None) -> list[Any] | None:
        return None if x is None else [x.value, x.line, x.col]

    values = [x for x in (facts.pattern_id, facts.session_id, *facts.aliases, *facts.references) if x is not None]
    if not all(type(x.value) in _SCALARS for x in values):
        return None
    return [facts.path, facts.kind, facts.slug, located(facts.pattern_id), [located(a) for a in facts.aliases],
            [located(r) for r in facts.references], located(facts.session_id)]


def _facts(stored: list[Any]) -> Facts:
    def located(x: list[Any] | None) -> Located | None:
        return None if x is None else Located(*x)

    path, kind, slug, pattern_id, aliases, references, session_id = stored
    return Facts(path, kind, slug, located(pattern_id), tuple(Located(*a) for a in aliases),
                 tuple(Located(*r) for r in references), located(session_id))
