"""The seam to the site generator: the one module that touches MkDocs' private API.

Everything else in commons.site uses what MkDocs documents for plugins and hooks: the events, Files,
File.generated, Page, Navigation, load_config, mkdocs.commands.build.build, the exceptions and get_toc.
What is used here MkDocs does not promise to keep; each use saves a measured part of a build (the module
named says how much). The names were read in MkDocs 1.6.1 and in ProperDocs 1.6.7, the maintained fork
of MkDocs 1.6, whose `properdocs` command makes `import mkdocs` give its own modules, so the same code
runs on both; `CHECKED` records those versions, and `check_generator` stops any build on another (read
the names below against its source, then add it).

mkdocs.commands.build._populate_page, mkdocs.commands.build._build_page
    The two per-page steps of MkDocs' page loops (read and convert; render and write), looked up by
    name in their module on every call. A build on two cores (commons.site.workers) replaces both for
    that build only, so each process passes over the other's pages: `filter_page_steps`.
mkdocs.utils.clean_directory, mkdocs.utils.write_file, mkdocs.utils.copy_file
    How MkDocs empties the site folder before a full build and writes and copies every file; looked up
    on mkdocs.utils at each call. While `commons build` renders (commons.site.output) they are replaced
    so that the build writes over the site before last, in place: `writing_files_with`.
mkdocs.structure.pages._RawHTMLPreprocessor, _ExtractAnchorsTreeprocessor, _RelativePathTreeprocessor,
_ExtractTitleTreeprocessor, their `_register(md)`, and Page._title_from_render
    What Page.render adds to each page's new Markdown instance, and where it keeps the title it found.
    A generated page is converted with the build's one Markdown instance instead (commons.site.converter):
    `render_page`.
Files.copy_static_files and File.is_modified (public methods, replaced on one object each)
    The worker copies no static files, which the main process copies (`copy_no_static_files`); a
    maintainer's page that shows the Catalog is rendered in every dirty build (`render_in_every_dirty_build`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import markdown
import mkdocs
import mkdocs.commands.build as mkdocs_build
from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

from commons.errors import CommonsError

# The generators, and their versions, whose source the names above were read in.
CHECKED: dict[str, tuple[str, ...]] = {"MkDocs": ("1.6.1",), "ProperDocs": ("1.6.7",)}
# Every private name used here, and the generator's source file (in its package) that defines it: for the
# tests that each is there in every generator checked, and that no other module names one.
PRIVATE_NAMES: dict[str, str] = {
    "_populate_page": "commands/build.py", "_build_page": "commands/build.py",
    "clean_directory": "utils/__init__.py", "write_file": "utils/__init__.py", "copy_file": "utils/__init__.py",
    "copy_static_files": "structure/files.py",
    "_RawHTMLPreprocessor": "structure/pages.py", "_ExtractAnchorsTreeprocessor": "structure/pages.py",
    "_RelativePathTreeprocessor": "structure/pages.py", "_ExtractTitleTreeprocessor": "structure/pages.py",
    "_register": "structure/pages.py", "_title_from_render": "structure/pages.py",
}


def generator() -> tuple[str, str]:
    """The generator `import mkdocs` gives, and its version: ProperDocs when its command runs the build."""
    return ("ProperDocs" if mkdocs.__name__ == "properdocs" else "MkDocs"), mkdocs.__version__


def check_generator(name: str | None = None, version: str | None = None) -> None:
    """Raise CommonsError unless the generator (by default the one running) is a version in CHECKED."""
    if name is None:
        name, version = generator()
    if version in CHECKED.get(name, ()):
        return
    checked = " and ".join(f"{n} {' or '.join(v)}" for n, v in CHECKED.items())
    raise CommonsError(
        f"commons build was checked against {checked}; this is {name} {version}. The build relies on parts "
        "of its private API, which may have changed, so it stops rather than make a site that may be wrong.",
        hint=f"install the versions in constraints.txt, or read scripts/commons/site/mkdocs_api.py against "
             f"{name} {version}'s source and add that version to CHECKED")


# --- The page loops ----------------------------------------------------------------------------------------

def filter_page_steps(read: Callable[[Page], bool], build: Callable[[Page], bool]) -> Callable[[], None]:
    """From now on MkDocs reads (and converts) only the pages `read` accepts and renders and writes only
    those `build` accepts; the function returned puts its own steps back."""
    steps = mkdocs_build._populate_page, mkdocs_build._build_page

    def populate_page(page: Page, *args: Any, **kwargs: Any) -> None:
        if read(page):
            steps[0](page, *args, **kwargs)

    def build_page(page: Page, *args: Any, **kwargs: Any) -> None:
        if build(page):
            steps[1](page, *args, **kwargs)

    mkdocs_build._populate_page, mkdocs_build._build_page = populate_page, build_page  # type: ignore[assignment]

    def restore() -> None:
        mkdocs_build._populate_page, mkdocs_build._build_page = steps

    return restore


def copy_no_static_files(files: Files) -> None:
    """This build copies none of `files`' static files (the other rendering process copies them)."""
    files.copy_static_files = _nothing  # type: ignore[method-assign]


def render_in_every_dirty_build(file: File) -> None:
    """A dirty build renders `file` whether or not its source changed."""
    file.is_modified = lambda: True  # type: ignore[method-assign]


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


# --- Writing files -----------------------------------------------------------------------------------------

@contextmanager
def writing_files_with(write: Callable[[str, bytes], None], copy: Callable[[str, str], None]) -> Iterator[None]:
    """While open, MkDocs writes each file with write(path, content) and copies each with copy(source, path),
    and does not empty the site folder before a full build."""
    saved = mkdocs_utils.clean_directory, mkdocs_utils.write_file, mkdocs_utils.copy_file

    def write_file(content: bytes, output_path: str) -> None:  # MkDocs' argument order
        write(output_path, content)

    mkdocs_utils.clean_directory = _nothing
    mkdocs_utils.write_file = write_file
    mkdocs_utils.copy_file = copy  # type: ignore[assignment]
    try:
        yield
    finally:
        mkdocs_utils.clean_directory, mkdocs_utils.write_file, mkdocs_utils.copy_file = saved


# --- Converting a page -------------------------------------------------------------------------------------

def render_page(page: Page, converter: Callable[[], markdown.Markdown], config: MkDocsConfig, files: Files,
                finish: Callable[[str], str]) -> None:
    """What Page.render does, with the Markdown instance `converter()` gives (reset) instead of a new one,
    and the HTML passed through `finish`. A page with no Markdown (but blanks) is given no HTML and asks
    for no converter. Unlike MkDocs 1.6.1 (as ProperDocs), links to anchors are kept at every log level."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    if not page.markdown.strip():
        page.content, page.toc, page._title_from_render = "", get_toc([]), None
        page.present_anchor_ids, page.links_to_anchors = set(), {}
        return
    md = converter()
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    links = _RelativePathTreeprocessor(page.file, files, config)
    links._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    page.content = finish(md.convert(page.markdown))
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    page.links_to_anchors = links.links_to_anchors
