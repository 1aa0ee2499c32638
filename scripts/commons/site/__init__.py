"""The site: the Catalog rendered by MkDocs + Material, indexed by Pagefind.

`pages` turns the Catalog into page sources (at the addresses in commons.content.urls), `views/` into what
each template prints, `macros` into the maintainers' pages' macros, `exports` and `feed` into open data,
`charts` into SVG. `hooks` is the thin MkDocs glue; `build` runs a build, whose state and helpers live in
`build_scope` for that build only; `serve` keeps a site up to date while content changes. `mkdocs_api` is the
only module that touches MkDocs' private API. `search`, `workers`, `converter`, `frame`, `output` and `qr`
keep a full build quick (see each module).
"""
