"""Lookups over spans sorted by position, by bisection: which spans overlap a range, which start in one.
The extractors ask these once per number; a linear scan there made a 5 MB article take minutes."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


class Taken:
    """Disjoint spans already claimed, in order; ``overlaps`` and ``add`` in O(log n) (plus a list insert)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        return at > 0 and self.ends[at - 1] > start

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


def starting_in(items: Sequence[T], starts: Sequence[int], low: int, high: int) -> Sequence[T]:
    """The items (sorted by start, with their ``starts``) that start in ``[low, high)``."""
    return items[bisect.bisect_left(starts, low) : bisect.bisect_left(starts, high)]
