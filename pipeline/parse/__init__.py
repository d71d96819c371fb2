"""Parsing: raw text to untidy tables, one row per printed cell or table row, with line numbers and
character spans into the raw file. Nothing here changes what the source says except removing page
furniture, and every such removal is returned as a correction."""
