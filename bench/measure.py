"""Timing helpers: repeat a callable, keep every sample, summarise as median and p95."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Samples:
    """Wall-clock durations in seconds of one measured thing."""

    name: str
    seconds: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.seconds.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile (the sample at or above 95% of the others)."""
        ordered = sorted(self.seconds)
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def repeat(name: str, fn: Callable[[], Any], *, times: int, warmup: int = 1) -> Samples:
    """Run `fn` `warmup` times unmeasured, then `times` times measured."""
    for _ in range(warmup):
        fn()
    samples = Samples(name)
    for _ in range(times):
        samples.add(timed(fn)[0])
    return samples


def interleaved(fns: dict[str, Callable[[], Any]], *, times: int, warmup: int = 1) -> dict[str, Samples]:
    """Like `repeat` for several callables, taking turns so background noise hits all of them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out = {name: Samples(name) for name in fns}
    for _ in range(times):
        for name, fn in fns.items():
            out[name].add(timed(fn)[0])
    return out
