"""Council Commons tooling: load → validate → model → render."""
