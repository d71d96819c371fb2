"""Cleaning: parsed cells and lines to curated rows. Wrapped text is rejoined, line-break hyphenation
undone, stray page numbers removed and names normalised against the reference registry; every change is
returned as a :class:`~pipeline.corrections.Correction`."""
