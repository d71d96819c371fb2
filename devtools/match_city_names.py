"""Propose mappings for printed city names that the reference registry does not know.

Run at development time: ``uv run python -m devtools.match_city_names``. It parses every registered
zone table, finds region names that are neither canonical nor a case variant nor already mapped, and
prints candidate rows for ``pipeline/mappings/city_names.csv`` with rapidfuzz scores. A person checks
them and commits the mapping; the pipeline itself never matches by score.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.clean.cities import UnknownCity, match_city
from pipeline.raw.reference import load_city_mapping, read_reference_zones
from pipeline.raw.registry import load_registry
from pipeline.settings import DEFAULT_RAW_DIR
from pipeline.steps.tables import parse_tables


def propose(raw_dir: Path, limit: int = 3) -> list[str]:
    sources = load_registry(raw_dir)
    reference = read_reference_zones(str(raw_dir / "reference" / "pilot_zones_reference.csv"))
    mapping = load_city_mapping()
    lines = parse_tables(sources, raw_dir, "zone_table").frame
    regions = sorted(set(lines.loc[lines["field"] == "region", "text"]))
    rows = []
    for name in regions:
        try:
            match_city(name, reference, mapping)
            continue
        except UnknownCity:
            pass
        choices = reference["city"].tolist()
        best = process.extract(name, choices, scorer=fuzz.ratio, limit=limit)
        scores = ", ".join(f"'{c}' {s:.1f}" for c, s, _ in best)
        top = reference.iloc[best[0][2]]
        rows.append(f'{name},{top["city"]},{top["province"]},city_name_ocr,"rapidfuzz ratio: {scores}"')
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR)
    args = parser.parse_args()
    rows = propose(args.raw_dir)
    if not rows:
        print("Every printed city name is canonical, a case variant, or already mapped.")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
