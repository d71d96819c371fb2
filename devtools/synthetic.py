"""A deterministic generator of synthetic raw extracts, for the scale benchmark (``benchmarks/scale.py``).

``generate(out, n)`` makes ``out`` a complete raw folder: the real extracts and reference tables copied
from ``raw/``, and ``n`` synthetic extracts in the three styles the parsers read, registered in
``out/sources.yaml`` exactly like real ones (path, sha256, kind, provenance, table options):

- **indicator tables** (``pdf_table_extract``): a ``Year`` column and 3–6 of the declared indicator
  columns in varied order, headers wrapped over two lines (hyphenated breaks too), 5–20 years between
  1990 and 2030, sometimes a running page header and ``-`` cells declared as ``null_tokens``;
- **zone tables** (``pdf_table_extract``): 4–12 pilot zones of the reference registry with an extent and
  objectives wrapped over several lines, sometimes the region on one line and the extent on the next;
- **news articles** (``news_article``): paragraphs with money, percentages, counts and conversions about
  the pilot-zone cities, dated by a publication date.

The same ``n`` and ``seed`` give the same bytes (every document has its own ``random.Random``), so a
benchmark run is reproducible. ``python -m devtools.synthetic OUT N`` writes one folder.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

import yaml

from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.raw.registry import read_registry

HEADERS = [f.raw_header for f in ANNUAL_INDICATORS.fields if f.raw_header]
EXTENTS = ["International", "National", "Region"]
KINDS = ("indicator", "zone", "news")
PHRASES = [
    "build a service platform for cross-border e-commerce",
    "simplify customs clearance and tax refunds for small parcels",
    "cultivate local brands that sell to overseas consumers",
    "attract logistics companies and bonded warehouses",
    "train talent for online foreign trade",
    "explore rules for returns and after-sales service",
    "connect manufacturers with overseas marketplaces",
    "improve the credit and risk control system",
    "develop overseas warehouses along trade routes",
    "integrate payment, settlement and foreign exchange services",
    "support small and medium enterprises going online",
    "set standards for data exchange between agencies",
]
FURNITURE = "Journal of Cross-border Trade Studies"


def _wrap_header(header: str, rng: random.Random) -> list[str]:
    """Two or three header lines, broken at a space or inside a hyphenated word ("e-" / "commerce")."""
    words = header.split(" ")
    if len(words) == 1:
        return [header]
    cut = rng.randint(1, len(words) - 1)
    first, rest = words[:cut], words[cut:]
    if "-" in rest[0][:-1] and rng.random() < 0.5:  # break after the hyphen of "e-commerce"
        head, tail = rest[0].split("-", 1)
        return [" ".join([*first, head + "-"]), " ".join([tail, *rest[1:]])]
    return [" ".join(first), " ".join(rest)]


# per declared header: a plausible 1990 level, yearly growth range and printed decimals (the real
# appendix runs from these magnitudes in 2001 to about 10-1000 times them in 2019)
SERIES = {
    "Total e-commerce": (0.02, (0.05, 0.35), 2, 90.0),
    "National Express": (1.0, (0.02, 0.12), 1, 45.0),
    "The market scale of cross-": (300.0, (0.05, 0.4), 0, 900_000.0),
    "China Third-Partv": (0.5, (0.1, 0.9), 0, 9_000_000.0),
    "China's advertising": (400.0, (0.02, 0.15), 0, 90_000.0),
}  # the last number caps the series below the suite's plausible maximum


def _series(header: str, years: range, rng: random.Random) -> list[str]:
    """A series that never falls, as printed: penetration in percent below 100, others growing."""
    if header == "Network penetration":
        level = rng.uniform(0.5, 10) + (years[0] - 1990) * 1.5
        values = []
        for _ in years:
            values.append(f"{min(level, 99.0):.1f}")
            level += rng.uniform(0.2, 3)
        return values
    base, (low, high), decimals, cap = SERIES[header]
    level = min(base * (1 + (low + high) / 2) ** (years[0] - 1990) * rng.uniform(0.8, 1.2), cap)
    values = []
    for _ in years:
        text = f"{level:.{decimals}f}" if decimals else f"{round(level):d}"
        values.append(f"{round(level):,}" if not decimals and level >= 10000 and rng.random() < 0.3 else text)
        level = min(level * (1 + rng.uniform(low, high)), cap)
    return values


def indicator_extract(rng: random.Random) -> tuple[str, dict[str, object]]:
    headers = rng.sample(HEADERS, rng.randint(3, len(HEADERS)))
    first_year = rng.randint(1990, 2010)
    years = range(first_year, first_year + rng.randint(5, 20))
    furniture = rng.random() < 0.3
    nulls = rng.random() < 0.3
    lines = ["", f"{rng.randint(2, 14)}. Appendix", ""]
    wrapped = [_wrap_header(h, rng) for h in headers]
    lines += [f"Year {wrapped[0][0]}", *wrapped[0][1:], ""]
    for header in wrapped[1:]:
        lines += [*header, ""]
    columns = [_series(h, years, rng) for h in headers]
    for i, year in enumerate(years):
        cells = ["-" if nulls and i == 0 and c == len(headers) - 1 else columns[c][i] for c in range(len(headers))]
        lines += [f"{year} {' '.join(cells)} ", ""]
        if furniture and i == len(years) // 2:
            lines += [f"{FURNITURE} {rng.randint(10, 300)}", ""]
    lines += ["Source: compiled by the authors from statistical yearbooks.", ""]
    table: dict[str, object] = {"dataset": "annual_indicators", "parser": "indicator_table", "key_header": "Year"}
    if furniture:
        table["page_furniture"] = [rf"{FURNITURE} \d+"]
    if nulls:
        table["null_tokens"] = ["-"]
    return "\n".join(lines), table


def _wrap(text: str, rng: random.Random) -> list[str]:
    width = rng.randint(45, 60)
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def zone_extract(rng: random.Random, cities: list[str]) -> tuple[str, dict[str, object]]:
    lines = ["", "Table 2. Cross-border e-commerce pilot zones in the sample", "", "Region Extent Main Objectives", ""]
    for city in rng.sample(cities, rng.randint(4, 12)):
        extent = rng.choice(EXTENTS)
        lines += [f"{city} {extent}", ""] if rng.random() < 0.7 else [city, extent, ""]
        objectives = ". ".join(p[0].upper() + p[1:] for p in rng.sample(PHRASES, rng.randint(1, 4))) + "."
        for line in _wrap(objectives, rng):
            lines += [line, ""]
    lines += ["Notes: extents as printed in the source.", ""]
    table: dict[str, object] = {
        "dataset": "pilot_zones",
        "parser": "zone_table",
        "header": "Region Extent Main Objectives",
        "extents": list(EXTENTS),
    }
    return "\n".join(lines), table


def news_extract(rng: random.Random, cities: list[str], year: int) -> str:
    paragraphs = []
    for city in rng.sample(cities, rng.randint(2, 5)):
        value = rng.uniform(1, 900)
        growth = rng.uniform(2, 60)
        firms = rng.randint(30, 9000)
        templates = [
            f"Cross-border e-commerce imports and exports in {city} reached {value:.1f} billion yuan "
            f"in {year - 1}, up {growth:.1f} percent year on year.",
            f"More than {firms:,} cross-border e-commerce companies are registered in {city}, local officials said.",
            f"Exports through the {city} pilot zone rose {growth:.1f}% to {value:.2f} million US dollars.",
            f"Parcels handled in {city} reached {firms * 1000:,} in {year - 1}.",
        ]
        paragraphs.append(" ".join(rng.sample(templates, rng.randint(1, len(templates)))))
    title = f"Cross-border e-commerce keeps growing in {len(paragraphs)} pilot zones"
    return "\n\n".join([title, *paragraphs, "Related Stories"]) + "\n"


def _reference_cities(raw: Path) -> list[str]:
    import csv

    with (raw / "reference" / "pilot_zones_reference.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = [r["city"] for r in rows]
    return sorted({n for n in names if names.count(n) == 1})  # a name two zones share needs a province


def generate(out: Path, n: int, *, source_raw: Path = Path("raw"), seed: int = 7) -> list[str]:
    """Write a raw folder with the real sources and ``n`` synthetic extracts; return the new ids.

    ``out`` is replaced if it holds an earlier generated corpus; any other existing folder is refused."""
    out, source_raw = out.resolve(), source_raw.resolve()
    if out == source_raw or out.is_relative_to(source_raw) or source_raw.is_relative_to(out):
        raise SystemExit(
            f"{out}: refusing to write a synthetic corpus over or around {source_raw}; choose another folder."
        )
    if out.exists():
        if not (out / "extracts" / "synthetic").is_dir():
            raise SystemExit(f"{out} exists and is not a generated corpus; remove it or choose another folder.")
        shutil.rmtree(out)
    shutil.copytree(source_raw, out)
    cities = _reference_cities(out)
    text = (out / "sources.yaml").read_text(encoding="utf-8")
    real, problems = read_registry(out)
    if problems:
        raise SystemExit(f"{source_raw}/sources.yaml has problems: {problems}")
    entries = []
    (out / "extracts" / "synthetic").mkdir(parents=True)
    for i in range(n):
        rng = random.Random(f"{seed}/{i}")
        kind = KINDS[i % len(KINDS)]
        year = rng.randint(2016, 2025)
        source_id = f"syn_{kind}_{i:05d}"
        entry: dict[str, object] = {"id": source_id, "path": f"extracts/synthetic/{source_id}.txt"}
        if kind == "news":
            body = news_extract(rng, cities, year)
            published = f"{year}-06-{i % 28 + 1:02d}"
            entry |= {"kind": "news_article", "title": f"Synthetic article {i}", "published": published}
        else:
            body, table = indicator_extract(rng) if kind == "indicator" else zone_extract(rng, cities)
            entry |= {"kind": "pdf_table_extract", "title": f"Synthetic appendix {i}", "published": str(year)}
            entry["tables"] = [table]
        data = body.encode("utf-8")
        (out / str(entry["path"])).write_bytes(data)
        entry |= {
            "sha256": hashlib.sha256(data).hexdigest(),
            "publisher": "synthetic (devtools.synthetic)",
            "url": None,
            "extracts": "benchmark data",
        }
        entries.append(entry)
    listing = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=200)
    indented = "".join(f"  {line}\n" for line in listing.splitlines())
    (out / "sources.yaml").write_text(text.rstrip("\n") + "\n\n  # synthetic extracts\n" + indented, encoding="utf-8")
    assert len(real) + n == len(read_registry(out)[0])
    return [str(e["id"]) for e in entries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.n, seed=args.seed)
    print(f"wrote {args.n} synthetic extracts to {args.out}")


if __name__ == "__main__":
    main()
