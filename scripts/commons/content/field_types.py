"""What a field and a content type are: the shapes `schema.py` fills in, once, for every kind of content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    """One field of a content type.

    `kind` is one of: text (one line), paragraph (several sentences), slug,
    date, url, email, handle (a GitHub user), integer, number, boolean, enum,
    pattern (a pattern slug or alias), council (a register code), list, object.
    """

    name: str
    kind: str
    description: str
    example: Any
    required: bool = False
    choices: tuple[Any, ...] = ()
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    min_items: int = 0
    unique: bool = False
    minimum: int | None = None
    maximum: int | None = None

    def child(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Section:
    """A heading the Markdown body of an entry must have (with its sub-headings)."""

    title: str
    description: str
    subsections: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentType:
    """A kind of entry: where its files live and what they hold."""

    name: str  # the word used in `commons new NAME` and in messages
    title: str  # plural, for headings
    folder: str  # top-level folder
    glob: str  # file name pattern inside the folder, for docs
    markdown: bool  # front matter + body (True) or a YAML file (False)
    description: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)
