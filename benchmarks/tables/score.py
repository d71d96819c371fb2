"""Score the table parser against the hand-written tables corpus (truth written before the parser saw it).

    uv run python benchmarks/tables/score.py --split dev|test|holdout|holdout2|both|all [--misses N] [--json]

Each case ``corpus/<split>/NN_<slug>.txt`` has its truth (``.truth.json``, see ``corpus/dev/FORMAT.md``),
the registry entry a user would write for it (``.tables.yaml``) and the dictionary rows for its headers
(``.dictionary.csv``). The case is parsed the way the pipeline parses a registered extract: its tables
through :func:`pipeline.parse.data_table.parse_tables` with the committed dictionary and region names
plus the case's own rows, and its headers mapped to indicators through the same dictionary reader.

Measured per case and in total:
- **cells**: a truth cell is *found* when the parser gives a cell for the same table, key and column;
  *fully right* when its value, printed text, footnote, total-row flag, line and correction all agree.
  *Extra* cells are cells the truth does not have (a wrong or invented number).
- **errors**: expected error lines reported as errors (*caught*), and errors on lines the truth reads
  (*spurious*). A table that fails as a whole (no header found) counts every one of its cells as missed.
- **tables**: header start and last row line right; furniture lines; stated source; printed headers;
  each column's unit from the dictionary.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.errors import SourceError  # noqa: E402
from pipeline.metadata.tables import table_spec  # noqa: E402
from pipeline.parse.data_table import header_key, parse_tables  # noqa: E402
from pipeline.raw.reference import HeaderDictionary, read_header_dictionary, read_region_names  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"


def load_case(txt: Path) -> tuple[dict, str, list, HeaderDictionary, dict[str, str]]:
    stem = txt.name[: -len(".txt")]
    truth = json.loads((txt.parent / f"{stem}.truth.json").read_text(encoding="utf-8"))
    text = txt.read_bytes().decode("utf-8")
    entry = yaml.safe_load((txt.parent / f"{stem}.tables.yaml").read_text(encoding="utf-8"))
    specs = [table_spec(t, f"{txt.name}, table {i}") for i, t in enumerate(entry["tables"], start=1)]
    committed = (ROOT / "raw" / "reference" / "indicator_headers.csv").read_text(encoding="utf-8")
    extra_path = txt.parent / f"{stem}.dictionary.csv"
    extra = extra_path.read_text(encoding="utf-8") if extra_path.exists() else ""
    combined = committed.rstrip("\n") + "\n" + "".join(extra.splitlines(keepends=True)[1:])
    dictionary = read_header_dictionary(io.StringIO(combined), str(extra_path))
    regions = read_region_names(ROOT / "raw" / "reference" / "regions.csv")
    return truth, text, specs, dictionary, regions


def score_case(txt: Path) -> dict[str, Any]:
    truth, text, specs, dictionary, regions = load_case(txt)
    result: dict[str, Any] = {"case": txt.name, "misses": []}
    expected_lines = {e["line"] for e in truth["expected_errors"]}
    truth_cells = sum(len(t["cells"]) for t in truth["tables"])
    result.update(cells=truth_cells, found=0, right=0, extra=0, expected_errors=len(expected_lines))
    try:
        tables = parse_tables(
            text, specs, path=txt.name, source_id=txt.stem, known_headers=dictionary.headers(), region_names=regions
        )
    except SourceError as error:
        result.update(failed=str(error), caught=0, spurious=0, tables=len(truth["tables"]), tables_right=0)
        result["misses"].append(f"whole file failed: {error}")
        return result
    problems = {n for t in tables for n, _ in t.problems}
    result["caught"] = len(expected_lines & problems)
    result["spurious"] = len(problems - expected_lines)
    for n, message in sorted((n, m) for t in tables for n, m in t.problems):
        if n not in expected_lines:
            result["misses"].append(f"spurious error line {n}: {message}")
    for n in sorted(expected_lines - problems):
        result["misses"].append(f"expected error not raised, line {n}")
    tables_right = furniture_right = sources_right = headers_right = units_right = columns = 0
    for index, expected in enumerate(truth["tables"]):
        if index >= len(tables):
            result["misses"].append(f"table {index + 1} not parsed")
            continue
        table = tables[index]
        place = (table.header_start_line, table.last_row_line) == (
            expected["header_start_line"],
            expected["last_row_line"],
        )
        tables_right += place
        if not place:
            result["misses"].append(
                f"table {index + 1}: lines {table.header_start_line}-{table.last_row_line}, "
                f"truth {expected['header_start_line']}-{expected['last_row_line']}"
            )
        furniture_right += sorted(table.furniture_lines) == sorted(expected["furniture_lines"])
        if sorted(table.furniture_lines) != sorted(expected["furniture_lines"]):
            result["misses"].append(
                f"table {index + 1}: furniture {table.furniture_lines}, truth {expected['furniture_lines']}"
            )
        sources_right += table.stated_source == expected["stated_source"]
        if table.stated_source != expected["stated_source"]:
            result["misses"].append(
                f"table {index + 1}: source {table.stated_source!r}, truth {expected['stated_source']!r}"
            )
        printed = [c["printed_header"] for c in expected["columns"]]
        columns += len(printed)
        for got, want, column in zip(table.headers, printed, expected["columns"], strict=False):
            headers_right += got == want
            if got != want:
                result["misses"].append(f"table {index + 1}: header {got!r}, truth {want!r}")
            entry = dictionary.lookup(got)
            unit = entry.unit if entry else None
            units_right += unit == column["unit"]
            if unit != column["unit"]:
                result["misses"].append(f"table {index + 1}: unit of {got!r} {unit!r}, truth {column['unit']!r}")
        if len(table.headers) != len(printed):
            result["misses"].append(f"table {index + 1}: {len(table.headers)} columns, truth {len(printed)}")
        got_cells = {}
        for row in table.rows:
            for cell in row.cells:
                got_cells[(row.key, header_key(table.headers[cell.column_index]))] = (row, cell)
        fixes = [c for c in table.corrections if c.field.startswith("cell")]
        want_keys = set()
        for want in expected["cells"]:
            key = (want["key"], header_key(want["column"]))
            want_keys.add(key)
            if key not in got_cells:
                result["misses"].append(
                    f"table {index + 1}: missed {want['key']} / {want['column']} ({want['printed']!r}, line {want['line']})"
                )
                continue
            result["found"] += 1
            row, cell = got_cells[key]
            corrected = (want["correction"] or {}).get("corrected")
            got_correction = next(
                (
                    c.after
                    for c in fixes
                    if (c.char_start, c.char_end) == (cell.char_start, cell.char_end)
                    or cell.char_start <= c.char_start < cell.char_end
                ),
                None,
            )
            if got_correction == "" and want["printed"] == "":
                got_correction = None  # a declared missing cell, not a correction of printed text
            checks = {
                "value": cell.value == want["value"] and (cell.value is None) == (want["value"] is None),
                "printed": cell.printed == want["printed"],
                "footnote": cell.footnote == want["footnote"],
                "total": row.is_total == want["is_total_row"],
                "line": row.line.number == want["line"],
                "correction": (corrected is None and got_correction is None)
                or (
                    (corrected is not None
                    and got_correction is not None
                    and corrected.startswith(got_correction))
                    or got_correction == corrected
                ),
            }
            if all(checks.values()):
                result["right"] += 1
            else:
                wrong = [k for k, ok in checks.items() if not ok]
                result["misses"].append(
                    f"table {index + 1}: {want['key']} / {want['column']}: wrong {', '.join(wrong)} "
                    f"(got value {cell.value!r} printed {cell.printed!r} footnote {cell.footnote!r} total {row.is_total} "
                    f"line {row.line.number} correction {got_correction!r}; truth {want['value']!r} {want['printed']!r} "
                    f"{want['footnote']!r} {want['is_total_row']} {want['line']} {corrected!r})"
                )
        for key, (row, cell) in got_cells.items():
            if key not in want_keys:
                result["extra"] += 1
                result["misses"].append(
                    f"table {index + 1}: extra cell {row.key} / {table.headers[cell.column_index]} = {cell.printed!r} (line {row.line.number})"
                )
    result.update(
        tables=len(truth["tables"]),
        tables_right=tables_right,
        furniture_right=furniture_right,
        sources_right=sources_right,
        columns=columns,
        headers_right=headers_right,
        units_right=units_right,
    )
    if len(tables) > len(truth["tables"]):
        result["misses"].append(f"{len(tables) - len(truth['tables'])} table(s) more than the truth")
    return result


def score(split: str) -> list[dict[str, Any]]:
    every = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    splits = {"both": ["dev", "test"], "all": every}.get(split, [split])
    return [score_case(txt) for s in splits for txt in sorted((CORPUS / s).glob("*.txt"))]


def totals(results: list[dict[str, Any]]) -> dict[str, int]:
    keys = [
        "cells",
        "found",
        "right",
        "extra",
        "expected_errors",
        "caught",
        "spurious",
        "tables",
        "tables_right",
        "furniture_right",
        "sources_right",
        "columns",
        "headers_right",
        "units_right",
    ]
    return {k: sum(int(r.get(k, 0)) for r in results) for k in keys} | {
        "cases": len(results),
        "failed_files": sum("failed" in r for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    splits = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
    parser.add_argument("--split", choices=[*splits, "both", "all"], default="dev", help="both: dev and test")
    parser.add_argument("--misses", type=int, default=0, help="show up to N misses per case")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    args = parser.parse_args(argv)
    results = score(args.split)
    for r in results:
        print(
            f"{r['case']:<48} cells {r['right']:>3}/{r['cells']:<3} right, {r['found']:>3} found, {r['extra']} extra; "
            f"errors {r.get('caught', 0)}/{r['expected_errors']} caught, {r.get('spurious', 0)} spurious"
            + ("  FAILED" if "failed" in r else "")
        )
        for miss in r["misses"][: args.misses]:
            print(f"    - {miss}")
    t = totals(results)
    pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "n/a"  # noqa: E731
    print(
        f"\n{args.split}: {t['cases']} cases, {t['tables']} tables, {t['cells']} cells: "
        f"fully right {t['right']} ({pct(t['right'], t['cells'])}), found {t['found']} ({pct(t['found'], t['cells'])}), "
        f"extra {t['extra']}; expected errors caught {t['caught']}/{t['expected_errors']}, spurious {t['spurious']}; "
        f"tables placed {t['tables_right']}/{t['tables']}, furniture {t['furniture_right']}/{t['tables']}, "
        f"sources {t['sources_right']}/{t['tables']}, headers {t['headers_right']}/{t['columns']}, "
        f"units {t['units_right']}/{t['columns']}; files failed whole: {t['failed_files']}"
    )
    if args.json:
        print(json.dumps(t, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
