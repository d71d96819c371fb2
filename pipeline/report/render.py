"""Writing the report files of a release: ``quality_report.json`` and ``quality_report.html``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.report.html import render_html
from pipeline.store.workspace import write_json


def write_report(report: dict[str, Any], folder: Path, texts: dict[str, str] | None = None) -> None:
    write_json(folder / "quality_report.json", report)
    (folder / "quality_report.html").write_text(render_html(report, texts), encoding="utf-8")
