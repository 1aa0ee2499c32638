"""Views derived from the content (who else is doing the same thing, the market of councils' systems): plain
functions from the Catalog, or from values read from it, to frozen results the site and the commands print.
Nothing here reads files, git or MkDocs. So far: `similar_titles`, the near-duplicate check `commons new
pattern` and `commons from-issue` make on a new pattern's title (similarity by meaning is to come)."""
