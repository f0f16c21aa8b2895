"""Many letters over a pool of worker processes: same PDFs as one by one, in order, with progress and cancel."""

from __future__ import annotations

import pytest

from tests.workbench.letters.samples import CASE_REFERENCE, DAY, REFERENCE, render, values_for
from workbench.errors import ValidationError
from workbench.letters.batch import INLINE_BELOW, RenderJob, render_many
from workbench.progress import Cancelled, CancelToken, Progress

INVITE = "uitnodiging_huisbezoek"


def job(n: int, template_id: str = INVITE, **over: object) -> RenderJob:
    values = {**values_for(template_id), **over}
    return RenderJob(template_id, values, reference=f"{CASE_REFERENCE}/BR-{n:08X}", case_reference=CASE_REFERENCE,
                     letter_date=DAY, recipient_lines=("M. Jansen", "Lindelaan 12", "1234 AB  Zaandam"))


class Recorder:
    def __init__(self) -> None:
        self.seen: list[Progress] = []

    def report(self, progress: Progress) -> None:
        self.seen.append(progress)


def test_two_worker_processes_give_the_same_pdfs_in_order() -> None:
    jobs = [job(n, INVITE if n % 2 else "beschikking_kindregeling", **({"visit_time": f"{n}.00 uur"} if n % 2 else {}))
            for n in range(INLINE_BELOW + 2)]
    progress = Recorder()
    pooled = list(render_many(jobs, workers=2, progress=progress))
    inline = list(render_many(jobs, workers=1))
    assert pooled == inline and len(pooled) == len(jobs)
    assert pooled[1] != pooled[3]  # each letter is its own, not one repeated
    assert [p.done for p in progress.seen] == list(range(1, len(jobs) + 1))
    assert {p.total for p in progress.seen} == {len(jobs)}


def test_a_batch_letter_is_the_letter_rendered_alone() -> None:
    same = RenderJob(INVITE, values_for(INVITE), reference=REFERENCE, case_reference=CASE_REFERENCE, letter_date=DAY,
                     recipient_lines=("M. Jansen", "Lindelaan 12", "1234 AB  Zaandam"))
    assert list(render_many([same])) == [render(INVITE)]


def test_an_invalid_job_stops_the_batch_naming_the_field() -> None:
    jobs = [job(0), job(1, visit_date="31-02-2026")]
    results = render_many(jobs, workers=1)
    assert next(results)
    with pytest.raises(ValidationError) as err:
        next(results)
    assert err.value.field == "visit_date"


def test_cancel_stops_between_letters() -> None:
    token = CancelToken()
    results = render_many([job(n) for n in range(3)], workers=1, cancel=token)
    next(results)
    token.cancel()
    with pytest.raises(Cancelled):
        next(results)
