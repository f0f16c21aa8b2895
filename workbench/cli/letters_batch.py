"""`workbench letters batch`: a draft of one letter for every case in a phase, and its CONCEPT PDF in a folder,
rendered on every core; a case whose draft cannot be made is named and skipped, and the exit code says so."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from workbench.cases.models import Case
from workbench.cases.phases import PHASES, check_phase
from workbench.cli.letters_input import is_besluit, labelled, parse_sets, template_named
from workbench.clock import today
from workbench.errors import UserError, ValidationError
from workbench.letters import copies
from workbench.letters.batch import RenderJob, render_many
from workbench.letters.case_defaults import formal_name
from workbench.letters.models import Letter
from workbench.letters.service import LetterInfo
from workbench.letters.templates import Template, addressee_lines
from workbench.parties.models import Parent
from workbench.progress import Progress

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

Opened = Callable[[Path], AbstractContextManager["Workspace"]]
Naming = Callable[[Template | None], AbstractContextManager[None]]


class StderrProgress:
    """Progress on stderr: one updating line on a terminal, else a line per tenth (and the last), for logs."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._shown: tuple[str, int] | None = None

    def report(self, progress: Progress) -> None:
        if not progress.total:
            return
        if self._tty:
            end = "\n" if progress.done == progress.total else ""
            print(f"\r{progress.label}: {progress.done}/{progress.total}", end=end, file=sys.stderr, flush=True)
            return
        tenth = 10 * progress.done // progress.total
        if self._shown != (progress.label, tenth):
            self._shown = (progress.label, tenth)
            print(f"{progress.label}: {progress.done}/{progress.total}", file=sys.stderr, flush=True)


def _folder(path: Path) -> Path:
    """The folder for the PDFs: made (owner only) when missing, refused when it cannot be written."""
    if path.exists() and not path.is_dir():
        raise ValidationError(f"--out moet een map zijn, geen bestand: {path}.", field="out")
    if not path.exists():
        if not path.parent.is_dir():
            raise ValidationError(f"De map boven --out bestaat niet: {path.parent}.", field="out")
        try:
            path.mkdir(mode=0o700)
        except OSError as exc:
            raise ValidationError(f"Kan de map {path} niet maken: {exc.strerror or exc}.", field="out") from None
    if not os.access(path, os.W_OK):
        raise ValidationError(f"Geen schrijfrechten voor --out: {path}.", field="out")
    return path


def _recipient(uow: UnitOfWork, case: Case, template: Template, values: dict[str, object]) -> tuple[str, ...]:
    # The same address block as LetterService renders: the template's addressee, else the parent.
    if template.addressee:
        return tuple(addressee_lines(template, values))
    parent = uow.session.get(Parent, case.parent_id)
    if parent is None:
        return ()
    lines = (formal_name(parent), f"{parent.street} {parent.house_number}".strip(),
             f"{parent.postcode}  {parent.city}".strip())
    return tuple(line for line in lines if line)


def _job(uow: UnitOfWork, info: LetterInfo, template: Template) -> RenderJob:
    row = uow.session.get(Letter, info.id)
    case = uow.session.get(Case, info.case_id)
    assert row is not None and case is not None  # just made in this unit of work
    return RenderJob(template_id=template.id, values=dict(row.field_values), reference=info.reference,
                     case_reference=case.reference, letter_date=today(uow.clock),
                     recipient_lines=_recipient(uow, case, template, row.field_values), draft=True)


def _drafts(ws: Workspace, template: Template, phase: str, values: dict[str, object],
            progress: StderrProgress) -> tuple[list[tuple[LetterInfo, RenderJob]], list[str]]:
    """One draft per case in the phase, each in its own unit of work: a case that fails leaves nothing behind."""
    with ws.unit_of_work() as uow:
        cases = list(uow.session.execute(select(Case.id, Case.reference)
                                         .where(Case.phase == phase, Case.deleted_at.is_(None))
                                         .order_by(Case.reference)))
    made: list[tuple[LetterInfo, RenderJob]] = []
    failed: list[str] = []
    for done, (case_id, reference) in enumerate(cases, start=1):
        try:
            with ws.unit_of_work() as uow:
                info = ws.letters.create_draft(uow, case_id, template_id=template.id, values=dict(values))
                made.append((info, _job(uow, info, template)))
        except UserError as exc:
            error = labelled(exc, template)
            where = f" [{error.field}]" if error.field else ""
            print(f"workbench: {reference}: {error.text()}{where}", file=sys.stderr)
            failed.append(reference)
        progress.report(Progress(done, len(cases), "Concepten maken"))
    return made, failed


def _write_all(ws: Workspace, made: list[tuple[LetterInfo, RenderJob]], pdfs: Iterator[bytes],
               folder: Path) -> list[tuple[LetterInfo, Path]]:
    """Write each PDF (0600) and audit it as an export; a write that fails stops here, keeping the audit of the
    files already written."""
    written: list[tuple[LetterInfo, Path]] = []
    problem: UserError | None = None
    with ws.unit_of_work() as uow:
        for (info, _), pdf in zip(made, pdfs, strict=True):
            path = folder / (info.reference.replace("/", "_") + "_CONCEPT.pdf")
            try:
                copies.write_copy(path, pdf, field="out")
            except UserError as exc:
                problem = exc
                break
            copies.record_copy(uow, copies.LetterCopy(letter_id=info.id, case_id=info.case_id, pdf=pdf,
                                                      issued=False, file_name=path.name), how="pdf")
            written.append((info, path))
    if problem is not None:
        raise problem
    return written


def run_batch(args: argparse.Namespace, folder: Path, *, opened: Opened, naming: Naming) -> int:
    """Options are checked before the passphrase is asked; stdout gets `id, case, file` per letter made."""
    template = template_named(args.template)
    if is_besluit(template):
        raise ValidationError("Een besluit maakt u per zaak, met de feiten van die zaak: batch maakt alleen brieven.",
                              field="template")
    try:
        phase = check_phase(args.phase)
    except ValidationError:
        raise ValidationError(f"Fase {args.phase!r} bestaat niet; kies uit {', '.join(PHASES)}.",
                              field="phase") from None
    out = _folder(args.out)
    with naming(template):
        values = parse_sets(template, args.set)
    progress = StderrProgress()
    with opened(folder) as ws:
        made, failed = _drafts(ws, template, phase, values, progress)
        written = _write_all(ws, made, render_many([job for _info, job in made], progress=progress), out) \
            if made else []
    for info, path in written:
        print(f"{info.id}\t{info.reference.split('/')[0]}\t{path}")
    print(f"{len(written)} concepten gemaakt voor fase {PHASES[phase]} in {out}. "
          f"{copies.NOT_ENCRYPTED.replace('dit bestand is', 'deze bestanden zijn')}", file=sys.stderr)
    if failed:
        cases = "zaak" if len(failed) == 1 else "zaken"
        print(f"workbench: {len(failed)} {cases} mislukt: {', '.join(failed)}.", file=sys.stderr)
        return 1
    return 0
