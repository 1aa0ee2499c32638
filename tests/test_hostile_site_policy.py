"""The site built past the validator from tests/hostile/site/ (hostile_site.py): the Content-Security-Policy holds
on its own.

Unsanitised HTML (tests/hostile/unsanitised.html, and the hostile bodies rendered without the sanitiser) is
written into a built page, and in Chromium the policy refuses whatever it would run. The control: without the
policy the same HTML does run here, so a pass means the policy stopped it. The sanitiser alone:
tests/test_hostile_site_escaping.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser

from chromium_visit import visit
from commons.content import rendered
from hostile_site import BODY_PAGES, HOSTILE, HostileSite, hostile_body, unsanitised_page

# A policy cannot refuse a refresh (no directive governs where a page navigates itself): that one is the
# sanitiser's alone, so it is left out of what the policy is tested against.
_REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>', re.IGNORECASE)


def _unsanitised_markup() -> list[tuple[str, str]]:
    return [("unsanitised.html", (HOSTILE / "unsanitised.html").read_text(encoding="utf-8"))] + [
        (page, _REFRESH.sub("", rendered.render(hostile_body(page)))) for page in BODY_PAGES]


def _click_everything(page: Any) -> None:
    for selector in ("#hostile-js-link", "#hostile-submit"):
        if page.locator(selector).count():
            page.locator(selector).first.click(force=True, no_wait_after=True, timeout=5_000)


@pytest.mark.parametrize(("name", "markup"), _unsanitised_markup(), ids=[n for n, _ in _unsanitised_markup()])
def test_the_policy_alone_stops_unsanitised_html(name: str, markup: str, hostile_site: HostileSite,
                                                 browser: Browser) -> None:
    page = unsanitised_page(hostile_site, "patterns/report-a-missed-bin/", markup, policy=True)
    seen = visit(browser, hostile_site.server.url(page), policy=True, act=_click_everything)
    assert seen.ran() == [], "the policy let it run"
    assert seen.violations, "nothing was refused by the policy, so it was not what stopped the payloads"


@pytest.mark.parametrize(("name", "markup"), _unsanitised_markup()[:1], ids=["unsanitised.html"])
def test_control_without_the_policy_the_same_html_runs(name: str, markup: str, hostile_site: HostileSite,
                                                       browser: Browser) -> None:
    page = unsanitised_page(hostile_site, "patterns/report-a-missed-bin/", markup, policy=False)
    seen = visit(browser, hostile_site.server.url(page), policy=True)
    assert seen.ran() != []
    assert seen.violations == []
