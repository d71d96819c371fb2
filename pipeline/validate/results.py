"""The result of one validation, as the asset checks, the publish gate and the report see it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["ERROR", "WARN"]


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one dataset: passed or not, how serious a failure is, and the failing rows."""

    dataset: str
    check: str
    passed: bool
    severity: Severity
    description: str
    failures: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity == "ERROR"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckOutcome:
        return cls(**data)
