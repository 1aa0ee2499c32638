"""Views derived from the Catalog (who else is doing the same thing, the market of councils' systems):
plain functions from `content.model.Catalog` to frozen results the site and the commands print. Nothing
here reads files, git or MkDocs. Empty until those capabilities land."""
