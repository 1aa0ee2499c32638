"""The checks of one entry's fields against its content type in the schema: types, formats, allowed values,
lists and nested objects, each problem located at the value (or key) it is about."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from commons.content import body as body_checks
from commons.content.field_types import Field
from commons.content.load import RawEntry
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.schema import HANDLE_PATTERN, MAX_TEXT, SLUG_MAX
from commons.content.validate.cross import Located
from commons.content.values import DATE, SLUG, parse_date, slugify
from commons.content.yaml_reader import FieldPath, describe, quoted

_HANDLE = re.compile(HANDLE_PATTERN)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$", re.IGNORECASE)
_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
_PERSONAL_EMAIL = re.compile(r"^([a-z]{2,15})[._]([a-z]{2,20})@", re.IGNORECASE)
_ROLE_WORDS = frozenset(
    "team services service digital info enquiries contact support help admin office unit hub data open "
    "council waste housing parking planning customer customers web online lead leads group".split()
)
MAX_PARAGRAPH = 2000


@dataclass
class FieldChecker:
    """Checks one entry's fields against its content type, collecting problems and references."""

    entry: RawEntry
    register: Register
    problems: list[Problem] = field(default_factory=list)
    references: list[Located] = field(default_factory=list)

    def add(self, path: FieldPath, code: str, message: str, hint: str = "", key: bool = False) -> None:
        line, col = self.entry.mark(path, key)
        self.problems.append(Problem(self.entry.path, line, col, code, message, hint))

    def fields(self, fields: tuple[Field, ...], value: dict[str, Any], path: FieldPath, where: str) -> None:
        names = [f.name for f in fields]
        for key in value:
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"{where} has: {', '.join(names)}"
                self.add((*path, key), "E-UNKNOWN-FIELD", f"unknown field '{key}' in {where}", hint, key=True)
        for f in fields:
            if f.name in value and value[f.name] is not None:
                self.value(f, value[f.name], (*path, f.name))
            elif f.required:
                found = "is empty" if f.name in value else "is missing"
                self.add((*path, f.name) if f.name in value else path, "E-REQUIRED",
                         f"required field '{f.name}' {found} in {where}", _example_hint(f),
                         key=f.name in value)

    def value(self, f: Field, value: Any, path: FieldPath) -> None:
        check = getattr(self, "_" + f.kind)
        check(f, value, path)

    def _type(self, f: Field, value: Any, path: FieldPath, expected: str, hint: str = "") -> None:
        self.add(path, "E-TYPE", f"'{f.name}' must be {expected}, found {describe(value)}",
                 hint or _example_hint(f))

    def _string(self, f: Field, value: Any, path: FieldPath, expected: str) -> str | None:
        if isinstance(value, str):
            return value
        hint = "put the value in quotes" if isinstance(value, bool | int | float) else _example_hint(f)
        self._type(f, value, path, expected, hint)
        return None

    def _text(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "text")
        if text is None:
            return
        if not text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' is empty", _example_hint(f))
        elif "\n" in text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' must be one line", "join the lines, or shorten it")
        elif len(text) > MAX_TEXT:
            self.add(path, "E-VALUE", f"'{f.name}' is {len(text)} characters; the limit is {MAX_TEXT}",
                     "shorten it; put detail in the body")
        else:
            self._inline_safety(path, text)

    def _paragraph(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "text")
        if text is None:
            return
        if not text.strip():
            self.add(path, "E-VALUE", f"'{f.name}' is empty", _example_hint(f))
        elif len(text) > MAX_PARAGRAPH:
            self.add(path, "E-VALUE", f"'{f.name}' is {len(text)} characters; the limit is {MAX_PARAGRAPH}",
                     "shorten it")
        else:
            self._inline_safety(path, text)

    def _inline_safety(self, path: FieldPath, text: str) -> None:
        found = body_checks.check_markdown(self.entry.path, text, 1)
        if found:
            line, col = self.entry.mark(path)
            self.problems += [Problem(p.path, line, col, p.code, p.message, p.hint) for p in found]

    def _slug(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a slug")
        if text is not None and not (SLUG.fullmatch(text) and len(text) <= SLUG_MAX):
            self.add(path, "E-VALUE", f"'{f.name}' must be lower-case words joined by hyphens (got '{text}')",
                     f"try '{slugify(text)[:SLUG_MAX] or f.example}'")

    def _date(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a date (YYYY-MM-DD)")
        if text is None:
            return
        if parse_date(text) is None:
            if DATE.fullmatch(text):
                msg = f"'{f.name}' is {text}, which is not a day on the calendar"
                hint = "check the day and month"
            else:
                msg = f"'{f.name}' must be a date written YYYY-MM-DD (got '{text}')"
                hint = f"for example {f.example}"
            self.add(path, "E-DATE", msg, hint)

    def _url(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a web address")
        if text is None:
            return
        if _UNSAFE_SCHEME.match(text):
            self.add(path, "E-UNSAFE-LINK", f"'{f.name}' uses a {text.split(':')[0].strip().lower()}: address",
                     "link to a web page starting https://")
        elif not _URL.fullmatch(text):
            self.add(path, "E-VALUE", f"'{f.name}' must be a web address starting https:// (got '{text}')",
                     f"for example {f.example}")

    def _email(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "an email address")
        if text is None:
            return
        if not _EMAIL.fullmatch(text):
            self.add(path, "E-VALUE", f"'{f.name}' must be an email address (got '{text}')",
                     f"for example {f.example}")
            return
        m = _PERSONAL_EMAIL.match(text)
        if m and not ({m[1].lower(), m[2].lower()} & _ROLE_WORDS):
            self.add(path, "W-PERSONAL-CONTACT", f"'{text}' looks like a named person's address",
                     "use a team or role mailbox, so the contact survives people changing jobs")

    def _handle(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a GitHub user name")
        if text is not None and not _HANDLE.fullmatch(text):
            hint = f"write it without the @: {text[1:]}" if text.startswith("@") else \
                "GitHub names are letters, digits and single hyphens"
            self.add(path, "E-VALUE", f"'{text}' is not a GitHub user name", hint)

    def _integer(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            self._type(f, value, path, "a whole number")
        else:
            self._range(f, value, path)

    def _number(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            self._type(f, value, path, "a number", "write just the number, with the unit in 'unit'")
        elif value != value or value in (float("inf"), float("-inf")):
            self.add(path, "E-VALUE", f"'{f.name}' must be a finite number", "write just the number")

    def _range(self, f: Field, value: int, path: FieldPath) -> None:
        if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
            self.add(path, "E-VALUE", f"'{f.name}' must be between {f.minimum} and {f.maximum} (got {value})",
                     _example_hint(f))

    def _boolean(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, bool):
            self._type(f, value, path, "true or false")

    def _enum(self, f: Field, value: Any, path: FieldPath) -> None:
        choices = [str(c) for c in f.choices]
        if isinstance(value, str) and value in choices:
            return
        if isinstance(value, bool) and {"yes", "no"} <= set(choices):
            return  # YAML reads an unquoted yes or no as true or false: what was typed is what was meant
        text = str(value) if not isinstance(value, dict | list) else ""
        close = [c for c in choices if slugify(text) == c] or difflib.get_close_matches(
            slugify(text) or text, choices, n=1, cutoff=0.4)
        hint = f"did you mean '{close[0]}'?" if close else f"for example '{f.example}'"
        self.add(path, "E-ENUM", f"'{f.name}' must be one of {', '.join(choices)} (got {quoted(value)})", hint)

    def _pattern(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a pattern slug")
        if text is not None:
            self.references.append(Located(text, *self.entry.mark(path)))

    def _council(self, f: Field, value: Any, path: FieldPath) -> None:
        text = self._string(f, value, path, "a council's register code")
        if text is None:
            return
        authority = self.register.get(text)
        if authority is None:
            guess = self.register.guess(text)
            hint = (f"did you mean {guess.code} ({guess.name})?" if guess
                    else "councils are named by their code in data/uk-local-authorities.csv, e.g. HCK for Hackney")
            self.add(path, "E-UNKNOWN-REF", f"'{text}' is not a council code in the register", hint)
        elif not authority.current:
            successors = self.register.successors(text)
            into = " ".join(s.code for s in successors)
            hint = ("use its successor: " + " or ".join(f"{s.code} ({s.name})" for s in successors)
                    + f"; commons reorganise {text} --into {into} moves its folder and every reference to it at once"
                    if successors else "remove it: the register gives no successor")
            self.add(path, "E-ABOLISHED", f"{text} ({authority.name}) was abolished on {authority.end}", hint)

    def _list(self, f: Field, value: Any, path: FieldPath) -> None:
        assert f.item is not None
        if not isinstance(value, list):
            example = f.example if isinstance(f.example, list) and f.example else [value]
            shown = "[" + ", ".join(str(x) for x in example[:2]) + "]" if f.item.kind not in ("object",) else \
                "a list of items, each starting with '- '"
            self._type(f, value, path, "a list", f"write it as {shown}")
            return
        if len(value) < f.min_items:
            self.add(path, "E-VALUE" if value else "E-REQUIRED",
                     f"'{f.name}' needs at least {f.min_items} item{'s' if f.min_items > 1 else ''}",
                     _example_hint(f))
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            if item is None:
                self.add((*path, i), "E-VALUE", f"item {i + 1} of '{f.name}' is empty", "remove the empty '-' line")
                continue
            self.value(f.item, item, (*path, i))
            if f.unique and isinstance(item, str | int):
                if item in seen:
                    self.add((*path, i), "E-VALUE", f"'{item}' is listed twice in '{f.name}'",
                             f"it is already item {seen[item] + 1}; remove one")
                else:
                    seen[item] = i

    def _object(self, f: Field, value: Any, path: FieldPath) -> None:
        if not isinstance(value, dict):
            self._type(f, value, path, "a set of fields", "write the fields indented under it: "
                       + ", ".join(c.name + ":" for c in f.fields if c.required))
            return
        self.fields(f.fields, value, path, f"'{f.name}'")


def _example_hint(f: Field) -> str:
    if f.example is None or f.example == [] or f.kind in ("object",):
        return f"see the field table for '{f.name}' in the contributor guide"
    if isinstance(f.example, list) and f.item is not None and f.item.kind == "object":
        return f"see the field table for '{f.name}' in the contributor guide"
    example = f.example
    if isinstance(example, list):
        example = "[" + ", ".join(str(x) for x in example) + "]"
    return f"for example: {f.name}: {example}"
