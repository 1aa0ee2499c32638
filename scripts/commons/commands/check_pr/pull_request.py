"""What a pull-request check is made of: the changed files and entries, the approvals, and the result.

Plain data, shared by every stage of `commons check-pr`: the git comparison (`compare.py`) fills them in,
the rules (`change_rules.py`) and the approvals (`approvals.py`) read them, and the summary (`summary.py`)
only reads them. Also here are the few readers of an entry's fields that more than one of those stages
needs (a field as a list, a pattern's names, a declaration's commitments by id), so each reads the same way.
This module imports no git and nothing from the other stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from commons.content.schema import CONTENT_TYPES, DECLARATION, PATTERN

if TYPE_CHECKING:
    from commons.content.load import RawEntry
    from commons.content.problems import Problem
    from commons.content.register import Register
    from commons.content.yaml_reader import FieldPath

COMMONS = "Council Commons"  # who approves the tooling: the maintainers of the commons
MAX_LISTED = 10  # tooling files named in an approval; the rest are counted
COUNCIL_TYPES = tuple(t.name for t in CONTENT_TYPES if t.folder == "councils")  # every file a council folder holds


@dataclass(frozen=True)
class FileChange:
    """One changed path, as git records the change from the merge-base to the head."""

    kind: str  # "added", "modified", "deleted" or "renamed"
    old: str | None  # the path at the merge-base; None when added
    new: str | None  # the path at head; None when deleted

    @property
    def path(self) -> str:
        return self.new or self.old or ""


@dataclass
class EntryChange:
    """One changed content file, parsed on both sides (None where it does not exist or cannot be read)."""

    change: FileChange
    before: RawEntry | None
    after: RawEntry | None

    @property
    def entry(self) -> RawEntry | None:
        return self.after or self.before

    @property
    def unreadable(self) -> bool:
        """Whether the change leaves a file that cannot be read (YAML that does not parse, bytes that are not
        text, a link, a file too large...), or a declaration whose commitments cannot be told apart (`unclear`):
        what it changes is not known, so nothing is said to be removed."""
        return self.change.new is not None and (self.after is None or self.after.meta is None
                                                or unclear_commitments(self.after) is not None)


@dataclass(frozen=True)
class PatternName:
    """A pattern that a changed entry names, by its slug or one of its aliases, as the checked tree has it."""

    slug: str  # where its page is; an alias's own address redirects there
    title: str


@dataclass(frozen=True)
class Located:
    """Something a change does, at the line of the file it is on (the head's, or the base's when deleted)."""

    path: str
    line: int  # 1-based; 0 when about the file as a whole
    col: int
    message: str
    hint: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.col}" if self.line else self.path


# Why an approval is needed, as `Approval.kind`: the first two are a council's own approval.
KINDS = (
    "outsider",  # someone who is not one of the council's maintainers changes its files or entries
    "no-maintainers",  # the council has no maintainers yet: a maintainer of the commons checks for it
    "maintainers",  # a council's maintainers change: another of them approves
    "tooling",  # files outside the content folders
    "history",  # Declaration history rewritten: an earlier update edited or removed, a commitment removed
)


@dataclass(frozen=True)
class Approval:
    """One approval a change needs before it can be merged, and from whom."""

    council: str  # whose approval: the council's name, or COMMONS for the maintainers of the commons
    handles: tuple[str, ...]  # who can approve (never the author); empty only when the base names nobody else
    reason: str  # plain text
    files: tuple[str, ...] = ()  # for the tooling: the files outside the content folders that change
    kind: str = "outsider"  # one of KINDS
    about: str = ""  # the council it is about, when the commons approves for it ("no-maintainers")
    found: tuple[Located, ...] = ()  # for "history": each rewrite, on its line

    @property
    def councils_own(self) -> bool:
        """Whether it stands for the approval of a council the author does not maintain."""
        return self.kind in ("outsider", "no-maintainers")

    def who(self) -> str:
        """Who must approve, in plain text: "@a or @b (maintainers of Hackney)"."""
        if not self.handles:
            return f"a maintainer of {self.council}"  # nobody the base commit names can: the commons decides
        return " or ".join(f"@{h}" for h in self.handles) + f" (maintainers of {self.council})"

    def sentence(self) -> str:
        """The approval in plain text, for annotations and the terminal (the summary escapes each part)."""
        found = "; ".join(f"{f.where}: {f.message}" for f in self.found[:MAX_LISTED])
        more = len(self.found) - MAX_LISTED
        found += f" and {more} more" if more > 0 else ""
        return f"needs approval from {self.who()}: {self.reason}" + (": " + listed(self.files) if self.files else "") \
            + (": " + found if found else "")


@dataclass
class PullRequestCheck:
    """Everything `commons check-pr` reports about one pull request."""

    base: str  # the merge-base commit
    head: str  # the head commit
    author: str | None
    entries: list[EntryChange]
    other_files: list[str]  # changed files outside the content folders: the tooling
    problems: list[Problem]
    checked: int  # files validated
    approvals: list[Approval]
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # council name -> maintainers, all touched
    register: Register | None = None  # the base commit's
    site_url: str = ""  # the published site, from the base commit's mkdocs.yml (where the problem codes are)
    patterns: dict[str, PatternName] = field(default_factory=dict)  # the names the changed entries use, found

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)


def listed(files: tuple[str, ...] | list[str]) -> str:
    """The first MAX_LISTED files, then how many more."""
    more = len(files) - MAX_LISTED
    return ", ".join(files[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def as_list(value: Any) -> list[Any]:
    """A field's value if it is a list, else no items (content is checked elsewhere; this only reads it)."""
    return value if isinstance(value, list) else []


def pattern_names(entry: RawEntry | None) -> set[str]:
    """The names other entries can use for a pattern: its slug and its aliases."""
    if entry is None or entry.ctype.name != PATTERN.name:
        return set()
    aliases = (entry.meta or {}).get("aliases")
    return {entry.slug} | {a for a in aliases if isinstance(a, str)} if isinstance(aliases, list) else {entry.slug}


def unclear_commitments(entry: RawEntry) -> FieldPath | None:
    """Where a declaration that reads stops its commitments being told apart, else None: its `commitments` is not
    a list, or a commitment is not a set of fields or has no text `id` (the place the validator reports it).
    Commitments are compared by id, so without one every commitment before would read as removed."""
    if entry.ctype.name != DECLARATION.name or not isinstance(entry.meta, dict):
        return None
    commitments = entry.meta.get("commitments")
    if not isinstance(commitments, list):
        return ("commitments",)
    for i, c in enumerate(commitments):
        if not isinstance(c, dict):
            return ("commitments", i)
        if not isinstance(c.get("id"), str):
            return ("commitments", i, "id") if c.get("id") is not None else ("commitments", i)
    return None


def commitments_by_id(entry: RawEntry | None) -> dict[str, tuple[int, dict[str, Any]]]:
    """A declaration's commitments by id, with their positions."""
    if entry is None or entry.ctype.name != DECLARATION.name or not isinstance(entry.meta, dict):
        return {}
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, c in enumerate(as_list(entry.meta.get("commitments"))):
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out.setdefault(c["id"], (i, c))
    return out
