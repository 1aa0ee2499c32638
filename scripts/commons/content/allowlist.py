"""What a contributed body may contain once rendered, defined once: the tags, attributes, classes, ids and
address schemes the site keeps. The rendered check (`rendered.py`) refuses anything outside it; the sanitiser
here (`sanitise`, run on every contributed body at build time) removes it. The check refuses exactly what the
sanitiser would remove, so a validated entry looks the same after sanitising and a checker bug is not an
exploit."""

from __future__ import annotations

import re

import nh3

# What a contributed body may contain once rendered: what Python-Markdown makes with those extensions,
# and plain text-level HTML a contributor may write. Nothing that runs, loads, submits or sets styles.
TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp small span strong sub summary "
    "sup table tbody td tfoot th thead time tr u ul var wbr".split())
EVERYWHERE = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "type"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "th": frozenset({"colspan", "rowspan", "style", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Classes the site's Markdown gives: admonitions (with the types Material styles), footnotes, code languages.
ADMONITION_TYPES = frozenset(
    "note abstract summary tldr info todo tip hint important success check done question help faq warning "
    "caution attention failure fail missing danger error bug example quote cite".split())
_CLASS = re.compile(r"admonition|admonition-title|footnote|footnote-ref|footnote-backref|language-[\w#.+-]+")
TABLE_STYLE = re.compile(r"text-align:\s*(left|right|center);?")
# Ids a contributed element may not take: Material's own (`__drawer`, `__search`, `__config`…).
SITE_ID = re.compile(r"__")

# Browsers strip leading and trailing C0 controls and spaces from an address, and remove every tab and
# line break inside it, before they read its scheme.
URL_STRIP = "".join(chr(c) for c in range(0x21))
_URL_DROP = {9: None, 10: None, 13: None}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from an address (lower case), or None for a relative address."""
    cleaned = value.strip(URL_STRIP).translate(_URL_DROP)
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def allowed_class(name: str) -> bool:
    return name in ADMONITION_TYPES or _CLASS.fullmatch(name) is not None



def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if allowed_class(c)]
        return " ".join(kept) if kept else None
    if name == "id":
        return None if SITE_ID.match(value) else value
    if name == "style":
        return value if tag in ("td", "th") and TABLE_STYLE.fullmatch(value.strip()) else None
    if name == "cite":  # an address Ammonia does not check (href and src it does, against URL_SCHEMES)
        scheme = url_scheme(value)
        return value if scheme is None or scheme in URL_SCHEMES else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "textarea", "title",
                        "xmp", "noembed", "noframes", "svg", "math"},
    attributes={"*": set(EVERYWHERE), **{t: set(a) for t, a in ATTRIBUTES.items()}},
    attribute_filter=_keep_attribute,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitise(html: str) -> str:
    """`html` with everything outside the allowlist removed, and every tag balanced (nh3, the Ammonia bindings)."""
    return _CLEANER.clean(html)
