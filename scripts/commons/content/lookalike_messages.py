"""What a message says about an invisible or look-alike character found (`lookalikes`): its name and code point,
where it is, and what to type instead, with the corrected line where one can be given."""

from __future__ import annotations

import re

from commons.content.lookalikes import Found, corrected, is_blank, line_bounds, lookalike, word_around


def explain(text: str, found: Found) -> tuple[str, str]:
    """The message and hint for one character found: what it is, where, and what to type instead."""
    what, role = found.what, found.role
    name = found.named
    start, end = line_bounds(text, found.index)
    line = text[start:end]
    after = line[found.index + found.length - start :]
    if what.kind == "quote":
        partner = lookalike(text[found.partner]) if found.partner > found.index else None
        pair = "" if partner is None else " and another" if partner == what else f" and {partner.name}"
        where = "around the field name" if role == "key" else "around the value" if pair else "as a quote mark"
        example = _quote_example(text, found)
        return (f"{name}{pair} {where}: YAML does not read curly or other look-alike quotes as quote marks",
                f"use straight quotes {what.plain} or none: {example}")
    if role == "delimiter":
        return f"{name} in the front matter's --- line", "type three ordinary hyphens: ---"
    if role == "break":
        return f"{name}, which YAML reads as a line break", "replace it with an ordinary space, or a line break"
    if role == "list":
        return (f"{name} where a list item's '-' is expected",
                f"type an ordinary hyphen '-' followed by a space: - {after.strip(' ' + chr(9) + chr(160))}".rstrip())
    if role == "separator" and what.kind == "colon":
        key = line[: found.index - start].strip()
        return (f"{name} where YAML needs a plain colon ':'",
                f"type an ordinary colon followed by a space: {key}: {after.strip()}")
    if role == "marker":
        return (f"{name} after a list item's '-', where YAML needs an ordinary space",
                f"replace it with an ordinary space: - {after.strip(' ' + chr(160))}")
    if role == "separator":
        key = line[: found.index - start - 1].strip().lstrip("- ")
        return (f"{name} after '{key}:', where YAML needs an ordinary space",
                f"replace it with an ordinary space: {key}: {after.strip()}")
    if what.kind == "tab":
        return f"{name} in the indentation", "indent with spaces, not tabs" + _tab_width(text, found)
    if found.char == "\ufeff":
        name += " in the middle of the file,"
    them = "them with ordinary spaces" if found.length > 1 else "it with an ordinary space"
    if role == "indentation" and what.kind == "space":
        return f"{name} in the indentation", f"replace {them}"
    if role == "indentation":
        return f"{name} before '{word_around(text, found.index, found.length)[1]}'", _delete(text, found)
    if role == "key":
        where = f"in the field name '{visible(line.split(':')[0].strip(' ').lstrip('- '))}'"
    elif role in ("start", "end"):
        where = f"at the {role} of the value"
    else:
        where = "where YAML cannot read it"
    if what.kind == "invisible":
        return f"{name} {where}", _delete(text, found)
    if what.kind == "space":
        return f"{name} {where}", "delete it" if role in ("start", "end") else f"replace {them}"
    return f"{name} {where}", f"type {what.plain!r} instead"


def _tab_width(text: str, found: Found) -> str:
    """How many spaces the line's indentation needs, when the tabs were read as lining it up with the line
    above (the reading that let the rest of the file be read)."""
    start, end = line_bounds(text, found.index)
    if found.plain is None or start == 0:
        return ""
    fixed = corrected(text[start:end], [Found(found.index - start, found.char, found.what, found.role, -1,
                                              found.length, found.plain)])
    spaces = len(fixed) - len(fixed.lstrip(" "))
    above = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
    key = len(above) - len(above.lstrip(" ")) + len(re.match(r"(?:- +)*", above.lstrip(" ")).group())  # type: ignore[union-attr]
    return f": {spaces} spaces line it up with the line above" if spaces == key else ""


def _delete(text: str, found: Found) -> str:
    before, after = word_around(text, found.index, found.length)
    place = f"between '{before}' and '{after}'" if before and after else f"just before '{after}'" if after \
        else f"just after '{before}'" if before else "on this line"
    return f"delete it: it cannot be seen, so delete the text {place} and type it again"


_NEEDS_QUOTES = re.compile(r": | #|^[\[\]{}&*!|>%@?,'\"`-]|^\s|\s$|^$")


def _quote_example(text: str, found: Found) -> str:
    """The line as it should be: straight quotes, or none where the value needs none."""
    start, end = line_bounds(text, found.index)
    line = corrected(text[start:end], [Found(found.index - start, found.char, found.what, found.role,
                                       found.partner - start if found.partner > found.index else -1)]).strip()
    if found.close:
        line = corrected(text[start:end], [Found(found.index - start, found.char, found.what, found.role,
                                                 close=True)]).strip()
    q = re.escape(found.what.plain)
    m = re.fullmatch(rf"(.*?){q}(.*){q}(.*)", line)
    if m and found.role == "key":
        return f"{m[1]}{m[2]}{m[3]}"
    if m and not _NEEDS_QUOTES.search(m[2]) and not m[3].strip() and f"{found.what.plain}" not in m[2]:
        return f"{m[1]}{m[2]}".strip() if not m[1].rstrip().endswith(":") else f"{m[1].rstrip()} {m[2]}"
    return line


def visible(text: str) -> str:
    """`text` with its invisible characters shown as <U+200B> and so on, for quoting it in a message."""
    return "".join(f"<U+{ord(c):04X}>" if c != " " and is_blank(c) else c for c in text)


def in_words(value: str) -> str:
    """The look-alike and invisible characters in a value, named (', which has …'), or '' when there are none."""
    if value.isascii() and "\t" not in value and "`" not in value:
        return ""
    named: list[str] = []
    for ch in dict.fromkeys(value):
        found = lookalike(ch)
        if found is not None and found.kind != "tab":
            named.append(found.name)
    if not named:
        return ""
    quotes = any(lookalike(c) is not None and lookalike(c).kind == "quote" for c in value)  # type: ignore[union-attr]
    what = " and ".join(named) if len(named) <= 2 else ", ".join(named[:2]) + (
        f" and {named[2]}" if len(named) == 3 else f", {named[2]} and {len(named) - 3} more")
    tail = ": YAML keeps them as part of the value, so use straight quotes or none" if quotes else \
        ", which cannot be seen or pass for ordinary characters: retype the value"
    return f", which has {what}{tail}"
