"""Material's templates and inline scripts, as the site overrides them: each overridden template is Material's own
with exactly its printed values escaped, and Material's inline scripts are the site's own files (so that the
Content-Security-Policy can refuse every inline script).

Read from the installed Material, so a Material release that changes one of them fails here, naming it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

MATERIAL = Path(str(__import__("material").__file__)).parent / "templates"
OVERRIDES = Path(__file__).resolve().parents[1] / "docs" / "overrides"
ASSETS = OVERRIDES.parent / "assets"

_GENERATED = re.compile(r"\A\{#-\n  This file was automatically generated - do not edit\n-#\}\n")
_OUR_NOTE = re.compile(r"\A\{#-.*?-#\}\n", re.S)
# Each of Material's templates we override is Material's own with exactly these changes: every title and link
# escaped. A title may be HTML (from a heading), so it is made text with `striptags` first.
THEME_EDITS = {
    "partials/toc-item.html": [
        ("{{ toc_item.url }}", "{{ toc_item.url | e }}"),
        ("{{ toc_item.typeset.title }}", "{{ toc_item.typeset.title | striptags | e }}"),
        ("{{ toc_item.title }}", "{{ toc_item.title | striptags | e }}"),
    ],
    "partials/content.html": [
        ("{{ page.title | d(config.site_name, true)}}", "{{ page.title | d(config.site_name, true) | e }}"),
    ],
    "partials/actions.html": [
        ("{{ page.edit_url }}", "{{ page.edit_url | e }}"),
        ("{{ page.edit_url | replace(part, 'raw') }}", "{{ page.edit_url | replace(part, 'raw') | e }}"),
    ],
    "partials/nav-item.html": [
        ("{{ config.extra.status[type] }}", "{{ config.extra.status[type] | e }}"),
        ("{{ nav_item.typeset.title }}", "{{ nav_item.typeset.title | striptags | e }}"),
        ("{{ nav_item.title }}", "{{ nav_item.title | striptags | e }}"),
        ("{{ nav_item.meta.subtitle }}", "{{ nav_item.meta.subtitle | e }}"),
        ("{{ first.url | url }}", "{{ first.url | url | e }}"),
        ("{{ index.url | url }}", "{{ index.url | url | e }}"),
        ("{{ nav_item.url | url }}", "{{ nav_item.url | url | e }}"),
    ],
    "partials/footer.html": [
        ("{{ page.previous_page.url | url }}", "{{ page.previous_page.url | url | e }}"),
        ("{{ page.next_page.url | url }}", "{{ page.next_page.url | url | e }}"),
        ("{{ page.previous_page.title | e }}", "{{ page.previous_page.title | striptags | e }}"),
        ("{{ page.next_page.title | e }}", "{{ page.next_page.title | striptags | e }}"),
        ("{{ page.previous_page.title }}", "{{ page.previous_page.title | striptags | e }}"),
        ("{{ page.next_page.title }}", "{{ page.next_page.title | striptags | e }}"),
    ],
    "partials/path-item.html": [
        ("{{ nav_item.title }}", "{{ nav_item.title | striptags | e }}"),
        ("{{ first.url | url }}", "{{ first.url | url | e }}"),
        ("{{ nav_item.url | url }}", "{{ nav_item.url | url | e }}"),
    ],
}


@pytest.mark.parametrize("name", list(THEME_EDITS))
def test_an_overridden_theme_template_is_materials_with_its_values_escaped(name: str) -> None:
    material = (MATERIAL / name).read_text(encoding="utf-8")
    assert _GENERATED.match(material), f"Material's {name} has changed its form; look at the override again"
    expected = _GENERATED.sub("", material)
    for old, new in THEME_EDITS[name]:
        assert old in expected, f"Material's {name} no longer prints {old}: look at the override again"
        expected = expected.replace(old, new)
    ours = (OVERRIDES / name).read_text(encoding="utf-8")
    assert _OUR_NOTE.match(ours), f"docs/overrides/{name} should say why it overrides Material's"
    assert _OUR_NOTE.sub("", ours) == expected


def _inline_scripts(name: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", (MATERIAL / name).read_text(encoding="utf-8"), re.S)


def _code(asset: str) -> str:
    return "".join(line for line in (ASSETS / asset).read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("//")).strip()


def test_materials_inline_scripts_are_the_sites_files() -> None:
    head, = _inline_scripts("partials/javascripts/base.html")
    scope = '"{{ config.extra.scope | d(base_url) }}"'
    assert head.count(scope) == 1
    assert _code("material-head.js") == head.replace(scope, "document.currentScript.dataset.mdScope")
    assert _code("material-content.js") == _inline_scripts("partials/javascripts/content.html")[-1]

