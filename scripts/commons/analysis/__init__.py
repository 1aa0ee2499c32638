"""Views derived from the content (who else is doing the same thing, the market of councils' systems): plain
functions from the Catalog, or from values read from it, to frozen results the site and the commands print.
Nothing here reads files, git or MkDocs, except `corpus`, which reads entries through `content.load` and keeps
what it read in `.cache/similarity/`.

Similarity: `similarity` (the engine: TF-IDF over words normalised by `synonyms`, the council-service table),
`documents` (what it compares of each entry), `corpus` (a clone's entries, cached), `quality` (its figures on
the labelled pairs in tests/similarity-pairs.yml). `similar_titles` is the words-only check `commons new
pattern` and `commons from-issue` make on a new pattern's title, refusing a near-identical one.

`opportunities`: groups of councils with similar open commitments who are not yet partners (the /collaborate/
page). `market`: procurement windows."""
