"""Letter rendering figures: one beschikking, and a batch of 1,000 over a process pool (all cores).

`python -m bench.letters` runs only this section (no store generation) and prints the medians.
"""

from __future__ import annotations

import statistics
import sys
import time

from tests.workbench.letters.samples import CASE_REFERENCE, DAY, render, values_for
from workbench.letters.batch import RenderJob, render_many

# The sample letter of the letter tests: a two-page beschikking with a two-year breakdown from the policy engine.
TEMPLATE = "beschikking_integrale_beoordeling"


def _render_one() -> int:
    return len(render(TEMPLATE))


def single(times: int = 40) -> list[float]:
    """Wall-clock seconds of one render, after a first one that registers fonts and loads the template."""
    _render_one()
    out = []
    for _ in range(times):
        start = time.perf_counter()
        _render_one()
        out.append(time.perf_counter() - start)
    return out


def jobs(count: int) -> list[RenderJob]:
    values = values_for(TEMPLATE)
    return [RenderJob(TEMPLATE, values, reference=f"{CASE_REFERENCE}/BR-{n:08X}", case_reference=CASE_REFERENCE,
                      letter_date=DAY, recipient_lines=("M. Jansen", "Lindelaan 12", "1234 AB  Zaandam"))
            for n in range(count)]


def batch(count: int = 1000) -> float:
    """Seconds for `count` letters through `render_many`, process start and per-process warm-up included."""
    work = jobs(count)
    start = time.perf_counter()
    sizes = [len(pdf) for pdf in render_many(work)]
    elapsed = time.perf_counter() - start
    assert len(sizes) == count and all(size > 10_000 for size in sizes)
    return elapsed


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 3
    one = [statistics.median(single()) for _ in range(rounds)]
    many = [batch() for _ in range(rounds)]
    print(f"one beschikking: median {statistics.median(one) * 1000:.1f} ms (rounds: "
          f"{', '.join(f'{x * 1000:.1f}' for x in one)}); 1,000 in a batch: median {statistics.median(many):.1f} s "
          f"(rounds: {', '.join(f'{x:.1f}' for x in many)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
