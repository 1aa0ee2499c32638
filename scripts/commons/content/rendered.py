"""What the browser will see of a contributed body: rendered as the site renders it, parsed as HTML5, checked.

The friendly checks in `body` read the Markdown a contributor wrote; this reads what the site's Markdown
makes of it, with a real HTML5 parser (selectolax's lexbor, the parser a browser would use), so that a
trick the source checks miss (an attribute hidden behind a quoted `>`, a `javascript:` address behind
whitespace or an entity) is still seen. The allowlist here is also what the site's sanitiser keeps
(`sanitise`, run on every contributed body at build time): the check refuses exactly what the sanitiser
would remove, so a validated entry looks the same after sanitising and a checker bug is not an exploit.

A finding in the HTML is traced back to the source line that makes it by rendering ever shorter
beginnings of the body. Rendering runs under a time limit, so no body can stall validation.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from selectolax.lexbor import LexborHTMLParser, LexborNode

from commons.content.allowlist import (
    ATTRIBUTES,
    EVERYWHERE,
    SITE_ID,
    TABLE_STYLE,
    TAGS,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    URL_STRIP,
    allowed_class,
    url_scheme,
)
from commons.content.body import site_fences
from commons.content.body_cost import nesting
from commons.content.problems import Problem

# The site's Markdown, as mkdocs.yml configures it (tests/test_rendered.py checks the two agree). Kept
# here, not read from mkdocs.yml, so a pull request's own mkdocs.yml cannot change what is checked.
SITE_EXTENSIONS: tuple[str, ...] = ("toc", "fenced_code", "tables", "footnotes", "def_list", "admonition",
                                    "sane_lists")
SITE_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {"toc": {"permalink": False}}

RENDER_SECONDS = 3.0  # far beyond any real entry (a 256 KB page renders in about 0.2 s)


class RenderTooSlow(Exception):
    """Rendering a body went past RENDER_SECONDS."""


class RenderTooDeep(Exception):
    """A body nests so deeply that the Markdown renderer runs out of stack."""


_converter: markdown.Markdown | None = None


def render(body: str) -> str:
    """The body as the site's Markdown renders it (before MkDocs rewrites links between pages).

    Raises RenderTooSlow after RENDER_SECONDS (where a timer can be set: the main thread of a process)
    and RenderTooDeep when the text nests too deeply for the renderer.
    """
    global _converter
    if _converter is None:
        _converter = markdown.Markdown(extensions=list(SITE_EXTENSIONS), extension_configs=SITE_EXTENSION_CONFIGS)
    md = _converter.reset()
    with _time_limit(RENDER_SECONDS):
        try:
            return md.convert(body)
        except RecursionError:
            _converter = None  # its state is unknown after being cut off mid-page
            raise RenderTooDeep() from None
        except RenderTooSlow:
            _converter = None
            raise


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RenderTooSlow()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------------------------------------
# Checking the rendered HTML

@dataclass(frozen=True)
class Finding:
    """Something in the rendered HTML the site would not keep. `key` identifies it across renders."""

    key: tuple[str, ...]
    code: str
    message: str
    hint: str
    needle: str  # text to look for on the source line, for the column


def findings(html: str, page_uri: str = "", site_files: Callable[[], frozenset[str]] | None = None) -> list[Finding]:
    """Everything in `html` (a rendered body) that the allowlist refuses, in document order.

    With `site_files` (the source paths of every page and file of the site), relative links and images
    are checked too, as the strict site build checks them.
    """
    tree = LexborHTMLParser("<!DOCTYPE html>" + html)  # parsed as in the site's pages, which are in standards mode
    out: list[Finding] = []
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        tag = node.tag or ""
        if tag.startswith("-") or tag.startswith("_"):  # comments and other non-elements
            continue
        attributes = node.attributes
        if tag in ("html", "head", "body"):  # made by the parser; attributes on them are contributed
            for name in attributes:
                out.append(_attribute_finding(tag, name))
            continue
        if tag not in TAGS:
            out.append(Finding(("tag", tag), "E-UNSAFE-HTML", f"<{tag}> is not allowed",
                               "write it in Markdown; to show the tag as text, put it in `backticks`", "<" + tag))
            continue
        for name, value in attributes.items():
            out += _attribute(node, tag, name, value or "", page_uri, site_files)
    return out


def _attribute_finding(tag: str, name: str) -> Finding:
    if name.startswith("on"):
        hint = "remove it; pages cannot run scripts"
    elif name == "style":
        hint = "remove it; every page uses the site's own styles"
    else:
        hint = "remove it; write the content in Markdown"
    return Finding(("attribute", tag, name), "E-UNSAFE-HTML", f"the HTML attribute {name}= is not allowed on <{tag}>",
                   hint, name)


def _attribute(node: LexborNode, tag: str, name: str, value: str, page_uri: str,
               site_files: Callable[[], frozenset[str]] | None) -> list[Finding]:
    if name not in EVERYWHERE and name not in ATTRIBUTES.get(tag, ()):
        return [_attribute_finding(tag, name)]
    if name == "class":
        bad = [c for c in value.split() if not allowed_class(c)]
        if bad:
            return [Finding(("class", bad[0]), "E-UNSAFE-HTML", f"the class '{bad[0]}' is not one the site gives",
                            "remove the class: contributed text cannot take the look of the site's own parts; for "
                            "a box use an admonition such as !!! note", bad[0])]
    elif name == "id" and SITE_ID.match(value):
        return [Finding(("id", value), "E-UNSAFE-HTML", f"the id '{value}' is one the site keeps for itself",
                        "choose another id (or another heading), not starting with __", value)]
    elif name == "style" and not TABLE_STYLE.fullmatch(value.strip()):
        return [_attribute_finding(tag, name)]
    elif name in URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in URL_SCHEMES:
            return [Finding(("link", scheme), "E-UNSAFE-LINK", f"links to {scheme}: addresses are not allowed",
                            "link to a web page starting https://", scheme)]
        if scheme is None and site_files is not None and (tag, name) in (("a", "href"), ("img", "src")):
            missing = missing_target(page_uri, value, site_files)
            if missing:
                what = "image" if tag == "img" else "link"
                return [Finding(("missing", value), "E-LINK", f"the {what} '{value}' points to {missing}, which "
                                "is not a page or file of the site",
                                "link to a web page starting https://, or to another entry by its address, e.g. "
                                "../report-a-missed-bin/ (images cannot be added with an entry)", value)]
    return []


def missing_target(page_uri: str, url: str, site_files: Callable[[], frozenset[str]]) -> str | None:
    """Where a relative link from `page_uri` points, if the strict site build would refuse it; else None.

    MkDocs (validation.links.not_found, failing in strict mode) checks every relative address whose last
    part has a file extension against the site's files; others (`../a-page/`) it leaves alone.
    """
    parts = urlsplit(url.strip(URL_STRIP))
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    path = unquote(parts.path)
    if not posixpath.splitext(path)[-1]:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    return None if target in site_files() else target


def check_body(path: str, body: str, first_line: int, page_uri: str = "",
               site_files: Callable[[], frozenset[str]] | None = None, known: list[Problem] | None = None,
               ) -> list[Problem]:
    """Problems in what the site renders of `body` (file line `first_line` onwards), located in the source.

    `known` are the problems the source checks already found: a finding on a line in the same block
    (lines between blank lines) as one of those with the same code is not repeated.
    """
    try:
        html = render(body)
    except RenderTooDeep:
        return [Problem(path, first_line + _deepest_line(body), 1, "E-TOO-LARGE",
                        "the text nests lists, quotes or definitions too deeply for the site to show",
                        "use fewer levels of lists and quotes, or put the text in a code block")]
    except RenderTooSlow:
        return [Problem(path, first_line, 1, "E-TOO-LARGE",
                        f"the text takes more than {RENDER_SECONDS:g} seconds to turn into a page",
                        "split it with blank lines and remove long runs of repeated symbols")]
    found = findings(html, page_uri, site_files)
    if not found:
        return []
    lines = body.split("\n")
    locate = _Locator(lines, page_uri, site_files)
    seen: Counter[tuple[str, ...]] = Counter()
    problems: list[Problem] = []
    for f in found:
        index = seen[f.key]
        seen[f.key] += 1
        line = locate.line(f.key, index)
        col = _column(lines[line], f.needle)
        if known and _already_reported(known, f.code, lines, line, first_line):
            continue
        problems.append(Problem(path, first_line + line, col, f.code, f.message, f.hint))
    return sorted(set(problems))


def check_risky_parts(path: str, body: str, first_line: int, page_uri: str = "",
                      site_files: Callable[[], frozenset[str]] | None = None, known: list[Problem] | None = None,
                      ) -> list[Problem]:
    """What check_body finds, rendering only the parts of the body that could render unsafely.

    A full run checks thousands of bodies, and rendering a whole body costs a hundred times what reading
    it does; a risky body usually has one risky paragraph. See `risky_parts` for what a part is.
    """
    if not could_render_unsafely(body):
        return []
    parts = risky_parts(body)
    if parts is None:
        return check_body(path, body, first_line, page_uri, site_files, known)
    lines = body.split("\n")
    problems: list[Problem] = []
    for start, end in parts:
        problems += check_body(path, "\n".join(lines[start:end]), first_line + start, page_uri, site_files, known)
    return sorted(set(problems))


_HTML_BLOCK_START = re.compile(r"^ {0,3}<[A-Za-z/!?]", re.MULTILINE)


def risky_parts(body: str) -> list[tuple[int, int]] | None:
    """(first line, line after the last) of each part of `body` to render, or None to render it whole.

    A part is a block (lines between blank lines, never splitting a fenced code block) that
    could_render_unsafely, together with the blocks before it back to one that starts at the margin:
    an indented block may continue a list, a quote or an admonition, and renders differently alone. A
    risky reference or footnote definition applies wherever it is used, and a raw HTML block runs on
    past blank lines and changes how what follows it renders: such bodies are rendered whole.
    """
    if _HTML_BLOCK_START.search(body):
        return None
    lines = body.split("\n")
    in_fence = [False] * len(lines)
    for first, last in site_fences(lines):
        for i in range(first, last + 1):
            in_fence[i] = True
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if line.strip() or in_fence[i]:
            if start is None:
                start = i
        elif start is not None:
            blocks.append((start, i))
            start = None
    if start is not None:
        blocks.append((start, len(lines)))
    parts: list[tuple[int, int]] = []
    for k, (first, end) in enumerate(blocks):
        text = "\n".join(lines[first:end])
        if not could_render_unsafely(text):
            continue
        if "]:" in text or "[^" in text:
            return None
        j = k
        while j > 0 and lines[blocks[j][0]][:1] in (" ", "\t"):
            j -= 1
        part = (blocks[j][0], end)
        if parts and part[0] < parts[-1][1]:
            part = (parts[-1][0], end)
            parts.pop()
        parts.append(part)
    return parts


class _Locator:
    """Finds the source line that makes the n-th finding with a key, by rendering beginnings of the body."""

    MAX_RENDERS = 120
    BUDGET_SECONDS = 2.0

    def __init__(self, lines: list[str], page_uri: str, site_files: Callable[[], frozenset[str]] | None):
        self.lines = lines
        self.page_uri = page_uri
        self.site_files = site_files
        self.counts: dict[int, Counter[tuple[str, ...]]] = {}
        self.deadline = time.monotonic() + self.BUDGET_SECONDS

    def _count(self, k: int) -> Counter[tuple[str, ...]] | None:
        if k not in self.counts:
            if len(self.counts) >= self.MAX_RENDERS or time.monotonic() > self.deadline:
                return None
            try:
                html = render("\n".join(self.lines[:k]))
            except (RenderTooDeep, RenderTooSlow):
                return None
            self.counts[k] = Counter(f.key for f in findings(html, self.page_uri, self.site_files))
        return self.counts[k]

    def line(self, key: tuple[str, ...], index: int) -> int:
        """0-based line index; the first line with the finding's needle if the search gives up."""
        low, high = 1, len(self.lines)  # the answer is the smallest k whose beginning holds index+1 of them
        while low < high:
            mid = (low + high) // 2
            counted = self._count(mid)
            if counted is None:
                return 0
            if counted[key] > index:
                high = mid
            else:
                low = mid + 1
        return low - 1


def _column(line: str, needle: str) -> int:
    at = line.lower().find(needle.lower()) if needle else -1
    return at + 1 if at >= 0 else 1


def _already_reported(known: list[Problem], code: str, lines: list[str], line: int, first_line: int) -> bool:
    start = line
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = line
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    return any(p.code == code and first_line + start <= p.line <= first_line + end for p in known)


def _deepest_line(body: str) -> int:
    """0-based index of the line nested deepest (the first of them), or 0."""
    deepest = max(nesting(body), key=lambda found: found[1], default=(0, 0))
    return body.count("\n", 0, deepest[0])


# --------------------------------------------------------------------------------------------------------
# Which bodies need rendering in a full run

_TAG_OR_ENTITY = re.compile(r"<[A-Za-z/!?]")  # HTML5 reads `< b` and `<3` as text
_ENTITY = re.compile(r"&[#A-Za-z]")
# A link's target is risky unless it is a web or mail address, an anchor, or a page's folder address such as
# ../report-a-missed-bin/ (no scheme can hide in it, and the build checks only addresses that end in a file name).
_RISKY_TARGET = re.compile(r"\]\(\s*+<?+(?!https?://|mailto:|#|(?:\.\.?/)*[\w-]+(?:/[\w-]+)*/(?:#[\w-]*)?\))")
_RISKY_DEFINITION = re.compile(r"\]:[ \t]*+<?+(?!https?://|mailto:|#)")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?)", re.MULTILINE)  # admonitions take a class from their text
# Searched in lower case; one pattern per word, as a pattern that starts with a word is found much faster.
_RISKY_SCHEMES = tuple(re.compile(word + r"[\x00-\x20]*:") for word in ("javascript", "vbscript", "data"))


def could_render_unsafely(body: str) -> bool:
    """Whether the rendered body could hold anything `findings` refuses; False only when it certainly cannot.

    Python-Markdown with the site's extensions writes attributes only from raw HTML (which needs `<`),
    link and image addresses, admonitions' classes, and its own fixed classes and ids. An address can
    carry a scheme only if the text spells one out (entities need `&`; browsers drop tabs and line
    breaks inside addresses, so those are dropped here too), and a relative address is checked only
    where one is written.
    """
    # Plain substring tests first: most bodies have none of these, and a regex per body is a tenth of a run.
    if ("<" in body and _TAG_OR_ENTITY.search(body)) or ("&" in body and _ENTITY.search(body)):
        return True
    if "](" in body and _RISKY_TARGET.search(body):
        return True
    if "]:" in body and _RISKY_DEFINITION.search(body):
        return True
    if ("!!!" in body or "???" in body) and _ADMONITION.search(body):
        return True
    text = body.lower().replace("\n", "")
    if "\t" in text or "\r" in text:
        text = text.replace("\t", "").replace("\r", "")
    return any(pattern.search(text) for pattern in _RISKY_SCHEMES)
