"""The `workbench enroll` and `workbench sync` subcommands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from workbench.cases import numbering
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
    print(f"Eerste synchronisatie: {report.pushed} gegevens verstuurd, {report.pulled} gegevens ontvangen.")
    with ws.unit_of_work() as uow:
        changed = numbering.renumbered(uow.session)
    for number, former in changed:
        print(f"Zaak {former} heeft nu zaaknummer {number}: het oude nummer was al in gebruik. "
              "Zoeken op het oude nummer vindt de zaak ook.")
    return 0


def cmd_sync(args: argparse.Namespace, ws: Workspace) -> int:
    report = client.sync(ws)
    summary = {"verstuurd": report.pushed, "ontvangen": report.pulled, "conflicten": report.conflicts,
               "geweigerd": report.refused, "verwijderd_na_overdracht": len(report.purged),
               "hersteld": report.repaired, "gelijk_met_centrale": report.in_step,
               "in_quarantaine": report.quarantined, "redenen": report.refusals,
               "zaaknummers_over": report.numbers_left,
               "auditlog_verstuurd": report.audit_sent, "auditlog_wachtend": report.audit_pending,
               "auditlog_probleem": report.audit_problem,
               "centrale_miste_gegevens": report.central_behind, "nieuw_tijdperk": report.epoch_changed,
               "opnieuw_verstuurd": report.repushed, "bewaard_na_herstel": len(report.kept)}
    print(json.dumps(summary, ensure_ascii=False) if args.json else
          f"Gesynchroniseerd: {report.pushed} verstuurd, {report.pulled} ontvangen, "
          + ngettext("{n} nieuw conflict", "{n} nieuwe conflicten", report.conflicts).format(n=report.conflicts)
          + f", {report.refused} geweigerd." + quarantine_note(report.quarantined)
          + numbers_note(report.numbers_left) + trail_note(report.audit_pending))
    if report.audit_problem and not args.json:
        print(report.audit_problem)
    if report.central_behind and not args.json:
        print(epoch.explain(report))
    if report.refusals and not args.json:
        print("Geweigerd door de centrale (uw tekst staat bij Conflicten):")
        for reason in report.refusals:
            print(f"- {reason}")
    return 0 if report.refused == 0 else 3


def trail_note(count: int) -> str:
    """What the sync line adds when part of the audit log is still only on this device (empty when none)."""
    if not count:
        return ""
    return " " + ngettext("{n} gebeurtenis van het auditlogboek staat nog alleen op dit apparaat; die gaat mee "
                          "bij de volgende synchronisatie.",
                          "{n} gebeurtenissen van het auditlogboek staan nog alleen op dit apparaat; die gaan "
                          "mee bij de volgende synchronisatie.", count).format(n=count)


def quarantine_note(count: int) -> str:
    """What the sync line adds when rows from central could not be taken in (empty when there are none)."""
    if not count:
        return ""
    return " " + ngettext(
        "{n} gegeven in quarantaine: het past niet op dit apparaat. Zie de pagina Conflicten en meld het bij "
        "functioneel beheer.",
        "{n} gegevens in quarantaine: ze passen niet op dit apparaat. Zie de pagina Conflicten en meld het bij "
        "functioneel beheer.", count).format(n=count)


def numbers_note(left: int | None) -> str:
    """A warning when this device has few reserved case numbers left (empty otherwise)."""
    if left is None or left > numbering.LOW:
        return ""
    return " " + ngettext(
        "Nog {n} zaaknummer over op dit apparaat: synchroniseer zodra het kan om nieuwe te krijgen.",
        "Nog {n} zaaknummers over op dit apparaat: synchroniseer zodra het kan om nieuwe te krijgen.",
        left).format(n=left)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    enroll = sub.add_parser("enroll", help="koppel dit apparaat aan de centrale")
    enroll.add_argument("--server", required=True, help="adres van de centrale, https://...")
    enroll.add_argument("--user", required=True, help="uw gebruikersnaam bij de centrale")
    enroll.add_argument("--ca", type=Path, default=None, help="certificaat van de centrale (PEM), indien eigen CA")
    enroll.add_argument("--device-name", default="", help="naam van dit apparaat")
    sync = sub.add_parser("sync", help="synchroniseer met de centrale")
    sync.add_argument("--json", action="store_true", help="uitkomst als JSON")
