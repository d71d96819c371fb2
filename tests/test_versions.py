"""A version per stage: an edit changes the code version of exactly the stages whose code it touches.

Each case copies the package, edits one module of the copy and reads, in a fresh interpreter on the
copy, every asset's Dagster ``code_version`` and every per-document step's cache version (the version
in each document's cache key: an unchanged one means no document is parsed again).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT
from pipeline.versions import normalized

PROBE = """
import json, os, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from pipeline.definitions import defs
from pipeline.steps.registry import all_steps
from pipeline.raw.registry import read_registry
from pipeline.versions import function_version
graph = defs.resolve_asset_graph()
assets = {k.to_user_string(): graph.get(k).code_version for k in graph.get_all_asset_keys()}
raw = Path(os.environ["PIPELINE_RAW_DIR"])
steps = {s.name: function_version(s.function) for s in all_steps(read_registry(raw)[0], raw)}
print(json.dumps({"assets": assets, "steps": steps}))
"""


def versions(roots: list[Path]) -> list[dict[str, dict[str, str]]]:
    """The probe's answer for each copy; the interpreters run at once (each mostly imports Dagster)."""
    runs = []
    for root in roots:
        env = {**os.environ, "PYTHONPATH": str(root), "PIPELINE_RAW_DIR": str(DEFAULT_RAW_DIR)}
        out, err = (root / "probe.out").open("wb"), (root / "probe.err").open("wb")  # files: no pipe to fill
        runs.append((subprocess.Popen([sys.executable, "-c", PROBE], cwd=root, env=env, stdout=out, stderr=err),
                     out, err))  # fmt: skip
    found = []
    for root, (run, out, err) in zip(roots, runs, strict=True):
        code = run.wait(timeout=300)
        out.close()
        err.close()
        assert code == 0, (root / "probe.err").read_text(errors="replace")[-2000:]
        found.append(json.loads((root / "probe.out").read_text().strip().splitlines()[-1]))
    return found


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, str]]]:
    """Versions of the package as it is, and after each edit, each in its own copy."""
    edits = {
        "as is": None,
        "report html": ("report/html.py", "\n\ndef _added_for_the_test() -> int:\n    return 1\n"),
        "figure parser": ("parse/figures.py", "\n\ndef _added_for_the_test() -> int:\n    return 1\n"),
        "figure parser comment": ("parse/figures.py", "\n# a comment added for the test\n"),
    }
    roots = {}
    for label, edit in edits.items():
        root = tmp_path_factory.mktemp(label.replace(" ", "_"))
        shutil.copytree(PROJECT_ROOT / "pipeline", root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(PROJECT_ROOT / "expectations", root / "expectations")
        if edit is not None:
            path = root / "pipeline" / edit[0]
            path.write_text(path.read_text(encoding="utf-8") + edit[1], encoding="utf-8")
        roots[label] = root
    return dict(zip(roots, versions(list(roots.values())), strict=True))


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before if before[k] != after[k]}


def test_editing_the_report_html_reparses_nothing_and_leaves_parse_and_curated_synced(copies: dict) -> None:
    base, edited = copies["as is"], copies["report html"]
    assert changed(base["steps"], edited["steps"]) == set()
    # the release folder holds the HTML report, so the release (its id) is the one asset it changes
    assert changed(base["assets"], edited["assets"]) == {"release"}


def test_editing_the_figure_parser_invalidates_the_news_steps_and_nothing_upstream(copies: dict) -> None:
    base, edited = copies["as is"], copies["figure parser"]
    assert changed(base["steps"], edited["steps"]) == {"reported_figures", "zone_mentions"}
    assets = changed(base["assets"], edited["assets"])
    # the table parsers, the raw files and what is built from tables alone keep their versions
    assert {"reported_figures", "zone_mentions"} <= assets
    untouched = {"indicator_table_cells", "zone_table_lines", "annual_indicators", "pilot_zone_batches"}
    assert assets & untouched == set()
    assert not any(key.startswith("raw/") for key in assets)


def test_a_comment_changes_no_version(copies: dict) -> None:
    assert copies["figure parser comment"] == copies["as is"]


def test_every_materialised_asset_has_a_version(copies: dict) -> None:
    assets = copies["as is"]["assets"]
    assert all(v for k, v in assets.items() if not k.startswith("raw/")), assets


def test_normalized_source_drops_docstrings_and_comments_only() -> None:
    one = 'def f(x):\n    """Doc."""\n    # why\n    return x + 1\n'
    two = 'def f(x):\n    """Other words."""\n\n    return x + 1  # another comment\n'
    three = 'def f(x):\n    """Doc."""\n    return x + 2\n'
    assert normalized(one) == normalized(two) != normalized(three)
    assert normalized('x = "not a docstring"\n') != normalized('x = "changed"\n')
