"""The package's layers import only downward, and only ``pipeline/defs/`` imports Dagster.

The order is the one in the README's "Layout" section. A module may import from its own layer and the
layers below it; every import counts, including those inside functions (a lazy import is still a
dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.settings import PACKAGE_DIR

# lowest first; a module belongs to the first entry whose prefix it has
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "records",
        (
            "pipeline.errors",
            "pipeline.jsonable",
            "pipeline.settings",
            "pipeline.corrections",
            "pipeline.records",
            "pipeline.versions",
            "pipeline.ids",
            "pipeline.bulk",
            "pipeline.workers",
        ),
    ),
    ("metadata", ("pipeline.metadata",)),
    ("raw", ("pipeline.raw",)),
    ("store", ("pipeline.store",)),
    ("parse", ("pipeline.parse",)),
    ("clean", ("pipeline.clean",)),
    ("steps", ("pipeline.steps",)),
    ("crosscheck", ("pipeline.crosscheck",)),
    ("validate", ("pipeline.validate",)),
    ("publish", ("pipeline.publish",)),
    ("report", ("pipeline.report",)),
    ("cli", ("pipeline.cli", "pipeline.__main__")),
    ("defs", ("pipeline.defs",)),
    ("definitions", ("pipeline.definitions",)),
]


def layer_of(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    raise LookupError(module)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file; ``from pipeline.x import y`` counts ``pipeline.x.y``
    too, which is a module where ``y`` is one."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path}:{node.lineno}: use absolute imports"
            found.append((node.lineno, node.module))
            found += [
                (node.lineno, f"{node.module}.{a.name}") for a in node.names if _is_module(f"{node.module}.{a.name}")
            ]
    return found


def _is_module(name: str) -> bool:
    base = PACKAGE_DIR.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_layer() -> None:
    missing = [module_name(p) for p in MODULES if module_name(p) != "pipeline" and not _has_layer(module_name(p))]
    assert missing == [], f"add these modules to a layer in LAYERS and the README: {missing}"


def _has_layer(module: str) -> bool:
    try:
        layer_of(module)
    except LookupError:
        return False
    return True


def upward_imports() -> list[str]:
    problems = []
    for path in MODULES:
        name = module_name(path)
        if name == "pipeline":
            continue
        own = layer_of(name)
        for line, target in imports(path):
            if target != "pipeline" and target.startswith("pipeline.") and layer_of(target) > own:
                problems.append(
                    f"{path.relative_to(PACKAGE_DIR.parent)}:{line}: {name} ({LAYERS[own][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]}), a layer above it"
                )
    return problems


def test_no_module_imports_from_a_layer_above_it() -> None:
    assert upward_imports() == []


def test_only_defs_imports_dagster() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE_DIR.parent)}:{line}: imports {target}"
        for p in MODULES
        if not module_name(p).startswith("pipeline.defs")
        for line, target in imports(p)
        if target.split(".")[0] in {"dagster", "dagster_celery", "dagster_postgres"}
    ]
    assert offenders == []


def test_the_layer_test_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself: a parse module that imports the report is reported with its file and line."""
    fake = tmp_path / "pipeline"
    (fake / "parse").mkdir(parents=True)
    (fake / "report").mkdir()
    (fake / "parse" / "bad.py").write_text("import os\n\nfrom pipeline.report.html import render_html\n")
    (fake / "report" / "html.py").write_text("def render_html(): ...\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE_DIR", fake)
    monkeypatch.setattr(f"{__name__}.MODULES", sorted(fake.rglob("*.py")))
    assert upward_imports() == [
        "pipeline/parse/bad.py:3: pipeline.parse.bad (parse) imports pipeline.report.html (report), a layer above it"
    ]
