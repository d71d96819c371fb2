"""The first screen's "what changed" line per dataset (#15)."""

from __future__ import annotations

from pipeline.report.html import changed_summary


def _dataset(added: int = 0, removed: int = 0, changed: list[dict] | None = None) -> dict:
    changed = changed or []
    return {"added": added, "removed": removed, "changed": len(changed),
            "examples": {"added": [], "removed": [], "changed": changed}}  # fmt: skip


def test_one_line_per_changed_dataset_with_its_changed_values() -> None:
    changes = {
        "previous_release": "abc123",
        "datasets": {
            "reported_figures": _dataset(added=1, changed=[{"key": {"source_id": "s"}, "changes": {
                "measure": {"before": "other", "after": "ecommerce_market_value"}}}]),
            "pilot_zones": _dataset(),
        },
        "drift": {"reported_figures": {"added": ["value_high"], "removed": [], "retyped": []}},
    }  # fmt: skip
    html = "\n".join(changed_summary(changes))
    assert (
        "<li><code>reported_figures</code>: 1 added, 1 changed row(s) (e.g. measure other → ecommerce_market_value)"
        "</li>"
    ) in html
    assert "pilot_zones" not in html  # unchanged datasets are not listed
    assert "<li><code>reported_figures</code> schema: +value_high</li>" in html


def test_nothing_changed_and_first_release() -> None:
    assert "Nothing changed since release <code>abc</code>" in "".join(
        changed_summary({"previous_release": "abc", "datasets": {"x": _dataset()}, "drift": {}})
    )
    assert "first release" in "".join(changed_summary({"previous_release": None, "datasets": {}, "drift": {}}))
