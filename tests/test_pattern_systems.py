"""A platform pattern's page says which systems councils run it on (issue 17): the kinds of system its `systems`
field names, matched against the contracts the councils using it record. Checked against the councils' files read
here with PyYAML, on the repository's own content, and in a built page."""

from __future__ import annotations

import datetime as dt

import yaml

from commons.content.model import Catalog
from commons.site.views.entries import pattern_page
from commons.site.views.parts import SiteLinks
from commons.site.views.pattern_systems import pattern_systems
from conftest import REPO, STARTER_DAY
from site_support import Site

SITE = SiteLinks("https://example.org/commons/", "https://github.com/example/commons/discussions")
PAYMENTS = "online-payments-with-a-shared-platform"


def _running(folder: str, systems: set[str]) -> list[dict]:
    path = REPO / "councils" / folder / "contracts.yml"
    if not path.is_file():
        return []
    out = []
    for c in yaml.safe_load(path.read_text(encoding="utf-8"))["contracts"]:
        last = c.get("extension-until") or c["end"]
        if c["system"] in systems and last >= STARTER_DAY:
            out.append(c)
    return out


def _front_matter(slug: str) -> dict:
    return yaml.safe_load((REPO / "patterns" / f"{slug}.md").read_text(encoding="utf-8").split("---\n")[1])


def test_the_payments_pattern_lists_what_its_councils_record(starter_catalog: Catalog) -> None:
    meta = _front_matter(PAYMENTS)
    assert meta["service-area"] == "platforms" and meta["systems"] == ["payments"]
    found = pattern_systems(starter_catalog, starter_catalog.patterns[PAYMENTS])
    assert found is not None and found.runs_on == "payments"
    users = list(dict.fromkeys(meta["councils"] + [
        code for code, council in starter_catalog.councils.items()
        if any(a.pattern == PAYMENTS for a in council.adopted)]))
    expected = []
    for code in users:
        folder = starter_catalog.councils[code].slug
        expected += [(starter_catalog.councils[code].short_name, c["supplier"], c.get("product", ""),
                      c.get("extension-until") or c["end"]) for c in _running(folder, {"payments"})]
    assert expected  # the starter content records some
    assert [(r.council.text, r.supplier, r.product, r.ends) for r in found.rows] == expected
    assert all(r.contract.url.startswith("councils/") and "#contract-" in r.contract.url for r in found.rows)
    others = [code for code, council in starter_catalog.councils.items()
              if code not in users and _running(council.slug, {"payments"})]
    assert found.others == len(others) and found.others_text.startswith(f"{len(others)} other council")


def test_a_pattern_without_systems_shows_none(starter_catalog: Catalog) -> None:
    plain = next(p for p in starter_catalog.patterns.values() if not p.systems)
    assert pattern_systems(starter_catalog, plain) is None
    assert pattern_page(starter_catalog, plain, SITE).systems is None


def test_ended_contracts_are_not_the_system_it_runs_on(starter_catalog: Catalog) -> None:
    later = Catalog(**{**starter_catalog.__dict__, "today": dt.date(2040, 1, 1)})
    found = pattern_systems(later, later.patterns[PAYMENTS])
    assert found is not None and found.rows == [] and found.others == 0
    assert [link.text for link in found.unrecorded] == [
        starter_catalog.councils[code].short_name for code in found_users(starter_catalog)]


def found_users(c: Catalog) -> list[str]:
    p = c.patterns[PAYMENTS]
    return list(dict.fromkeys([*p.councils, *(a.council for a in p.adopters)]))


def test_the_built_page_shows_the_table(site: Site) -> None:
    html = (site.dir / "patterns" / PAYMENTS / "index.html").read_text(encoding="utf-8")
    section = html.split('id="systems"', 1)[1].split("</table>", 1)[0]
    assert "This pattern runs on payments systems." in section
    assert "Adelante Software: SmartPay" in section and 'href="../../councils/islington/#contract-payments-2021"' \
        in section
