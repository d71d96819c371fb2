"""The scale benchmark: full, no-change and one-change runs at 100, 1,000 and 10,000 synthetic extracts,
plus the five real extracts with a breakdown of where the time goes. Writes ``benchmarks/results.md``.

Usage (one command; takes about 15 minutes on 2 cores)::

    uv run --frozen python benchmarks/scale.py [--sizes 100 1000 10000] [--repeats 3] [--work DIR]

For each size it generates a raw folder (``devtools.synthetic``: the real sources plus N synthetic
extracts, registered like real ones), then, ``--repeats`` times:

1. **full**: a fresh outputs folder and Dagster home (no cache), ``dagster job execute -j materialize_all``;
2. **no change**: the same command again;
3. **one change**: one synthetic article gets a new sentence and its registry sha256 is updated, then
   the command again (the article is restored afterwards).

Each run is timed from the command line (wall clock, including Python start-up and Dagster's run
overhead) and its peak memory is the largest sum of resident memory over the process and all its
children (the parse workers included), sampled every 50 ms from /proc. The table gives medians.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.synthetic import generate  # noqa: E402

STEP = re.compile(r'Finished execution of step "(?P<step>[a-z0-9_.\[\]]+)" in (?P<value>[0-9.]+)(?P<unit>ms|s|m)\b')
PARSED = re.compile(r"(\d+) documents: (\d+) from the cache, (\d+) parsed")
READ = re.compile(r"(\d+) articles: (\d+) from the cache, (\d+) read")
SHARD = re.compile(r"shard \d+: \w+: \d+ documents, (\d+) computed")


@dataclass
class Run:
    seconds: float
    peak_mib: float
    ok: bool
    steps: dict[str, float]
    parsed: int  # documents parsed or read (not from the cache)


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        match = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry)] = int(match.group(1)) if match else 0
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


def run_pipeline(raw: Path, outputs: Path, home: Path, log: Path) -> Run:
    env = {
        **os.environ,
        "PIPELINE_RAW_DIR": str(raw),
        "PIPELINE_OUTPUTS_DIR": str(outputs),
        "DAGSTER_HOME": str(home),
    }
    command = [sys.executable, "-m", "dagster", "job", "execute", "-m", "pipeline.definitions", "-j", "materialize_all"]
    peak = 0
    with log.open("w") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_kib(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    text = log.read_text()
    steps = {}
    for match in STEP.finditer(text):
        factor = {"ms": 0.001, "s": 1.0, "m": 60.0}[match["unit"]]
        steps[match["step"]] = float(match["value"]) * factor
    parsed = (
        sum(int(m.group(3)) for m in PARSED.finditer(text))
        + sum(int(m.group(3)) for m in READ.finditer(text))
        + sum(int(m.group(1)) for m in SHARD.finditer(text))
    )
    return Run(seconds, peak / 1024, code == 0, steps, parsed)


@dataclass
class Floors:
    dagster: float  # seconds: a job of as many trivial steps, through `dagster job execute`
    io: float  # seconds: read, decode and regex-scan every raw file
    assets: int
    checks: int


def graph_size(raw: Path, work: Path) -> tuple[int, int]:
    """(assets, asset checks) of ``materialize_all`` for ``raw``: observable raw files and materialisable
    assets, and every asset check, as the Dagster UI counts them."""
    code = (
        "import sys; from pathlib import Path; from pipeline.defs.location import ALL_JOB, build_definitions;"
        "g = build_definitions(Path(sys.argv[1]), Path(sys.argv[2])).resolve_asset_graph();"
        "print(len(list(g.get_all_asset_keys())), len(list(g.asset_check_keys)))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(raw), str(work / "graph-outputs")], cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assets, checks = done.stdout.split()[-2:]
    return int(assets), int(checks)


NUMBERS = re.compile(r"\d[\d,.]*")


def io_floor(raw: Path, repeats: int) -> float:
    """The least any pipeline over these bytes does: read every raw file, decode it, find every number."""
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        found = 0
        for path in files:
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += sum(1 for _ in NUMBERS.finditer(text))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def dagster_floor(assets: int, checks: int, work: Path, repeats: int) -> float:
    """Wall time of ``benchmarks/floor_job.py`` with as many trivial assets and checks, as the pipeline is run."""
    times = []
    for i in range(repeats):
        home = work / f"home-floor-{i}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        env = {**os.environ, "DAGSTER_HOME": str(home), "FLOOR_ASSETS": str(assets), "FLOOR_CHECKS": str(checks)}
        command = [sys.executable, "-m", "dagster", "job", "execute", "-f", "benchmarks/floor_job.py", "-j", "floor"]
        start = time.perf_counter()
        with (work / f"floor-{i}.log").open("w") as log:
            code = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
        times.append(time.perf_counter() - start)
        if code != 0:
            raise SystemExit(f"the floor job failed: see {work / f'floor-{i}.log'}")
    return statistics.median(times)


def floors(raw: Path, work: Path, repeats: int) -> Floors:
    assets, checks = graph_size(raw, work)
    return Floors(dagster_floor(assets, checks, work, repeats), io_floor(raw, repeats), assets, checks)


def _register(raw: Path, relative: str) -> None:
    """Point the registry entry of ``relative`` at the file's current sha256."""
    registry = raw / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    digest = hashlib.sha256((raw / relative).read_bytes()).hexdigest()
    pattern = re.compile(rf"(path: {re.escape(relative)}\n(?:    .*\n)*?    sha256: )[0-9a-f]{{64}}")
    updated, count = pattern.subn(lambda m: m.group(1) + digest, text)
    if count != 1:
        raise SystemExit(f"could not find the registry entry of {relative}")
    registry.write_text(updated, encoding="utf-8")


def measure(raw: Path, work: Path, repeats: int, label: str) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {"full": [], "no change": [], "one change": []}
    changed = next(iter(sorted((raw / "extracts" / "synthetic").glob("syn_news_*.txt"))), None)
    for i in range(repeats):
        outputs, home = work / f"outputs-{label}", work / f"home-{label}"
        for folder in (outputs, home):
            shutil.rmtree(folder, ignore_errors=True)
        home.mkdir(parents=True)
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        for kind in ("full", "no change"):
            runs[kind].append(run_pipeline(raw, outputs, home, work / f"{label}-{kind.replace(' ', '-')}-{i}.log"))
            print(
                f"{label} {kind} #{i + 1}: {runs[kind][-1].seconds:.1f} s, {runs[kind][-1].peak_mib:.0f} MiB",
                flush=True,
            )
        if changed is None:
            continue
        original = changed.read_bytes()
        relative = changed.relative_to(raw).as_posix()
        try:
            changed.write_bytes(original + f"\nExports through the pilot zone rose {i + 3}.5% in 2020.\n".encode())
            _register(raw, relative)
            runs["one change"].append(run_pipeline(raw, outputs, home, work / f"{label}-one-change-{i}.log"))
            print(f"{label} one change #{i + 1}: {runs['one change'][-1].seconds:.1f} s", flush=True)
        finally:
            changed.write_bytes(original)
            _register(raw, relative)
    return runs


def _median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(r, attribute) for r in runs) if runs else float("nan")


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024  # type: ignore[union-attr]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


GROUPS = {
    "parse (tables, figures, mentions)": (
        "parsed_documents",
        "indicator_table_cells",
        "zone_table_lines",
        "reported_figures",
        "zone_mentions",
    ),
    "clean (indicators, zones, findings, corrections, observations)": (
        "annual_indicators",
        "pilot_zones",
        "pilot_zone_batches",
        "findings",
        "corrections",
        "observations",
        "finding_observations",
        "exchange_rates",
        "sources",
    ),
    "publish and report": ("release", "quality_report"),
}


def _breakdown(run: Run) -> list[tuple[str, float]]:
    steps = dict(run.steps)
    for name in [n for n in steps if n.startswith("parsed_documents.")]:  # the shard graph: parsing
        steps["parsed_documents"] = steps.get("parsed_documents", 0.0) + steps.pop(name)
    rows = []
    for label, names in GROUPS.items():
        rows.append((label, sum(steps.pop(n, 0.0) for n in names)))
    observe = sum(v for k, v in list(steps.items()) if k.startswith("observe_raw"))
    for k in [k for k in steps if k.startswith("observe_raw")]:
        steps.pop(k)
    rows.append(("observe raw files", observe))
    rows.append(("validation (pandera, GX incl. its import, finding checks)", sum(steps.values())))
    rows.append(
        ("Python start-up, imports, Dagster run overhead (rest of wall time)", run.seconds - sum(v for _, v in rows))
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/pipeline-scale-benchmark"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument(
        "--render", type=Path, help="write results.md from a results.json of an earlier run instead of measuring"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    results: dict[int, dict[str, list[Run]]] = {}
    floor: dict[str, Floors] = {}
    if args.render:
        stored = json.loads(args.render.read_text(encoding="utf-8"))
        floor = {label: Floors(**f) for label, f in stored.pop("floors", {}).items()}
        loaded = {label: {kind: [Run(**r) for r in rs] for kind, rs in runs.items()} for label, runs in stored.items()}
        real = loaded.pop("real")
        results = {int(label): runs for label, runs in loaded.items()}
        args.sizes = sorted(results)
        args.repeats = len(real["full"])
    else:
        real = measure(ROOT / "raw", args.work, args.repeats, "real")
        floor["real"] = floors(ROOT / "raw", args.work, args.repeats)
        for size in args.sizes:
            raw = args.work / f"raw-{size}"
            generate(raw, size, source_raw=ROOT / "raw")
            results[size] = measure(raw, args.work, args.repeats, str(size))
            floor[str(size)] = floors(raw, args.work, args.repeats)

    lines = [
        "# Scale benchmark",
        "",
        f"Machine: {_machine()}. Command: `uv run --frozen python benchmarks/scale.py "
        f"--sizes {' '.join(map(str, args.sizes))} --repeats {args.repeats}`. Medians of {args.repeats} runs; "
        "wall time of `dagster job execute -j materialize_all` from the command line; peak memory is the largest "
        "resident total of the run and its worker processes. Every run's log is in the work folder.",
        "",
        "| extracts | full run | no-change re-run | one-change re-run | one change / full | peak memory (full) "
        "| documents parsed (no change) | all runs succeeded |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, runs in [("5 real", real), *((f"{n:,} + 5 real", results[n]) for n in args.sizes)]:
        full, same, one = (_median(runs[k], "seconds") for k in ("full", "no change", "one change"))
        ok = all(r.ok for rs in runs.values() for r in rs)
        changed = f"{one:.1f} s | {one / full:.0%}" if runs["one change"] else "– | –"  # real: nothing to change
        lines.append(
            f"| {label} | {full:.1f} s | {same:.1f} s | {changed} | "
            f"{_median(runs['full'], 'peak_mib'):.0f} MiB | {int(_median(runs['no change'], 'parsed'))} | "
            f"{'yes' if ok else '**no**'} |"
        )
    if floor:
        lines += [
            "",
            "## Beside the floors",
            "",
            "Measured in the same benchmark run: the **Dagster floor** is `benchmarks/floor_job.py`, a job of as many "
            "trivial assets and asset checks as the pipeline's graph for that raw folder, through the same "
            "`dagster job execute`; the **I/O floor** reads, decodes and regex-scans every raw file in-process.",
            "",
            "| extracts | assets + checks | Dagster floor | I/O floor | full / (Dagster + I/O) | no change − Dagster "
            "| one change − Dagster |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for label, key, runs in [("5 real", "real", real), *((f"{n:,} + 5 real", str(n), results[n])
                                                              for n in args.sizes)]:  # fmt: skip
            f = floor.get(key)
            if f is None:
                continue
            full, same, one = (_median(runs[k], "seconds") for k in ("full", "no change", "one change"))
            one_over = f"{one - f.dagster:+.1f} s" if runs["one change"] else "–"
            lines.append(
                f"| {label} | {f.assets} + {f.checks} | {f.dagster:.1f} s | {f.io:.2f} s | "
                f"{full / (f.dagster + f.io):.2f} | {same - f.dagster:+.1f} s | {one_over} |"
            )
        if "real" in floor and 10000 in results and "10000" in floor:
            big, f10, fr = results[10000], floor["10000"], floor["real"]
            full10 = _median(big["full"], "seconds")
            same10, one10 = _median(big["no change"], "seconds"), _median(big["one change"], "seconds")
            real_full = _median(real["full"], "seconds")
            goals = [
                ("10,000 extracts, full: ≤ 15 s and ≤ 2 × (Dagster + I/O floor)", f"{full10:.1f} s = "
                 f"{full10 / (f10.dagster + f10.io):.2f} ×", full10 <= 15 and full10 <= 2 * (f10.dagster + f10.io)),
                ("no change: ≤ Dagster floor + 1 s", f"{same10 - f10.dagster:+.1f} s", same10 <= f10.dagster + 1),
                ("one changed extract: ≤ Dagster floor + 2 s", f"{one10 - f10.dagster:+.1f} s",
                 one10 <= f10.dagster + 2),
                ("the five real extracts: ≤ 1.3 × the Dagster floor", f"{real_full / fr.dagster:.2f} ×",
                 real_full <= 1.3 * fr.dagster),
            ]  # fmt: skip
            lines += ["", "| target (#17) | measured | met |", "|---|---|---|"]
            lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in goals]
    if 1000 in results and 10000 in results:
        ratio = _median(results[10000]["full"], "seconds") / _median(results[1000]["full"], "seconds")
        lines += ["", f"time(10,000) / time(1,000) = **{ratio:.2f}** (full runs)."]
        big, real_full = results[10000], _median(real["full"], "seconds")
        full, one = _median(big["full"], "seconds"), _median(big["one change"], "seconds")
        parsed = int(_median(big["no change"], "parsed"))
        lines += ["", "## Against the targets", "", "| target | measured | met |", "|---|---|---|"]
        targets = [
            ("10,000 extracts end to end ≤ 60 s", f"{full:.1f} s", full <= 60),
            (
                "peak memory ≤ 2 GiB",
                f"{_median(big['full'], 'peak_mib'):.0f} MiB",
                _median(big["full"], "peak_mib") <= 2048,
            ),
            ("time(10,000) / time(1,000) ≤ 11", f"{ratio:.2f}", ratio <= 11),
            ("a no-change re-run parses nothing", f"{parsed} documents parsed", parsed == 0),
            (
                "one changed extract of 10,000 re-runs in ≤ 10% of the full time",
                f"{one:.1f} s = {one / full:.0%}",
                one <= 0.1 * full,
            ),
            ("the five real extracts, full run, warm, ≤ 30 s", f"{real_full:.1f} s", real_full <= 30),
        ]
        lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets]
    lines += ["", "## Where the time goes: the five real extracts, full run (median run)", ""]
    median_run = sorted(real["full"], key=lambda r: r.seconds)[len(real["full"]) // 2]
    lines += ["| part | seconds |", "|---|---:|"]
    lines += [f"| {label} | {value:.2f} |" for label, value in _breakdown(median_run)]
    lines.append(f"| **wall time** | **{median_run.seconds:.2f}** |")
    if args.sizes:
        largest = max(args.sizes)
        run = sorted(results[largest]["full"], key=lambda r: r.seconds)[len(results[largest]["full"]) // 2]
        lines += ["", f"## Where the time goes: {largest:,} extracts, full run (median run)", ""]
        lines += ["| part | seconds |", "|---|---:|"]
        lines += [f"| {label} | {value:.2f} |" for label, value in _breakdown(run)]
        lines.append(f"| **wall time** | **{run.seconds:.2f}** |")
        slowest = sorted(run.steps.items(), key=lambda kv: -kv[1])[:10]
        lines += ["", "Slowest steps: " + ", ".join(f"`{k}` {v:.2f} s" for k, v in slowest) + "."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw_runs = {
        label: {kind: [r.__dict__ for r in rs] for kind, rs in runs.items()}
        for label, runs in [("real", real), *((str(n), results[n]) for n in args.sizes)]
    }
    raw_runs["floors"] = {label: f.__dict__ for label, f in floor.items()}  # type: ignore[assignment]
    (args.work / "results.json").write_text(json.dumps(raw_runs, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
