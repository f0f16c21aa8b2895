"""Reading a dossier file and writing its rows into this store: all checked first, then all or nothing."""

from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from workbench.audit.chain import AuditEntry
from workbench.dossier.reconcile import MODELS, add_placeholders, batched, plan_import
from workbench.dossier.validation import check_format, validate_dossier
from workbench.errors import UserError
from workbench.i18n import ngettext
from workbench.letters.approval import without_review
from workbench.progress import CancelToken, Progress, ProgressSink
from workbench.store.unit_of_work import UnitOfWork

MAX_FILE_BYTES = 200 * 1024 * 1024
# Rows per flush: big enough that 10,000 story entries take seconds, small enough to report and cancel often.
CHUNK = 500
LABEL = "Dossier inlezen"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did.

    Attributes:
        written: rows added (parent, case, story ... ; stand-ins not counted).
        skipped: rows that were already in the store with exactly the same values.
        placeholders: stand-in users and teams added because this device did not know them.
    """

    case_id: str
    reference: str
    written: int
    skipped: int
    placeholders: int
    seconds: float

    def __str__(self) -> str:
        text = (f"zaak {self.reference}: {_thousands(self.written)} rijen nieuw, "
                f"{_thousands(self.skipped)} al aanwezig")
        if self.placeholders:
            text += ", " + ngettext("{n} onbekende medewerker of team als plaatsvervanger toegevoegd",
                                    "{n} onbekende medewerkers of teams als plaatsvervanger toegevoegd",
                                    self.placeholders).format(n=self.placeholders)
        return text + "."


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise UserError(f"Het importbestand bevat het veld '{key}' twee keer in hetzelfde object.",
                            field=key)
        out[key] = value
    return out


def _no_constant(name: str) -> NoReturn:
    raise UserError(f"Het importbestand bevat een ongeldig getal ({name}); JSON kent alleen gewone getallen.")


TOO_BIG = "Het importbestand is te groot ({mb} MB of meer; maximaal {limit} MB)."
NOT_A_FILE = ("Het importbestand is geen gewoon bestand (maar bijvoorbeeld een map, een apparaat of een pijp). "
              "Kies een exportbestand van hoogstens {limit} MB.")


def read_limited(file: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; a FIFO, device or folder is refused unread.

    Checked before opening (stat) and again on the opened file (fstat), and never more than the limit
    plus one byte is read, so a file that grows or a device that never ends cannot fill memory.
    """
    limit_mb = MAX_FILE_BYTES // (1024 * 1024)
    try:
        if not stat.S_ISREG(file.stat().st_mode):
            raise UserError(NOT_A_FILE.format(limit=limit_mb), field="bestand")
        # O_NONBLOCK: a FIFO swapped in after the check must not block the open.
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UserError(NOT_A_FILE.format(limit=limit_mb), field="bestand")
            if info.st_size > MAX_FILE_BYTES:
                raise UserError(TOO_BIG.format(mb=info.st_size // (1024 * 1024), limit=limit_mb), field="bestand")
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UserError(f"Het importbestand kan niet worden gelezen: {exc.strerror or exc}.",
                        field="bestand") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(TOO_BIG.format(mb=limit_mb, limit=limit_mb), field="bestand")
    return raw


def load_file(path: Path | str) -> dict[str, Any]:
    """The dossier in a file, parsed; a clear Dutch message for each way a file can be unusable."""
    raw = read_limited(Path(path))
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UserError("Het importbestand is geen geldige UTF-8-tekst.", field="bestand") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"regel {exc.lineno}, kolom {exc.colno}"
        raise UserError(f"Het importbestand is geen geldige JSON: fout op {where}.", field=where) from None
    except RecursionError:
        raise UserError("Het importbestand is te diep genest om in te lezen.", field="bestand") from None
    return check_format(data)


def import_dossier(uow: UnitOfWork, data: Any, *, progress: ProgressSink,
                   cancel: CancelToken) -> ImportSummary:
    """Write a dossier's rows into the caller's transaction, keeping their ids and bookkeeping.

    Everything is checked before the first row is written; any error or a cancel raises, and the caller's
    unit of work then rolls back, so nothing of the dossier is kept. Rows already present with the same
    values are skipped (importing twice is harmless). The dossier's own access log stays in the file:
    this device's audit chain records its own events, among them one "import" event for the whole dossier.
    """
    started = time.perf_counter()
    dossier = validate_dossier(data, cancel=cancel)
    session = uow.session
    session.flush()
    plan = plan_import(session, dossier)
    if "letters" in plan.new:  # review happens on this side: a new letter never arrives under review or approved
        plan.new["letters"] = [without_review(row) for row in plan.new["letters"]]
    cancel.check()
    placeholders = add_placeholders(uow, plan)
    total, done = plan.total, 0
    progress.report(Progress(0, total, LABEL))
    with uow.importing():
        for section, rows in plan.new.items():
            model = MODELS[section]
            for chunk in batched(rows, CHUNK):
                session.add_all([model(**row) for row in chunk])
                session.flush()
                done += len(chunk)
                progress.report(Progress(done, total, LABEL))
                cancel.check()
    case_id = dossier.case_id
    uow.audit(AuditEntry("import", "case", case_id, case_id, detail=f"{total} rijen"))
    session.flush()
    return ImportSummary(case_id=case_id, reference=str(dossier.rows["case"][0]["reference"]), written=total,
                         skipped=plan.skipped, placeholders=placeholders,
                         seconds=time.perf_counter() - started)
