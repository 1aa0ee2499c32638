"""`commons schema`: the files generated from the one schema (editor JSON Schemas, the field and problem
references, the issue forms), written or checked."""
