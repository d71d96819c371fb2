"""Time and memory of the news extractors against input size: linear, and hostile text costs no more.

Usage (one command, about a minute)::

    python3 -m uv run --frozen python benchmarks/extract_size.py [--sizes 1 2.5 5 10]

Each case runs in a fresh process (so its peak resident memory is its own): a real article repeated to
N MB, run through both per-document functions of the news steps (figures and zone mentions, directly:
the pipeline itself refuses an extract over ``MAX_EXTRACT_BYTES``), a 40 kB run of number words and a
1 MB line of "one two three ...", both of which took from 45 s to minutes before the count pattern was
bounded, and a 40 kB sentence that lists 1,500 amounts (29 s before each figure's clause was read within
240 characters of it). Prints a table and writes ``benchmarks/extract_size.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import pandas as pd
from pipeline.clean.figures import reported_figure_records
from pipeline.clean.mentions import MentionIndex, zone_mention_records
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.settings import DEFAULT_RAW_DIR

kind, size = sys.argv[1], float(sys.argv[2])
zones = read_reference_zones(str(DEFAULT_RAW_DIR / "reference/pilot_zones_reference.csv"))
index = MentionIndex.of(zones, read_reference_batches(str(DEFAULT_RAW_DIR / "reference/pilot_zone_batches_reference.csv")))
if kind == "one sentence of figures":  # a list of amounts in one sentence: every figure's clause is near it
    text = "Exports: " + ", ".join(f"{i} billion yuan in {2000 + i % 20}" for i in range(int(size * 1e6 / 26))) + "."
elif kind == "article":
    base = (DEFAULT_RAW_DIR / "extracts/002_361f6253e45d23b0.txt").read_text(encoding="utf-8") + "\n\n"
    text = base * int(size * 1e6 / len(base) + 1)
else:
    text = " ".join(["one", "two", "three"] * int(size * 1e6 / 14 + 1))
    if kind == "number words":
        text = "Output was " + text[: int(size * 1e6)] + " zones."
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
figures = reported_figure_records(text, "x", "2018-03-19", zones["city"].tolist())
mentions = zone_mention_records(text, "x", "2018-03-19", index)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"chars": len(text), "seconds": seconds, "peak_mib": peak / 1024, "figures": len(figures),
                  "mentions": len(mentions)}))
"""


def run(kind: str, size: float) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(size)], capture_output=True, text=True, timeout=1800, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2.5, 5, 10], help="article sizes in MB")
    args = parser.parse_args()
    cases = [("article", s) for s in args.sizes] + [
        ("number words", 0.04), ("one line of words", 1.0), ("one sentence of figures", 0.04)
    ]  # fmt: skip
    rows = ["| input | characters | time | per MB | peak memory | figures | mentions |", "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, size in cases:
        r = run(kind, size)
        per_mb = r["seconds"] / (r["chars"] / 1e6)
        rows.append(
            f"| {kind}, {size:g} MB | {r['chars']:,} | {r['seconds']:.2f} s | {per_mb:.2f} s | {r['peak_mib']:.0f} MiB "
            f"| {r['figures']:,} | {r['mentions']:,} |"
        )
        print(rows[-1], flush=True)
    machine = f"{platform.machine()}, Python {platform.python_version()}, {platform.system()}"
    text = (
        "# News extractors against input size\n\n"
        f"`python3 -m uv run --frozen python benchmarks/extract_size.py` on {machine} (one run each).\n\n"
        + "\n".join(rows)
        + "\n"
    )
    (HERE / "extract_size.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
