"""The `workbench caseload report` subcommand: the team's caseload as PDF (and CSV), audited as exports."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from workbench.clock import today
from workbench.dates import parse_date
from workbench.errors import UserError
from workbench.letters.copies import write_copy


def _target(path: Path | None, *, field: str, suffix: str) -> Path | None:
    """Refuse a path that cannot be written before anything is computed, naming the option."""
    if path is None:
        return None
    if path.suffix.lower() != suffix:
        raise UserError(f"Het bestand voor --{field} moet eindigen op {suffix}: {path}.", field=field)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"--{field} is een map, geen bestand: {path}.", field=field)
    if not folder.is_dir():
        raise UserError(f"De map voor --{field} bestaat niet: {folder}.", field=field)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"Geen schrijfrechten voor --{field}: {path}.", field=field)
    return path


def check_args(args: argparse.Namespace) -> tuple[Path, Path | None, dt.date | None]:
    """Validate the options (before the passphrase is asked): the PDF path, the CSV path, the as-of date."""
    if getattr(args, "caseload_command", None) != "report":
        raise UserError("caseload vraagt een subopdracht: report.", field="caseload")
    out = _target(args.out, field="out", suffix=".pdf")
    assert out is not None  # argparse requires --out
    csv_path = _target(args.csv, field="csv", suffix=".csv")
    if csv_path is not None and csv_path.resolve() == out.resolve():
        raise UserError("--csv en --out wijzen naar hetzelfde bestand.", field="csv")
    day = parse_date(args.date, field="date", label="Peildatum", required=False) if args.date else None
    return out, csv_path, day


def run(args: argparse.Namespace, folder: Path) -> int:
    """`workbench caseload report`: options are checked before the passphrase is asked."""
    from workbench.caseload.service import CaseloadService  # reportlab loads only for this command
    from workbench.cli.commands import _open

    out, csv_path, day = check_args(args)
    service = CaseloadService()
    ws = _open(folder)
    try:
        with ws.unit_of_work() as uow:
            as_of = day or today(uow.clock)
            pdf = service.export_report(uow, kind="pdf", today=as_of)
            table = service.export_report(uow, kind="csv", today=as_of) if csv_path else None
    finally:
        ws.close()
    write_copy(out, pdf, field="out")
    if csv_path is not None and table is not None:
        write_copy(csv_path, table, field="csv")
    written = f"{out}" + (f" en {csv_path}" if csv_path else "")
    print(f"Caseloadrapport (peildatum {as_of:%d-%m-%Y}) geschreven naar {written}. "
          "Let op: deze bestanden zijn niet versleuteld.", file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    caseload = sub.add_parser("caseload", help="caseload van het team (teamleider) of van uzelf")
    commands = caseload.add_subparsers(dest="caseload_command", parser_class=type(caseload))
    report = commands.add_parser("report", help="rapport voor het teamoverleg: PDF, en desgewenst CSV")
    report.add_argument("--out", type=Path, required=True, help="PDF-bestand, .pdf")
    report.add_argument("--csv", type=Path, default=None, help="ook de cijfers als CSV, .csv")
    report.add_argument("--date", default=None, help="peildatum dd-mm-jjjj (standaard: vandaag)")
