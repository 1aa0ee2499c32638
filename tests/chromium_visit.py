"""One visit of a page in Chromium, recording what its payloads did: dialogs, requests off the site, navigations,
what got through to the page as the browser sees it, and what the Content-Security-Policy refused.

Used by the tests of the site built from tests/hostile/site/ (hostile_site.py), with the policy on or bypassed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from site_support import SUB_PATH

# Recorded from the first script that runs, before the page's own.
_RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI), true);
"""
# What got through, as the browser sees the page: handlers on any element, addresses the browser would follow or
# load in the content area that run script (read from the elements' own properties: the browser's URL parsing),
# refreshes, a moved base, the payloads' global.
_THROUGH = """() => {
  const out = [];
  if (window.__pwned !== undefined) out.push('window.__pwned = ' + String(window.__pwned));
  for (const el of document.querySelectorAll('*'))
    for (const name of el.getAttributeNames())
      if (/^on/i.test(name)) out.push('<' + el.localName + ' ' + name + '>');
  const area = document.querySelector('.md-content') || document.body;
  const props = {href: 'href', src: 'src', action: 'action', formaction: 'formAction', data: 'data',
                 poster: 'poster', background: 'background', 'xlink:href': ''};
  for (const el of [area, ...area.querySelectorAll('*')])
    for (const [name, prop] of Object.entries(props)) {
      if (!el.hasAttribute(name)) continue;
      let url = prop && typeof el[prop] === 'string' ? el[prop] : '';
      if (!url) { try { url = new URL(el.getAttribute(name), document.baseURI).href; } catch (e) { continue; } }
      if (/^(javascript|data|vbscript):/i.test(url))
        out.push('<' + el.localName + ' ' + name + '="' + url.slice(0, 50) + '">');
    }
  for (const m of document.querySelectorAll('meta[http-equiv]'))
    if (m.httpEquiv.toLowerCase() !== 'content-security-policy') out.push('<meta http-equiv="' + m.httpEquiv + '">');
  if (document.baseURI !== location.href.split('#')[0]) out.push('base moved to ' + document.baseURI);
  return out;
}"""


@dataclass
class Visit:
    """What happened while a page was open (each list empty on a page where nothing hostile ran)."""

    url: str
    dialogs: list[str]
    outside: list[str]  # requests for anything but the site's own server that the policy did not refuse
    navigations: list[str]  # the main frame's, after the first
    through: list[str]
    violations: list[str]  # what the Content-Security-Policy refused

    def ran(self) -> list[str]:
        """What the payloads did: dialogs, requests and navigations, and the global they set."""
        ran = [t for t in self.through if t.startswith(("window.__pwned", "could not"))]
        return self.dialogs + self.outside + self.navigations + ran

    def everything(self) -> list[str]:
        """All of that, and anything live left in the page (handlers, script addresses, refreshes, a base)."""
        return self.dialogs + self.outside + self.navigations + self.through


def visit(browser: Browser, url: str, policy: bool = True, act: Callable[[Any], None] | None = None) -> Visit:
    """Load `url` in a fresh context (`policy=False` bypasses Content-Security-Policies), optionally act on the
    page, give handlers and refreshes a moment, and record what happened."""
    context: BrowserContext = browser.new_context(bypass_csp=not policy)
    context.set_default_timeout(10_000)
    context.add_init_script(_RECORD)
    page = context.new_page()
    own = url.split(SUB_PATH, 1)[0] + "/"
    dialogs: list[str] = []
    requests: list[Any] = []
    navigations: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(own) else requests.append(r))
    page.on("framenavigated", lambda f: navigations.append(f"navigated to {f.url}") if f == page.main_frame else None)
    through: list[str] = []
    violations: list[str] = []
    try:
        page.goto(url, wait_until="load")
        if act is not None:
            act(page)
        page.wait_for_timeout(300)
        try:
            through = page.evaluate(_THROUGH)
            violations = page.evaluate("() => window.__violations || []")
        except PlaywrightError as e:  # the page went away (a refresh, a form sent): the navigation is recorded
            through = [f"could not look at the page: {str(e).splitlines()[0]}"]
        outside = [f"request: {r.url[:80]}" for r in requests if r.failure != "csp"]  # 'csp': refused by the policy
    finally:
        context.close()
    return Visit(url, dialogs, outside, [n for n in navigations[1:] if n != f"navigated to {url}"], through,
                 violations)

