"""Render many letters over a pool of processes (one per core), each warmed up once: fonts, styles, templates.

Rendering is CPU-bound pure Python, so threads would share one core; processes use them all. Workers are
started with "spawn", never "fork": the window runs Qt threads, and forking a threaded process can deadlock.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from workbench.letters.flowables import styles
from workbench.letters.organisation import organisation
from workbench.letters.render import register_fonts, render_pdf
from workbench.letters.templates import compiled, load_template
from workbench.progress import CancelToken, Progress, ProgressSink

# below this many letters starting processes costs more than it saves
INLINE_BELOW = 24


@dataclass(frozen=True)
class RenderJob:
    """One letter to render; everything in it is plain data, so it can be sent to a worker process."""

    template_id: str
    values: dict[str, Any] = field(hash=False)
    reference: str
    case_reference: str
    letter_date: dt.date
    recipient_lines: tuple[str, ...]
    draft: bool = False


def render_job(job: RenderJob) -> bytes:
    """The PDF of one job (ValidationError naming the field when a value is missing or wrong)."""
    return render_pdf(load_template(job.template_id), job.values, reference=job.reference,
                      case_reference=job.case_reference, letter_date=job.letter_date,
                      recipient_lines=list(job.recipient_lines), draft=job.draft)


def warm_up(template_ids: Sequence[str]) -> None:
    """Do once per process what every render needs: fonts, styles, the organisation, parsed and compiled
    templates. A worker pays this before its first letter instead of during it."""
    register_fonts()
    styles()
    organisation()
    for template_id in template_ids:
        for block in load_template(template_id).body:
            compiled(block.text)


def _chunks(count: int, workers: int) -> int:
    # several chunks per worker keep both cores busy to the end; large chunks keep pickling overhead low
    return max(1, min(32, count // (workers * 4)))


def render_many(jobs: Sequence[RenderJob], *, workers: int | None = None, progress: ProgressSink | None = None,
                cancel: CancelToken | None = None) -> Iterator[bytes]:
    """The PDFs of `jobs`, in order, rendered on `workers` processes (default: every core).

    Reports progress after each letter and checks `cancel` between letters (Cancelled stops the pool).
    A job with invalid values raises its ValidationError here, at its place in the order.
    """
    total = len(jobs)
    workers = max(1, min(workers or os.cpu_count() or 1, total))
    ids = sorted({job.template_id for job in jobs})
    if workers == 1 or total < INLINE_BELOW:
        warm_up(ids)
        results: Iterator[bytes] = map(render_job, jobs)
        yield from _reported(results, total, progress, cancel)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_up,
                             initargs=(ids,)) as pool:
        try:
            yield from _reported(pool.map(render_job, jobs, chunksize=_chunks(total, workers)), total, progress,
                                 cancel)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _reported(results: Iterator[bytes], total: int, progress: ProgressSink | None,
              cancel: CancelToken | None) -> Iterator[bytes]:
    for done, pdf in enumerate(results, start=1):
        if cancel is not None:
            cancel.check()
        if progress is not None:
            progress.report(Progress(done, total, "Brieven maken"))
        yield pdf
