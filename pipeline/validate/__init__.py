"""Validation: pandera schemas (derived from the dataset declarations) and Great Expectations suites
(``expectations/<dataset>.json``), both returning plain, JSON-ready results that the asset checks, the
publish step and the report share."""
