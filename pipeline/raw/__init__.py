"""Raw inputs: the source registry (``raw/sources.yaml``), content hashing and verified reading of the
raw files. Nothing here interprets a file's content."""
