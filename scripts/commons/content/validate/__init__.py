"""Checking raw entries against their schema and each other: raw entries → problems.

`validate_repository` (repository.py) is the one entry point for a whole run: it reads the files (all of
them, or the given ones plus everything they reference), checks each on its own (`check_file`: rules.py for
the entry's rules, fields.py for its fields), then the checks across entries (`check_across`, cross.py). It
returns every problem, sorted, and the entries it read. `commons serve` keeps each file's result between
rebuilds and calls `check_file` and `check_across` itself.
"""

from __future__ import annotations

from commons.content.validate.cross import Facts, Located, check_across, facts_of, other_pattern_facts
from commons.content.validate.repository import Report, check_file, validate_repository
from commons.content.validate.rules import check_entry
from commons.content.validate.site_files import SiteFiles, site_sources

__all__ = ["Facts", "Located", "Report", "SiteFiles", "check_across", "check_entry", "check_file", "facts_of",
           "other_pattern_facts", "site_sources", "validate_repository"]
