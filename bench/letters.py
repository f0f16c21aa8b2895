"""Letter rendering figures: one beschikking, and a batch of 1,000 over a process pool (all cores)."""

from __future__ import annotations

import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

# The sample letter of the letter tests: a two-page beschikking with a two-year breakdown from the policy engine.
from tests.workbench.letters.test_letters import render


def _render_one(_: int) -> int:
    return len(render("beschikking_integrale_beoordeling"))


def single(times: int = 20) -> list[float]:
    _render_one(0)  # fonts registered, templates loaded
    out = []
    for _ in range(times):
        start = time.perf_counter()
        _render_one(0)
        out.append(time.perf_counter() - start)
    return out


def batch(count: int = 1000) -> float:
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_render_one, range(workers)))  # warm every worker
        start = time.perf_counter()
        sizes = list(pool.map(_render_one, range(count), chunksize=25))
    assert all(size > 10_000 for size in sizes)
    return time.perf_counter() - start


if __name__ == "__main__":
    s = single()
    print(f"one beschikking: median {statistics.median(s) * 1000:.1f} ms; 1,000 in a batch: {batch():.1f} s")
