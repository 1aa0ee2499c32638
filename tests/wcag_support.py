"""How tests/test_accessibility.py measures WCAG 2.2 AA in Chromium: opening a page settled, colours as sRGB bytes
and WCAG's contrast formula, focus indicators, sideways scroll, the Tab walk, the skip link, titles, target sizes,
chart statuses, text spacing and axe-core. Plain functions of a Playwright page; the tests are in that module.
"""

from __future__ import annotations

import re
from typing import Any, cast

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from site_support import SiteServer

WIDE, PHONE, NARROW = 1280, 390, 320
HEIGHT = {WIDE: 900, PHONE: 844, NARROW: 640}
# Tab presses per page at most: the walk ends when focus leaves the page (or comes back to where it started),
# which every page of the starter site does before this (the councils index, with a link to each council, has
# about 420); the cap only bounds a page that never ends.
TAB_STOPS = 600
SITE_NAME = "Council Commons"
FINISHED = r"^(\d+ results?|No results)"



def open_page(page: Page, server: SiteServer, path: str, width: int, name: str = "") -> Page:
    """`path` of `server` at `width` px, settled; the search page with its results shown and filters open."""
    page.set_viewport_size({"width": width, "height": HEIGHT[width]})
    response = page.goto(server.url(path))
    assert response is not None
    expected = 404 if name == "404" else 200
    assert response.status == expected, f"{path} -> {response.status}"
    page.wait_for_load_state("load")
    if path.startswith("search/"):
        page.wait_for_function("re => new RegExp(re).test(document.querySelector('#commons-search-status')"
                               ".textContent)", arg=FINISHED)
        page.get_by_role("button", name="Filter results").click()
        page.locator(".commons-search__filters select").first.wait_for(state="visible")
    page.evaluate("document.fonts.ready")
    return page



# ---------------------------------------------------------------------------------------------------------
# Colour: sRGB bytes from the browser, contrast ratios by WCAG's formula

Rgba = tuple[float, float, float, float]

# Defined in the page once per visit: colour → [r, g, b, a] through a canvas, the background an element sits on,
# and every part of an element's style that can show focus.
PAGE_HELPERS = r"""() => {
  if (window.__a11y) return;
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = c => {
    if (!c || c === 'transparent') return [0, 0, 0, 0];
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => {  // top composited over an opaque colour
    const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const background = el => {  // the opaque colour behind `el`'s box: its own and its ancestors' backgrounds
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) out = over(layers[i], out);
    return out;
  };
  const splitList = s => { const out = []; let depth = 0, cur = '';
    for (const ch of s) { if (ch === '(') depth++; if (ch === ')') depth--;
      if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += ch; }
    if (cur.trim()) out.push(cur.trim()); return out; };
  const shadows = s => (s && s !== 'none') ? splitList(s).map(one => {
    const colour = (one.match(/(rgba?\([^)]*\)|color\([^)]*\)|#[0-9a-f]+|[a-z]+\([^)]*\))/i) || ['transparent'])[0];
    const rest = one.replace(colour, ' ');
    const lengths = (rest.match(/-?[\d.]+px/g) || []).map(parseFloat);
    return {colour: rgba(colour), inset: /\binset\b/.test(rest), extent: lengths.some(n => n !== 0)};
  }) : [];
  const look = el => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    const shown = r.width > 1 && r.height > 1 && r.right > 0 && r.left < document.documentElement.scrollWidth
      && r.bottom + scrollY > 0 && s.clip === 'auto' && s.clipPath === 'none' && s.visibility === 'visible'
      && parseFloat(s.opacity) > 0;
    return {shown, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? rgba(s.outlineColor) : null,
            outlineWidth: parseFloat(s.outlineWidth) || 0, shadows: shadows(s.boxShadow),
            background: background(el), own: rgba(s.backgroundColor), color: rgba(s.color),
            around: background(el.parentElement || el),
            border: ['Top', 'Right', 'Bottom', 'Left'].map(side => s['border' + side + 'Style'] !== 'none' &&
              parseFloat(s['border' + side + 'Width']) > 0 ? rgba(s['border' + side + 'Color']) : null),
            textDecoration: s.textDecorationLine + ' ' + s.textDecorationThickness};
  };
  const describe = el => {
    const id = el.id ? '#' + el.id : '';
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    const text = (el.innerText || el.getAttribute('aria-label') || el.value || '').trim().replace(/\s+/g, ' ');
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text.slice(0, 40)}"`;
  };
  window.__a11y = {rgba, background, look, describe};
}"""


def luminance(c: Rgba) -> float:
    def channel(v: float) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in c[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def composite(top: Rgba, under: Rgba) -> Rgba:
    a = top[3]
    return (top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1.0)


def contrast(a: Rgba, b: Rgba) -> float:
    """WCAG 2 contrast ratio of two colours; `a` may be translucent and is laid over the opaque `b`."""
    la, lb = luminance(composite(a, b)), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)



def focus_indicator(focused: dict[str, Any], unfocused: dict[str, Any] | None) -> tuple[float, str]:
    """The best contrast any part of the focus style shows against the colour next to it, and which part.

    Only what changes on focus counts (a border the element always has is not a focus indicator). An outline
    and an outer shadow are drawn on the background around the element; an inset shadow on the element's own
    background; a changed background against the background around the element."""
    def t(c: Any) -> Rgba:
        return cast(Rgba, tuple(c))

    best, how = 1.0, "nothing changes on focus"
    around, own = t(focused["around"]), t(focused["background"])
    if unfocused is not None and not unfocused["shown"]:
        # Shown only when focused (a skip link): appearing is the change, and what appears is its text.
        return contrast(t(focused["color"]), own), f"appears on focus: text {focused['color']} on {own}"
    if focused["outline"] is not None and (unfocused is None or unfocused["outline"] != focused["outline"]
                                           or unfocused["outlineWidth"] != focused["outlineWidth"]):
        ratio = contrast(t(focused["outline"]), around)
        if ratio > best:
            best, how = ratio, f"outline {focused['outline']} on {focused['around']}"
    before = [] if unfocused is None else unfocused["shadows"]
    for shadow in focused["shadows"]:
        if not shadow["extent"] or shadow in before:
            continue
        ratio = contrast(t(shadow["colour"]), own if shadow["inset"] else around)
        if ratio > best:
            best, how = ratio, f"box-shadow {shadow['colour']} on {own if shadow['inset'] else around}"
    if unfocused is None or unfocused["background"] != focused["background"]:
        ratio = max(contrast(own, around), contrast(own, t(unfocused["background"])) if unfocused else 1.0)
        if ratio > best:
            best, how = ratio, f"background {focused['background']} on {focused['around']}"
    for side, border in enumerate(focused["border"]):
        if border is not None and (unfocused is None or unfocused["border"][side] != border):
            ratio = contrast(t(border), around)
            if ratio > best:
                best, how = ratio, f"border {border} on {focused['around']}"
    return best, how



# ---------------------------------------------------------------------------------------------------------
# 1.4.10 Reflow: no sideways scroll at 320 and 390 px

def sideways_overflow(page: Page) -> str:
    """'' when the page fits its viewport; otherwise how wide it is and the widest elements that stick out."""
    found = page.evaluate("""() => {
      const vw = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth;
      if (sw <= window.innerWidth) return '';
      const out = [...document.querySelectorAll('body *')].map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.right > vw + 0.5 && r.width > 0)
        .sort((a, b) => b[1].right - a[1].right).slice(0, 4)
        .map(([e, r]) => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}"> ends at `
                         + `${Math.round(r.right)} px`);
      return `scrollWidth ${sw} px > viewport ${window.innerWidth} px; ` + out.join('; ');
    }""")
    return cast(str, found)



# ---------------------------------------------------------------------------------------------------------
# Every Tab stop visible, with a focus indicator of at least 3:1

def start_from_the_top(page: Page) -> None:
    """Scroll to the top and put the keyboard's starting point at the start of the document, so the next Tab
    goes to the first Tab stop (blurring alone leaves the starting point where the last click was)."""
    page.evaluate("""() => { window.scrollTo(0, 0); const b = document.body, had = b.getAttribute('tabindex');
      b.setAttribute('tabindex', '-1'); b.focus({preventScroll: true}); b.blur();
      if (had === null) b.removeAttribute('tabindex'); else b.setAttribute('tabindex', had); }""")


def walk_tab_stops(page: Page, stops: int = TAB_STOPS) -> tuple[list[dict[str, Any]], bool]:
    """Press Tab up to `stops` times from the top of the page; for each stop, what was focused, where it was,
    whether it could be seen, and its style focused and (read after the next Tab) unfocused. Also whether the
    walk got to the end: focus left the page, or came back to the first stop."""
    page.evaluate(PAGE_HELPERS)
    page.evaluate("() => { window.__a11yPrev = null; window.__a11yFirst = null; }")
    start_from_the_top(page)
    page.mouse.move(0, 0)
    seen: list[dict[str, Any]] = []
    for i in range(stops):
        page.keyboard.press("Tab")
        # Read two frames later: scrolling into view and the theme's scroll handlers (the sidebar's height) have run.
        stop = page.evaluate("""async i => {
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const el = document.activeElement;
          const prev = window.__a11yPrev; window.__a11yPrev = el;
          const unfocusedPrev = prev && prev !== el ? __a11y.look(prev) : null;
          if (!el || el === document.body || el === document.documentElement) return {end: true, unfocusedPrev};
          if (i === 0) window.__a11yFirst = el; else if (el === window.__a11yFirst) return {end: true, unfocusedPrev};
          const r = el.getBoundingClientRect(), vw = window.innerWidth, vh = window.innerHeight;
          const s = getComputedStyle(el);
          const onScreen = r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
          // Points spread over the part of the element inside the viewport (a tall table region is mostly outside).
          const [l, t] = [Math.max(r.left, 0), Math.max(r.top, 0)];
          const [w, h] = [Math.min(r.right, vw) - l, Math.min(r.bottom, vh) - t];
          // A link wrapped over several lines is mostly gaps: the middle of each of its lines is a point too.
          const lines = [...el.getClientRects()].filter(q => q.width > 1 && q.height > 1)
            .map(q => [(Math.max(q.left, 0) + Math.min(q.right, vw)) / 2,
                       (Math.max(q.top, 0) + Math.min(q.bottom, vh)) / 2])
            .filter(([x, y]) => x > 0 && y > 0 && x < vw && y < vh);
          const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]]
            .map(([fx, fy]) => [l + w * fx, t + h * fy]).filter(() => w > 0 && h > 0).concat(lines);
          const hits = points.map(([x, y]) => document.elementFromPoint(x, y));
          const unobscured = hits.some(hit => hit && (hit === el || el.contains(hit)
                                                      || hit.contains(el) && hit.tagName === 'LABEL'));
          const cover = hits[0] ? __a11y.describe(hits[0]) : 'nothing';
          return {end: false, what: __a11y.describe(el), box: [r.left, r.top, r.width, r.height].map(Math.round),
                  onScreen, unobscured, cover, hidden: s.visibility !== 'visible' || parseFloat(s.opacity) === 0,
                  focused: __a11y.look(el), unfocusedPrev};
        }""", i)
        if seen and stop["unfocusedPrev"] is not None:
            seen[-1]["unfocused"] = stop["unfocusedPrev"]
        if stop["end"]:
            return seen, True
        seen.append(stop)
    return seen, False


def tab_stop_problems(stops: list[dict[str, Any]]) -> list[str]:
    problems = []
    for n, stop in enumerate(stops, 1):
        where = f"stop {n} {stop['what']} at {stop['box']}"
        if not stop["onScreen"] or stop["hidden"]:
            problems.append(f"{where}: focused but not on screen")
            continue
        if not stop["unobscured"]:
            problems.append(f"{where}: focused but covered by {stop['cover']}")
        ratio, how = focus_indicator(stop["focused"], stop.get("unfocused"))
        if ratio < 3:
            problems.append(f"{where}: focus indicator {ratio:.2f}:1 ({how})")
    return problems



# ---------------------------------------------------------------------------------------------------------
# 2.4.1 Bypass blocks: a skip link, first, that lands below the sticky header

FIRST_STOP = """() => { const a = document.activeElement; const href = a.getAttribute('href') || '';
  const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  const main = document.querySelector('main, [role=main]');
  return {tag: a.tagName, href, text: a.textContent.trim(), target: !!target,
          inMain: !!(target && main && (main.contains(target) || target.contains(main)))}; }"""
LANDED = """() => {
  const a = document.activeElement, main = document.querySelector('main, [role=main]');
  const header = [...document.querySelectorAll('body *')].filter(e => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return (s.position === 'sticky' || s.position === 'fixed') && r.top <= 1 && r.height > 0
      && r.width > window.innerWidth / 2 && s.visibility === 'visible';
  }).reduce((bottom, e) => Math.max(bottom, e.getBoundingClientRect().bottom), 0);
  const inMain = !!(main && (a === main || main.contains(a) || a.contains(main)));
  return {what: a.tagName + (a.id ? '#' + a.id : ''), inMain, top: a.getBoundingClientRect().top, header};
}"""


def skip_link_problem(page: Page) -> str:
    """'' when the first Tab stop is a skip link to the main content and following it focuses the main content
    below the sticky header; otherwise what went wrong."""
    start_from_the_top(page)
    page.keyboard.press("Tab")
    first = page.evaluate(FIRST_STOP)
    if not (first["tag"] == "A" and first["target"] and first["inMain"]):
        return f"the first Tab stop is not a link to the main content: {first}"
    if not re.search(r"skip|main content", first["text"], re.I):
        return f"the skip link says {first['text']!r}"
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)  # smooth scrolling, if any, has started; the positions below are read after it
    landed = page.evaluate(LANDED)
    if not landed["inMain"]:
        return f"after the skip link, focus is on {landed['what']}, not the main content"
    if landed["top"] < landed["header"] - 0.5:
        return (f"the skip link's target starts at {landed['top']:.0f} px, under the sticky header that ends at "
                f"{landed['header']:.0f} px")
    return ""


# ---------------------------------------------------------------------------------------------------------
# 2.4.2 Page titled

def title_problems(titles: dict[str, str], home: str = "home", not_found: str = "404") -> list[str]:
    """What is wrong with the titles of pages, by name: a title that repeats itself or names only the site, one
    (but the home page's) that does not end with the site's name, a 404 not saying so, two pages sharing one."""
    problems = []
    for name, title in titles.items():
        parts = [p.strip() for p in re.split(r"\s+[-–—|]\s+", title)]
        if len(parts) != len(set(parts)):
            problems.append(f"{name}: {title!r} repeats itself")
        if name != home and parts == [SITE_NAME]:
            problems.append(f"{name}: {title!r} names only the site")
        if name != home and not title.endswith(f" - {SITE_NAME}"):
            problems.append(f"{name}: {title!r} does not end with ' - {SITE_NAME}'")
    if not_found in titles and not titles[not_found].startswith("Page not found - "):
        problems.append(f"{not_found}: {titles[not_found]!r} does not start 'Page not found - '")
    shared: dict[str, list[str]] = {}
    for name, title in titles.items():
        shared.setdefault(title, []).append(name)
    problems += [f"{' and '.join(names)} share the title {title!r}" for title, names in shared.items()
                 if len(names) > 1]
    return problems


# ---------------------------------------------------------------------------------------------------------
# 2.5.8 Target size (minimum)

SMALL_TARGETS = r"""() => {
  const INLINE = 'p, li, td, th, dd, dt, blockquote, figcaption, label, caption, summary';
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, ' +
                                                'summary, label[for], [role=button], [role=link], [tabindex]')]
    .filter(el => el.tabIndex >= 0 || el.tagName === 'LABEL');
  const visible = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility === 'visible' && parseFloat(s.opacity) > 0 && r.width > 1 && r.height > 1
      && r.right > 0 && r.left < document.documentElement.scrollWidth && r.bottom + scrollY > 0
      && !el.closest('[hidden], [inert], [aria-hidden=true]'); };
  const inline = el => {  // a link in a sentence or a comma-separated run: the block around it has text of its own
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement && el.parentElement.closest(INLINE);
    if (!block) return false;
    const own = block.textContent.replace(/\s+/g, ' ').trim().length;
    const mine = [...block.querySelectorAll('a')]
      .reduce((n, a) => n + a.textContent.replace(/\s+/g, ' ').trim().length, 0);
    return own - mine > 0;
  };
  const box = el => { let r = el.getBoundingClientRect(); let [l, t, rr, b] = [r.left, r.top, r.right, r.bottom];
    if (el.tagName === 'INPUT' && /^(checkbox|radio)$/.test(el.type)) for (const lab of el.labels || []) {
      const q = lab.getBoundingClientRect(); l = Math.min(l, q.left); t = Math.min(t, q.top);
      rr = Math.max(rr, q.right); b = Math.max(b, q.bottom); }
    return {l, t, r: rr, b, w: rr - l, h: b - t}; };
  // A backdrop that closes a drawer covers the page: it is not a target a finger aims for beside another.
  const backdrop = b => b.w * b.h > innerWidth * innerHeight / 2;
  const all = targets.filter(visible).filter(el => !(el.tagName === 'LABEL' && el.control && visible(el.control)))
    .map(el => ({el, box: box(el), inline: inline(el)})).filter(t => !backdrop(t.box));
  const small = all.filter(t => !t.inline && (t.box.w < 23.95 || t.box.h < 23.95));
  const centre = b => [(b.l + b.r) / 2, (b.t + b.b) / 2];
  const near = (c, b) => { const dx = Math.max(b.l - c[0], 0, c[0] - b.r), dy = Math.max(b.t - c[1], 0, c[1] - b.b);
    return Math.hypot(dx, dy) < 12; };
  const isSmall = new Set(small.map(t => t.el));
  const out = [];
  for (const t of small) {
    const c = centre(t.box);
    const clash = all.find(o => o.el !== t.el && !o.el.contains(t.el) && !t.el.contains(o.el) && (isSmall.has(o.el)
      ? Math.hypot(...centre(o.box).map((v, i) => v - c[i])) < 24 : near(c, o.box)));
    if (clash) out.push(`${__a11y.describe(t.el)} is ${t.box.w.toFixed(1)}×${t.box.h.toFixed(1)} px and its 24 px ` +
                        `circle meets ${__a11y.describe(clash.el)}`);
  }
  return out;
}"""


def small_targets(page: Page) -> list[str]:
    page.evaluate(PAGE_HELPERS)
    return cast(list[str], page.evaluate(SMALL_TARGETS))



def open_menu(page: Page) -> None:
    """Open the navigation drawer at a phone width, as a tap on the Menu control does."""
    control = page.locator("label[for='__drawer']:visible, button[aria-controls*='drawer']:visible, "
                           "button:has-text('Menu'):visible")
    control.first.click()
    page.wait_for_timeout(400)  # the drawer slides in



# ---------------------------------------------------------------------------------------------------------
# 1.4.1 Use of colour: chart statuses

STATUSES = ("Planned", "In progress", "Done", "Paused", "Stopped")

CHART_SEGMENTS = r"""statuses => {
  const named = t => { const s = (t || '').trim(); return statuses.find(n => s === n || s.startsWith(n + ':')); };
  return [...document.querySelectorAll('figure svg')].map((svg, chart) => {
    const title = (svg.querySelector(':scope > title') || {}).textContent || `chart ${chart + 1}`;
    const texts = [...svg.querySelectorAll('text')].map(t => ({status: named(t.textContent),
                                                                r: t.getBoundingClientRect()}))
      .filter(t => t.status);
    const fill = el => getComputedStyle(el).fill;
    const shapes = [...svg.querySelectorAll('rect, path, circle, polygon, polyline')];
    const tip = s => (s.querySelector(':scope > title') || {}).textContent;
    const segments = shapes.filter(s => named(tip(s)))
      .map(s => ({status: named(tip(s)), fill: fill(s), r: s.getBoundingClientRect()}));
    const isSegment = new Set(shapes.filter(s => tip(s)));
    const keys = shapes.filter(s => !isSegment.has(s) && s.tagName !== 'path').map(s => {  // legend keys
      const r = s.getBoundingClientRect();
      const label = texts.filter(t => Math.abs((t.r.top + t.r.bottom) / 2 - (r.top + r.bottom) / 2) < r.height
                                   && t.r.left >= r.right - 1 && t.r.left - r.right < 24)[0];
      return label ? {status: label.status, fill: fill(s)} : null; }).filter(k => k);
    const gap = (a, b) => Math.hypot(Math.max(a.left - b.right, 0, b.left - a.right),
                                     Math.max(a.top - b.bottom, 0, b.top - a.bottom));
    return {title, keys, segments: segments.map(s => ({status: s.status, fill: s.fill,
      box: [s.r.left, s.r.top, s.r.width, s.r.height].map(Math.round),
      labelGap: Math.min(Infinity, ...texts.filter(t => t.status === s.status).map(t => gap(t.r, s.r)))}))};
  });
}"""


def colour_only_statuses(page: Page) -> list[str]:
    """Each status segment that is told apart from the others by its colour alone: no pattern fill of its own
    (repeated by its legend key), and no text naming its status within 16 px of it."""
    charts = page.evaluate(CHART_SEGMENTS, list(STATUSES))
    problems = []
    for chart in charts:
        patterns: dict[str, set[str]] = {}
        for s in chart["segments"]:
            if s["fill"].startswith("url("):
                patterns.setdefault(s["status"], set()).add(s["fill"])
        shared = [f for st, fs in patterns.items() for f in fs
                  if any(f in others for o, others in patterns.items() if o != st)]
        for s in chart["segments"]:
            patterned = s["status"] in patterns and s["fill"] not in shared
            keyed = all(k["fill"] == s["fill"] for k in chart["keys"] if k["status"] == s["status"])
            if patterned and not keyed:
                problems.append(f"{chart['title'][:60]!r}: {s['status']} segment's pattern {s['fill']} is not the "
                                "one its legend key shows")
            elif not patterned and s["labelGap"] > 16:
                problems.append(f"{chart['title'][:60]!r}: {s['status']} segment at {s['box']} has only its colour "
                                f"({s['fill']}); nearest label naming it {s['labelGap']:.0f} px away")
    return problems




# ---------------------------------------------------------------------------------------------------------
# 1.4.12 Text spacing: what a reader's style sheet may set, which a page must survive without losing content

# Set by a test only (the site's Content-Security-Policy refuses inline styles: the context bypasses it).
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }"
                " p { margin-bottom: 2em !important; }")

# Elements that cut their own text off: they hide overflow, hold text, and their content is bigger than their box.
# Visually hidden text (1 px boxes, clipped) and what is not shown are left out; so are scrolling regions.
CLIPPED = r"""() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    const x = /hidden|clip/.test(s.overflowX), y = /hidden|clip/.test(s.overflowY);
    if (!(x || y) || s.visibility !== 'visible' || !el.textContent.trim()) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || el.closest('.commons-visually-hidden, svg')) continue;
    const wide = x && el.scrollWidth > el.clientWidth + 1, tall = y && el.scrollHeight > el.clientHeight + 1;
    if (wide || tall) out.push(`${__a11y.describe(el)}: content ${el.scrollWidth}×${el.scrollHeight} px in a ` +
                               `${el.clientWidth}×${el.clientHeight} px box that hides overflow`);
  }
  return out;
}"""


def clipped_content(page: Page) -> list[str]:
    page.evaluate(PAGE_HELPERS)
    return cast(list[str], page.evaluate(CLIPPED))


# ---------------------------------------------------------------------------------------------------------
# Tables that scroll in their own labelled region (1.4.10, 2.1.1)

# What boxes holding a table scroll sideways, and each table region: whether it scrolls, its role, name and tabindex.
SCROLLERS = r"""() => {
  const regions = new Set(document.querySelectorAll('.commons-table-region, .md-typeset__scrollwrap'));
  const boxes = [...document.querySelectorAll('.md-content *')].filter(el => {
    const s = getComputedStyle(el);
    return /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1 && s.visibility === 'visible'
      && (el.tagName === 'TABLE' || el.querySelector('table'));  // code blocks are Material's, focusable already
  });
  for (const b of boxes) regions.add(b);
  return [...regions].map(el => ({what: __a11y.describe(el), scrolls: el.scrollWidth > el.clientWidth + 1,
    role: el.getAttribute('role'), label: (el.getAttribute('aria-label') || '').trim(),
    tabindex: el.getAttribute('tabindex'), hasTable: !!el.querySelector('table')}));
}"""


def table_region_problems(page: Page) -> list[str]:
    """Each box that scrolls sideways but is not a labelled, focusable region, and each table region that is a
    Tab stop though it does not scroll."""
    page.evaluate(PAGE_HELPERS)
    problems = []
    for r in page.evaluate(SCROLLERS):
        if r["scrolls"] and not (r["role"] == "region" and r["label"] and r["tabindex"] == "0"):
            problems.append(f"{r['what']} scrolls but is not a labelled, focusable region "
                            f"(role={r['role']!r}, aria-label={r['label']!r}, tabindex={r['tabindex']!r})")
        elif not r["scrolls"] and r["tabindex"] is not None:
            problems.append(f"{r['what']} does not scroll but is a Tab stop (tabindex={r['tabindex']!r})")
        elif r["hasTable"] and not (r["role"] == "region" and r["label"]):
            problems.append(f"{r['what']} holds a table but is not a labelled region")
    return problems


# ---------------------------------------------------------------------------------------------------------
# axe-core at phone widths

def axe_violations(page: Page, context: dict[str, Any] | None = None) -> str:
    """axe-core's violations on the page (or the part `context` names, in axe's terms), one line each."""
    result = Axe().run(page, context=context)
    lines = []
    for v in result.response["violations"]:
        targets = [" ".join(map(str, n.get("target", []))) for n in v["nodes"][:4]]
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} nodes] e.g. {targets}")
    return "\n".join(lines)

