"""Copies of a letter outside the store (a PDF file, paper): the PDF to copy, and the audit event once it is made."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from workbench.audit.chain import AuditEntry
from workbench.errors import BugError, UserError
from workbench.letters.service import LetterService
from workbench.store.unit_of_work import UnitOfWork

# Said wherever a PDF leaves the encrypted store as a file.
NOT_ENCRYPTED = "Let op: dit bestand is niet versleuteld."
# audit verb per way of copying: a file leaves the encrypted store (export), paper leaves the device (print)
VERBS = {"pdf": "export", "print": "print"}


@dataclass(frozen=True)
class LetterCopy:
    """The PDF to save or print.

    Attributes:
        letter_id, case_id: what it is a copy of.
        pdf: the stored PDF of an issued letter, else a CONCEPT preview.
        issued: False when the copy carries the CONCEPT watermark.
        file_name: a suggested file name without personal data (the letter's kenmerk).
    """

    letter_id: str
    case_id: str
    pdf: bytes
    issued: bool
    file_name: str


def copy_of(uow: UnitOfWork, letter_id: str, *, letters: LetterService | None = None) -> LetterCopy:
    """The PDF a copy is made from (reading it is audited as a view, by `LetterService.preview`)."""
    service = letters or LetterService()
    info = service.get(uow, letter_id)
    pdf = service.preview(uow, letter_id)
    name = info.reference.replace("/", "_") + ("" if info.status == "issued" else "_CONCEPT") + ".pdf"
    return LetterCopy(letter_id=info.id, case_id=info.case_id, pdf=pdf, issued=info.status == "issued",
                      file_name=name)


def record_copy(uow: UnitOfWork, copy: LetterCopy, *, how: str) -> None:
    """Audit that a copy was saved as a file (`how="pdf"`) or printed (`how="print"`), with the copy's hash.

    Call it after the copy was made: a cancelled save dialog or print job leaves no event.
    """
    verb = VERBS.get(how)
    if verb is None:
        raise BugError(f"unknown way of copying a letter: {how!r}")
    detail = f"kopie {'als pdf' if how == 'pdf' else 'afgedrukt'}; sha256={hashlib.sha256(copy.pdf).hexdigest()}"
    if not copy.issued:
        detail += "; concept"
    uow.audit(AuditEntry(verb, "letter", copy.letter_id, copy.case_id, detail=detail))


def write_copy(path: Path, pdf: bytes, *, field: str | None = None) -> None:
    """Write `pdf` readable by the owner only (mode 0600 from creation, never widened first), atomically: a crash
    leaves no half file under `path`. The file is not encrypted: say so (NOT_ENCRYPTED) where it is written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Kan {path} niet schrijven: {exc.strerror or exc}.", field=field) from None
