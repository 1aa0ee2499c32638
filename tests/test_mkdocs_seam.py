"""The seam to the site generator: MkDocs' private API in one module, checked against the versions it was read
in; the site built by a plain `mkdocs build` and by ProperDocs is the site `commons build` makes."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import mkdocs
import pytest

from commons.errors import CommonsError
from commons.site import mkdocs_api
from conftest import Result
from site_compare import same_site
from site_support import REPO, build_into, copy_repository, pattern_files

PACKAGE = REPO / "scripts" / "commons"
ADAPTER = PACKAGE / "site" / "mkdocs_api.py"
BIN = Path(sys.executable).parent
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


# ---------------------------------------------------------------------------------------------------------
# The private API, in one module

def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def test_no_other_module_names_the_private_api() -> None:
    adapter = ADAPTER.read_text(encoding="utf-8")
    assert all(_mentions(adapter, name) for name in mkdocs_api.PRIVATE_NAMES), "the list names what it does not use"
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == ADAPTER:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(REPO)}: {name}" for name in mkdocs_api.PRIVATE_NAMES if _mentions(text, name)]
        found += [f"{path.relative_to(REPO)}: imports {m}" for m in ("mkdocs.utils", "from mkdocs import utils")
                  if m in text]
    assert not found, "MkDocs' private API outside commons.site.mkdocs_api:\n" + "\n".join(found)


def test_the_check_of_names_sees_a_private_name() -> None:
    """The search above can fail: a private name in code or in an attribute is seen, a longer name is not."""
    assert _mentions("mkdocs_build._populate_page = step", "_populate_page")
    assert _mentions("page._title_from_render", "_title_from_render")
    assert not _mentions("def _write_file_twice(): ...", "write_file")


@pytest.mark.parametrize("package", ["mkdocs", "properdocs"])
def test_every_private_name_is_where_the_adapter_says_in_each_generator(package: str) -> None:
    """Read in the installed MkDocs and ProperDocs sources, so a list that went out of date is seen."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin, f"{package} is not installed (it is in the test extras)"
    root = Path(spec.origin).parent
    missing = [f"{name} in {file}" for name, file in mkdocs_api.PRIVATE_NAMES.items()
               if not _mentions((root / file).read_text(encoding="utf-8"), name)]
    assert not missing, f"{package} does not have: {missing}"


def test_the_installed_generator_is_a_version_the_adapter_was_checked_against() -> None:
    assert mkdocs_api.generator() == ("MkDocs", mkdocs.__version__)
    assert mkdocs.__version__ in mkdocs_api.CHECKED["MkDocs"]
    mkdocs_api.check_generator()  # does not raise


@pytest.mark.parametrize(("name", "version"), [("MkDocs", "1.6.2"), ("MkDocs", "2.0.0"), ("ProperDocs", "1.7.0"),
                                               ("Zensical", "0.0.30")])
def test_another_version_stops_the_build_with_a_clear_message(name: str, version: str) -> None:
    with pytest.raises(CommonsError) as stopped:
        mkdocs_api.check_generator(name, version)
    assert stopped.value.message.startswith(
        f"commons build was checked against MkDocs 1.6.1 and ProperDocs 1.6.7; this is {name} {version}. ")
    assert "scripts/commons/site/mkdocs_api.py" in stopped.value.hint and "CHECKED" in stopped.value.hint


def test_commons_build_stops_on_another_version(repo: Path, cli: Callable[..., Result],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    result = cli("--root", str(repo), "build")
    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("commons build: commons build was checked against MkDocs 1.6.1 and ProperDocs "
                                 "1.6.7; this is MkDocs 1.7.0. "), result.err
    assert "    hint: install the versions in constraints.txt" in result.err
    assert not (repo / "site").exists()


# ---------------------------------------------------------------------------------------------------------
# Plain `mkdocs build` and `properdocs build`

def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life notice, on every run
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A contributor's copy of the repository (no git history), built by `commons build` into site-commons/."""
    root = copy_repository(tmp_path_factory.mktemp("seam") / "repo")
    build_into(root / "site-commons", root=root)
    return root


@pytest.fixture(scope="module")
def plain_site(copied: Path) -> Path:
    """The copy built by plain `mkdocs build`, as Material's users and CI habits run it."""
    result = _run([str(BIN / "mkdocs"), "build", "--site-dir", "site-mkdocs"], copied)
    assert result.returncode == 0, result.stdout + result.stderr
    return copied / "site-mkdocs"


def test_plain_mkdocs_build_gives_the_complete_site(copied: Path, plain_site: Path) -> None:
    """When `mkdocs build` returns, its site is the one `commons build` makes, search index and open data
    included: the hooks waited for Pagefind."""
    assert (plain_site / "pagefind" / "pagefind-entry.json").is_file(), "mkdocs build returned before Pagefind"
    assert (plain_site / "api" / "v1" / "patterns.json").is_file()
    same_site(plain_site, copied / "site-commons")


def test_the_site_builds_with_properdocs_as_with_mkdocs(copied: Path, plain_site: Path) -> None:
    """ProperDocs (the maintained fork of MkDocs 1.6) runs the same hooks, Material and macros: the same site,
    file for file, but for the generator's name in a generator tag (the theme leaves it out) and Pagefind's
    hashed file names."""
    properdocs = BIN / "properdocs"
    assert properdocs.is_file(), "ProperDocs is missing: install the test extras (pip install -e '.[test]')"
    result = _run([str(properdocs), "build", "--site-dir", "site-properdocs"], copied)
    assert result.returncode == 0, result.stdout + result.stderr
    built = copied / "site-properdocs"
    assert (built / "pagefind" / "pagefind-entry.json").is_file()
    same_site(built, plain_site, html=lambda page: GENERATOR_TAG.sub(b"", page))


def test_plain_mkdocs_build_stops_on_content_problems(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    rel = f"patterns/{pattern_files()[0].slug}.md"
    text = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(re.sub(r"^status: .*$", "status: finished", text, count=1, flags=re.M), encoding="utf-8")
    result = _run([str(BIN / "mkdocs"), "build"], root)
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "the content has problems; nothing was built." in said
    assert re.search(rf"{re.escape(rel)}:\d+:\d+: error\[E-ENUM\]", said), said
    assert not (root / "site").exists()


def test_plain_mkdocs_build_stops_on_another_version(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    program = "import sys, mkdocs; mkdocs.__version__ = '1.7.0'; from mkdocs.__main__ import cli; cli(['build'])"
    result = _run([sys.executable, "-c", program], root)
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "commons build was checked against MkDocs 1.6.1 and ProperDocs 1.6.7; this is MkDocs 1.7.0." in said
    assert not (root / "site").exists()
