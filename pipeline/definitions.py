"""The Dagster code location (``dagster dev -m pipeline.definitions``, the pyproject's ``[tool.dagster]``):
everything Dagster sees is built in :mod:`pipeline.defs`, the only folder that imports Dagster."""

from pipeline.defs.location import ALL_JOB, build_definitions, location_definitions

__all__ = ["ALL_JOB", "build_definitions", "defs"]

defs = location_definitions()
