"""The cross-checks, declared once: name, what each checks and which inputs it reads. The ``findings``
dataset's allowed ``check`` values, the Dagster warning check per cross-check, the findings asset's
upstream assets and lineage, and the report's sections are all derived from this list; the code of each
check is in ``pipeline/crosscheck/<name>.py``.

Inputs: a dataset by name (``reported_figures``, ``zone_mentions``, ``annual_indicators``, ``pilot_zones``), a reference
table by its key in :data:`pipeline.raw.reference.REF` (``ref:zones``, ``ref:batches``, ``ref:rates``), or
``texts:tables`` (the decoded text of every extract with tables, to quote a table row) or ``texts:news``
(the decoded text of every registered news article).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrossCheck:
    name: str
    description: str
    reads: tuple[str, ...]


CROSS_CHECKS: tuple[CrossCheck, ...] = (
    CrossCheck(
        "counts",
        "Counts of zones, cities, batches, approvals and provinces in the articles against the registry at the "
        "date they refer to; prior + added = total within an article.",
        ("reported_figures", "ref:batches", "ref:zones"),
    ),
    CrossCheck(
        "city_lists",
        "Cities a sentence names as the latest (or first) batch against the batch each is in.",
        ("zone_mentions", "reported_figures", "ref:batches"),
    ),
    CrossCheck(
        "currency_conversions",
        "Printed CNY/USD conversions against the year's average rate (10% allowed for spot rates).",
        ("reported_figures", "ref:rates"),
    ),
    CrossCheck(
        "growth_rates",
        "A stated growth rate against the same measure's figures for two consecutive years from different sources.",
        ("reported_figures",),
    ),
    CrossCheck(
        "series_jumps",
        "Appendix series that change by more than a factor of 3 from one year to the next (a misprint, a lost "
        "digit, a changed unit or a redefined series would).",
        ("annual_indicators", "texts:tables"),
    ),
    CrossCheck(
        "table_coverage",
        "A zone table against the approval batches it lists zones of: every zone of such a batch is listed, or "
        "the finding names those left out.",
        ("pilot_zones", "ref:batches", "texts:tables"),
    ),
    CrossCheck(
        "inputs_yield",
        "What each registered news article yielded: one without a single figure or zone mention is read by no check.",
        ("reported_figures", "zone_mentions", "texts:news"),
    ),
    CrossCheck(
        "uncertain_readings",
        "Figures read with an uncertain noun, growth or zone role: no other check uses them; each says what to read.",
        ("reported_figures",),
    ),
    CrossCheck(
        "different_measures",
        "Article figures and appendix series for the same year that measure different things.",
        ("reported_figures", "annual_indicators", "ref:rates", "texts:tables"),
    ),
)
CHECK_NAMES = tuple(c.name for c in CROSS_CHECKS)


def inputs_read() -> tuple[str, ...]:
    """Every input some cross-check reads, in a stable order."""
    return tuple(dict.fromkeys(i for c in CROSS_CHECKS for i in c.reads))
