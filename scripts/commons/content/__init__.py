"""Content, from files on disk to the Catalog: schema and register (what may be written), load (files to
raw entries), body and rendered (what the Markdown will show), validate (raw entries to problems), model
(raw entries to the Catalog), urls (where each entry's page lives).

Nothing here imports argparse, MkDocs or git: commands, the site and the benchmarks build on it."""
