"""``central`` commands for devices and people: devices, revoke-device, disable-user, set-role, set-team, admin-log."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from central import admin
from central.database import Database

COMMANDS = ("devices", "revoke-device", "disable-user", "set-role", "set-team", "admin-log")


def add_parsers(sub: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    devices = sub.add_parser("devices", parents=[db], help="apparaten: gebruiker, gekoppeld, laatst gezien, status")
    devices.add_argument("--user", default=None, help="alleen de apparaten van deze gebruiker")
    devices.add_argument("--json", action="store_true", help="als JSON")
    revoke = sub.add_parser("revoke-device", parents=[db],
                            help="trek een apparaat in (kwijt of gestolen): het wist zich bij het volgende contact")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.add_argument("--reason", required=True, help="waarom; het apparaat toont deze reden")
    disable = sub.add_parser("disable-user", parents=[db],
                             help="schakel een gebruiker uit en trek al zijn apparaten in")
    disable.add_argument("username", metavar="U")
    disable.add_argument("--reason", required=True, help="waarom; komt in het logboek en op de apparaten")
    role = sub.add_parser("set-role", parents=[db], help="geef een gebruiker een andere rol")
    role.add_argument("username", metavar="U")
    role.add_argument("role", metavar="ROLE", help="handler, team_lead of reviewer")
    team = sub.add_parser("set-team", parents=[db], help="zet een gebruiker in een ander (bestaand) team")
    team.add_argument("username", metavar="U")
    team.add_argument("team", metavar="TEAM")
    log = sub.add_parser("admin-log", parents=[db], help="het logboek van beheeracties")
    log.add_argument("--limit", type=int, default=200, help="hoeveel van de nieuwste regels (standaard 200)")
    log.add_argument("--json", action="store_true", help="als JSON-regels")


def run(db: Database, args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    if args.command == "devices":
        return _devices(db, args, now)
    if args.command == "revoke-device":
        device = admin.revoke_device(db, args.device_id, reason=args.reason, now=now)
        print(f"Apparaat {device.device_id} is ingetrokken. Zijn sleutel werkt niet meer; bij het volgende contact "
              "wist het zijn gegevens.")
        if device.pending_changes:
            print(f"Let op: het apparaat meldde {device.pending_changes} wijzigingen die de centrale nog niet had; "
                  "die gaan verloren.")
        return 0
    if args.command == "disable-user":
        revoked = admin.disable_user(db, args.username, reason=args.reason, now=now)
        print(f"Gebruiker {args.username.strip()} is uitgeschakeld; {len(revoked)} apparaat/apparaten ingetrokken.")
        return 0
    if args.command == "set-role":
        old = admin.set_role(db, args.username, args.role, now=now)
        print(f"Gebruiker {args.username.strip()} had de rol {args.role} al; er is niets veranderd." if old is None
              else f"Gebruiker {args.username.strip()}: rol {old} is nu {args.role}.")
        return 0
    if args.command == "set-team":
        old_team = admin.set_team(db, args.username, args.team, now=now)
        print(f"Gebruiker {args.username.strip()} zat al in {args.team.strip()}; er is niets veranderd."
              if old_team is None else f"Gebruiker {args.username.strip()} zit nu in {args.team.strip()}.")
        return 0
    return _admin_log(db, args)


def _when(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M}"


def _devices(db: Database, args: argparse.Namespace, now: dt.datetime) -> int:
    lines = admin.list_devices(db, username=args.user, now=now)
    if args.json:
        for line in lines:
            print(json.dumps({"user": line.username, "device_id": line.device_id, "name": line.device_name,
                              "enrolled_at": line.enrolled_at.isoformat(),
                              "last_seen_at": line.last_seen_at.isoformat(),
                              "pending_changes": line.pending_changes, "audit_pending": line.audit_pending,
                              "state": line.state}, ensure_ascii=False))
        return 0
    if not lines:
        print("Geen apparaten gevonden.")
        return 0
    table: list[tuple[Any, ...]] = [("GEBRUIKER", "APPARAAT", "GEKOPPELD (UTC)", "LAATST GEZIEN (UTC)", "WACHTEND",
                                     "LOGBOEK WACHTEND", "STATUS", "NAAM")]
    table += [(line.username, line.device_id, _when(line.enrolled_at), _when(line.last_seen_at),
               line.pending_changes, line.audit_pending, line.state, line.device_name) for line in lines]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)) + f"  {row[-1]}")
    return 0


def _admin_log(db: Database, args: argparse.Namespace) -> int:
    rows = admin.admin_log(db, limit=args.limit)
    for row in rows:
        if args.json:
            print(json.dumps({"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
                              "target": row.target, "reason": row.reason, "detail": row.detail},
                             ensure_ascii=False))
        else:
            reason = f" reden: {row.reason}" if row.reason else ""
            detail = f" {json.dumps(row.detail, ensure_ascii=False)}" if row.detail else ""
            print(f"{_when(row.at)}  {row.actor}  {row.action}  {row.target}{reason}{detail}")
    if not rows and not args.json:
        print("Het logboek van beheeracties is leeg.")
    return 0
