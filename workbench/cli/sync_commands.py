"""The `workbench enroll` and `workbench sync` subcommands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from workbench.errors import UserError
from workbench.i18n import ngettext
from workbench.staff.roles import role_label
from workbench.sync import client, epoch
from workbench.workspace import Workspace


def _central_password() -> str:
    value = os.environ.get(client.PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"Geen wachtwoord voor de centrale: zet {client.PASSWORD_ENV} of start in een terminal.",
                        field="wachtwoord")
    return getpass.getpass("Wachtwoord bij de centrale: ")


def cmd_enroll(args: argparse.Namespace, ws: Workspace) -> int:
    ca: Path | None = args.ca
    if ca is not None and not ca.is_file():
        raise UserError(f"Het certificaatbestand {ca} bestaat niet.", field="ca")
    answer = client.enroll(ws, server_url=args.server, username=args.user, password=_central_password(),
                           device_name=args.device_name or socket.gethostname(), ca_file=ca)
    print(f"Apparaat gekoppeld aan {args.server} als {answer.display_name} ({role_label(answer.role)}).")
    report = client.sync(ws)
    print(f"Eerste synchronisatie: {report.pulled} gegevens ontvangen.")
    return 0


def cmd_sync(args: argparse.Namespace, ws: Workspace) -> int:
    report = client.sync(ws)
    summary = {"verstuurd": report.pushed, "ontvangen": report.pulled, "conflicten": report.conflicts,
               "geweigerd": report.refused, "verwijderd_na_overdracht": len(report.purged),
               "hersteld": report.repaired, "gelijk_met_centrale": report.in_step,
               "in_quarantaine": report.quarantined, "redenen": report.refusals,
               "centrale_miste_gegevens": report.central_behind, "nieuw_tijdperk": report.epoch_changed,
               "opnieuw_verstuurd": report.repushed, "bewaard_na_herstel": len(report.kept)}
    print(json.dumps(summary, ensure_ascii=False) if args.json else
          f"Gesynchroniseerd: {report.pushed} verstuurd, {report.pulled} ontvangen, "
          + ngettext("{n} nieuw conflict", "{n} nieuwe conflicten", report.conflicts).format(n=report.conflicts)
          + f", {report.refused} geweigerd." + quarantine_note(report.quarantined))
    if report.central_behind and not args.json:
        print(epoch.explain(report))
    if report.refusals and not args.json:
        print("Geweigerd door de centrale (uw tekst staat bij Conflicten):")
        for reason in report.refusals:
            print(f"- {reason}")
    return 0 if report.refused == 0 else 3


def quarantine_note(count: int) -> str:
    """What the sync line adds when rows from central could not be taken in (empty when there are none)."""
    if not count:
        return ""
    return " " + ngettext(
        "{n} gegeven in quarantaine: het past niet op dit apparaat. Zie de pagina Conflicten en meld het bij "
        "functioneel beheer.",
        "{n} gegevens in quarantaine: ze passen niet op dit apparaat. Zie de pagina Conflicten en meld het bij "
        "functioneel beheer.", count).format(n=count)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    enroll = sub.add_parser("enroll", help="koppel dit apparaat aan de centrale")
    enroll.add_argument("--server", required=True, help="adres van de centrale, https://...")
    enroll.add_argument("--user", required=True, help="uw gebruikersnaam bij de centrale")
    enroll.add_argument("--ca", type=Path, default=None, help="certificaat van de centrale (PEM), indien eigen CA")
    enroll.add_argument("--device-name", default="", help="naam van dit apparaat")
    sync = sub.add_parser("sync", help="synchroniseer met de centrale")
    sync.add_argument("--json", action="store_true", help="uitkomst als JSON")
