"""Publishing: the write -> audit -> promote gate, immutable release folders, the manifest, the
``latest`` pointer and the catalog of releases."""
