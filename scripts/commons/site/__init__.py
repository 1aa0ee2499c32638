"""The site: the Catalog rendered by MkDocs + Material, indexed by Pagefind.

`pages` turns the Catalog into page sources, `exports` into open data and
feeds, `charts` into SVG; `hooks` is the thin MkDocs glue; `build` runs it all.
`search` feeds pages to Pagefind as they are rendered; `frame`, `converter` and
`qr` keep a full build quick (see each module).
"""
