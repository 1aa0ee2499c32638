"""Who replaced whom: OLD and --into resolved from the register, and the story of the replacement in words.

Everything here reads the register only. A request the register cannot satisfy (a council it does not know,
one still current, a successor that did not replace OLD) is a `UsageError`: the command was given wrongly.
"""

from __future__ import annotations

import difflib

from commons.content.register import Authority, Register
from commons.content.values import slugify
from commons.errors import UsageError

HELP_FOR = "reorganise"  # the subcommand whose --help a usage error points at


def label(a: Authority) -> str:
    """A council as the output names it: 'Taunton Deane (TAU)'."""
    return f"{a.short_name} ({a.code})"


def replacement_story(register: Register, old: Authority, with_codes: bool = True, subject: str = "") -> str:
    """How `old` came to be replaced: 'A (X) was replaced by B (Y) on D, and B (Y) by C (Z) on E'.

    Without `with_codes`, councils are named without their codes; with `subject`, the first council is called
    that instead ('it was replaced by ...').
    """
    name = label if with_codes else (lambda a: a.short_name)
    clauses: list[str] = []
    todo, seen = [old], set()
    while todo:
        a = todo.pop(0)
        if a.current or a.code in seen:
            continue
        seen.add(a.code)
        nexts = [n for n in (register.get(c) for c in a.replaced_by) if n is not None]
        if not nexts:
            continue
        when = nexts[0].start or a.end
        names = " and ".join(name(n) for n in nexts)
        clauses.append(f"{subject or name(a)} was replaced by {names} on {when}" if not clauses
                       else f"{name(a)} by {names} on {when}")
        todo += nexts
    return ", and ".join(clauses)


def resolve_councils(register: Register, old_text: str, into: list[str] | None) -> tuple[Authority, list[Authority]]:
    """The abolished council and the successors to move it into (the register's, when `into` is empty).

    Raises UsageError saying what is wrong, with a hint naming the council or option most likely meant.
    """
    old = _resolve(register, old_text)
    if old is None:
        raise _unknown(register, old_text, "")
    if old.current:
        same_slug = [a for a in register if not a.current and a.slug == old.slug]
        hint = (f"the abolished {same_slug[0].name} is {same_slug[0].code}: commons reorganise {same_slug[0].code}"
                if same_slug else "only a council the register records as abolished (with an end-date and "
                "replaced-by) can be reorganised")
        raise UsageError(f"{label(old)} is a current council", hint, help_for=HELP_FOR)
    successors = register.successors(old.code)
    if not successors:
        raise UsageError(f"{label(old)} was abolished on {old.end} but the register names no council "
                         "that replaced it", "there is nothing to move it into; remove its folder and "
                         "references by hand, or correct replaced-by in the register", help_for=HELP_FOR)
    story = replacement_story(register, old)
    suggestion = "did you mean --into " + " ".join(s.code for s in successors) + "?"
    if not into:
        return old, successors
    chosen: list[Authority] = []
    for text in into:
        new = _resolve(register, text)
        if new is None:
            raise _unknown(register, text, "--into ")
        if new.code not in {s.code for s in successors}:
            if not new.current and new.code in _chain(register, old):
                raise UsageError(f"{story}: {label(new)} is itself abolished", suggestion, help_for=HELP_FOR)
            raise UsageError(f"{label(new)} did not replace {label(old)}: {story}", suggestion, help_for=HELP_FOR)
        if new not in chosen:
            chosen.append(new)
    return old, chosen


def _resolve(register: Register, text: str) -> Authority | None:
    return register.get(text) or register.get(text.upper()) or register.by_slug.get(slugify(text))


def _unknown(register: Register, text: str, what: str) -> UsageError:
    """`text` names no council; `what` is the option it was given to ('' for OLD, '--into ')."""
    guess = _guess_abolished(register, text) if not what else register.guess(text)
    hint = (f"did you mean {guess.code} ({guess.name})?" if guess
            else "use a code or slug from data/uk-local-authorities.csv, e.g. TAU or taunton-deane")
    return UsageError(f"{what}'{text}' is not a council in the register", hint, help_for=HELP_FOR)


def _guess_abolished(register: Register, text: str) -> Authority | None:
    """The abolished council a mistyped OLD most likely meant (by code, slug or name), else any council."""
    gone = [a for a in register if not a.current]
    names = {key: a for a in gone for key in (a.code, a.slug, slugify(a.short_name))}
    close = difflib.get_close_matches(text.upper(), [a.code for a in gone], n=1, cutoff=0.6) or \
        difflib.get_close_matches(slugify(text), [k for k in names if k.islower()], n=1, cutoff=0.6)
    return names[close[0]] if close else register.guess(text)


def _chain(register: Register, old: Authority) -> set[str]:
    """Every council between `old` and its current successors."""
    out: set[str] = set()
    todo = list(old.replaced_by)
    while todo:
        code = todo.pop()
        a = register.get(code)
        if a is not None and code not in out:
            out.add(code)
            todo += a.replaced_by
    return out
