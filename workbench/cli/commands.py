"""The work behind each `workbench` subcommand; each returns the process exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.audit.anchor import StoreTampered
from workbench.audit.journal import anchor_of
from workbench.cli import caseload_command, letters_command, passphrase, sync_commands
from workbench.errors import StoreUnavailable, UserError
from workbench.models import entity_counts
from workbench.progress import CancelToken, Progress
from workbench.store.hooks import Origin
from workbench.store.integrity import damaged_pages
from workbench.workspace import DEMO_BANNER, Workspace


class _StderrProgress:
    """Progress as a single updating line on stderr, only when someone is watching."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()

    def report(self, progress: Progress) -> None:
        if self._tty and progress.total:
            pct = 100 * progress.done // progress.total
            print(f"\r{progress.label}: {pct}%", end="", file=sys.stderr, flush=True)


def _open(folder: Path) -> Workspace:
    ws = Workspace.open(folder, passphrase.current(), kdf=passphrase.kdf_params())
    if ws.demo:
        print(f"*** {DEMO_BANNER} ***", file=sys.stderr)
    return ws


def cmd_init(args: argparse.Namespace, folder: Path) -> int:
    secret = os.environ.get(passphrase.ENV)
    chosen = secret if secret is not None else passphrase.new()
    ws = Workspace.create(folder, chosen, demo=args.demo, kdf=passphrase.kdf_params(), username=args.user,
                          display_name=args.name)
    ws.close()
    print(f"Profiel gemaakt in {folder}.")
    if args.demo:
        print(f"*** {DEMO_BANNER} ***")
    return 0


def cmd_demo_data(args: argparse.Namespace, folder: Path) -> int:
    from workbench.demo.generator import generate

    if not 1 <= args.cases <= 1_000_000:
        raise UserError("Aantal zaken moet tussen 1 en 1.000.000 liggen.", field="cases")
    ws = _open(folder)
    try:
        summary = generate(ws.store, ws.actor, cases=args.cases, seed=args.seed, progress=_StderrProgress(),
                           cancel=CancelToken())
        queued = _queue_for_central(ws)
    finally:
        ws.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{args.cases} demozaken gemaakt in {summary.seconds:.1f} s.")
    if queued:
        print(f"{queued} gegevens staan klaar voor de volgende synchronisatie.")
    return 0


def _queue_for_central(ws: Workspace) -> int:
    """On an enrolled profile, bulk-made demo rows go to central with the next sync like any other change."""
    from workbench.sync import state
    from workbench.sync.backlog import enqueue_unsynced

    with ws.unit_of_work(Origin.SYNC) as uow:
        if not state.get(uow.session, state.SERVER_URL):
            return 0
        return enqueue_unsynced(uow)


def cmd_stats(args: argparse.Namespace, folder: Path) -> int:
    ws = _open(folder)
    try:
        with ws.unit_of_work() as uow:
            counts = entity_counts(uow.session)
    finally:
        ws.close()
    print(json.dumps(counts, indent=2, sort_keys=True))
    return 0


def cmd_search(args: argparse.Namespace, folder: Path) -> int:
    ws = _open(folder)
    try:
        with ws.unit_of_work() as uow:
            hits = ws.search.cases(uow, args.text, limit=args.limit)
    finally:
        ws.close()
    for hit in hits:
        print(hit.reference)
    return 0


def cmd_export(args: argparse.Namespace, folder: Path) -> int:
    from workbench.dossier.export import dumps, export_case, write_export

    ws = _open(folder)
    try:
        with ws.unit_of_work() as uow:
            data = export_case(uow, ws.cases.id_for_reference(uow, args.case))
    finally:
        ws.close()
    text = dumps(data)
    if args.out is None:
        sys.stdout.write(text + "\n")
    else:
        write_export(args.out, text + "\n")
        print(f"Export geschreven naar {args.out}. Let op: dit bestand is niet versleuteld.", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, folder: Path) -> int:
    from workbench.dossier.importer import import_dossier, load_file

    data = load_file(args.file)
    ws = _open(folder)
    try:
        with ws.unit_of_work() as uow:
            summary = import_dossier(uow, data, progress=_StderrProgress(), cancel=CancelToken())
    finally:
        ws.close()
    print(f"Ingelezen: {summary}")
    return 0


def cmd_audit_verify(args: argparse.Namespace, folder: Path) -> int:
    try:
        ws = _open(folder)
    except StoreTampered as exc:
        print(f"workbench: auditlogboek is NIET in orde: {exc.text()}", file=sys.stderr)
        return 1
    try:
        pages = damaged_pages(ws.store.engine)
        if pages:
            raise StoreUnavailable(f"De gegevensopslag is beschadigd ({len(pages)} fouten gevonden). "
                                   "Neem contact op met de servicedesk.")
        with ws.unit_of_work() as uow:
            report = ws.audit.verify(uow)
            anchored = ws.audit.anchored(uow, anchor_of(ws.store))
    finally:
        ws.close()
    if not report.ok:
        print(f"workbench: auditlogboek is NIET in orde: {report.problem}.", file=sys.stderr)
        return 1
    if not anchored.ok:
        print(f"workbench: auditlogboek is NIET in orde: {anchored.message}", file=sys.stderr)
        return 1
    where = (f"tot en met gebeurtenis {anchored.anchor.seq} verankerd in de sleutelbos" if anchored.anchor
             else "nog niet verankerd in de sleutelbos")
    print(f"Opslag en auditlogboek in orde: {report.checked} gebeurtenissen gecontroleerd, {where}.")
    return 0


def cmd_passwd(args: argparse.Namespace, folder: Path) -> int:
    old = passphrase.current()
    ws = Workspace.open(folder, old, kdf=passphrase.kdf_params())
    try:
        ws.change_passphrase(old, passphrase.new())
    finally:
        ws.close()
    print("Wachtwoord gewijzigd.")
    return 0


def cmd_rekey(args: argparse.Namespace, folder: Path) -> int:
    secret = passphrase.current()
    ws = Workspace.open(folder, secret, kdf=passphrase.kdf_params())
    try:
        ws.rekey(secret)
    finally:
        ws.close()
    print("De opslag is opnieuw versleuteld met een nieuwe sleutel.")
    return 0


Handler = Callable[[argparse.Namespace, Path], int]
HANDLERS: dict[str, Handler] = {
    "init": cmd_init, "demo-data": cmd_demo_data, "stats": cmd_stats, "search": cmd_search,
    "export": cmd_export, "import": cmd_import, "passwd": cmd_passwd, "rekey": cmd_rekey,
}


def _with_workspace(handler: Callable[[argparse.Namespace, Workspace], int]) -> Handler:
    def run(args: argparse.Namespace, folder: Path) -> int:
        ws = _open(folder)
        try:
            return handler(args, ws)
        finally:
            ws.close()
    return run


HANDLERS["enroll"] = _with_workspace(sync_commands.cmd_enroll)
HANDLERS["sync"] = _with_workspace(sync_commands.cmd_sync)
HANDLERS["caseload"] = caseload_command.run
HANDLERS["letters"] = letters_command.run


def dispatch(args: argparse.Namespace, folder: Path) -> int:
    if args.command == "audit":
        return cmd_audit_verify(args, folder)
    return HANDLERS[args.command](args, folder)
