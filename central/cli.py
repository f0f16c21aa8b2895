"""The ``central`` command: serve, add-user, assign, stats, devices and people (Dutch one-line errors, no traceback)."""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import getpass
import json
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from central import admin, admin_cli, audit_cli, scope_commands, security
from central.database import DEFAULT_DB, Database, upgrade_to_head
from central.errors import ApiError, SetupError
from central.serving import DEFAULT_THREADS
from workbench.cli.dutch_parser import DutchArgumentParser, plain_error


class _Parser(DutchArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"central: ongeldige opdracht: {plain_error(message)}\n")


def _parser() -> _Parser:
    db = _Parser(add_help=False)
    db.add_argument("--db", default=os.environ.get("CENTRAL_DB") or DEFAULT_DB,
                    help="SQLAlchemy-URL of SQLite-bestand (standaard: CENTRAL_DB, anders central.db hier)")
    parser = _Parser(prog="central", description="Referentie-centrale van de Zaakwerkbank.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    serve = sub.add_parser("serve", parents=[db], help="start de sync-API (werkt eerst het schema bij)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--cert", type=Path, help="TLS-certificaat (PEM); HTTPS samen met --key")
    serve.add_argument("--key", type=Path, help="geheime TLS-sleutel (PEM)")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                       help=f"verzoeken tegelijk per worker (standaard {DEFAULT_THREADS})")
    serve.add_argument("--access-log", action="store_true",
                       help="log elk verzoek (standaard alleen geweigerde verzoeken; kost CPU per verzoek)")
    add = sub.add_parser("add-user", parents=[db],
                         help="voeg een gebruiker toe (wachtwoord: gevraagd of CENTRAL_PASSWORD)")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     help="handler (zaakbehandelaar), team_lead (teamleider) of reviewer (controleur)")
    add.add_argument("--team", required=True, help="teamnaam (nieuw team als het nog niet bestaat)")
    add.add_argument("--display-name", default="")
    assign = sub.add_parser("assign", parents=[db], help="draag een zaak over aan een andere behandelaar")
    assign.add_argument("case_id")
    assign.add_argument("username")
    assign.add_argument("--reason", required=True)
    sub.add_parser("stats", parents=[db], help="aantallen als JSON")
    clear = sub.add_parser("clear-anchor", parents=[db],
                           help="vergeet het controlepunt en de markering van een apparaat (na onderzoek)")
    clear.add_argument("device_id")
    audit_cli.add_parsers(sub, [db])
    admin_cli.add_parsers(sub, db)
    scope_commands.add_to(sub, db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (SetupError, ApiError) as exc:
        print(f"central: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        print(f"central: de database (--db) is niet bruikbaar: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    db = Database(args.db)
    try:
        upgrade_to_head(db)
        if args.command == "add-user":
            return _add_user(db, args)
        if args.command == "assign":
            return _assign(db, args)
        if args.command == "clear-anchor":
            return _clear_anchor(db, args.device_id)
        if args.command == "audit":
            return audit_cli.run(db, args)
        if args.command in admin_cli.COMMANDS:
            return admin_cli.run(db, args)
        if args.command in scope_commands.COMMANDS:
            return scope_commands.run(db, args)
        return _stats(db)
    finally:
        db.dispose()


def _serve(args: argparse.Namespace) -> int:
    from central import serving  # only the server needs uvicorn

    if not 1 <= args.port <= 65535:
        raise SetupError("De poort (--port) moet tussen 1 en 65535 liggen.")
    if args.workers < 1:
        raise SetupError("Het aantal workers (--workers) moet minstens 1 zijn.")
    if not 1 <= args.threads <= 256:
        raise SetupError("Het aantal threads per worker (--threads) moet tussen 1 en 256 liggen.")
    security.token_lifetime()  # a wrong CENTRAL_TOKEN_DAYS stops the start, not every request
    if (args.cert is None) != (args.key is None):
        raise SetupError("Geef voor TLS zowel een certificaat (--cert) als een sleutel (--key).")
    for option, path in (("--cert", args.cert), ("--key", args.key)):
        if path is not None and not path.is_file():
            raise SetupError(f"Het bestand bij {option} bestaat niet: {path}")
    db = Database(args.db)
    try:
        upgrade_to_head(db)
    finally:
        db.dispose()
    os.environ["CENTRAL_DB"] = db.url
    os.environ["CENTRAL_THREADS"] = str(args.threads)
    return serving.serve(host=args.host, port=args.port, workers=args.workers, options={
        "ssl_certfile": str(args.cert) if args.cert else None, "ssl_keyfile": str(args.key) if args.key else None,
        "log_config": _log_config(), "proxy_headers": False, "server_header": False, "access_log": args.access_log})


def _log_config() -> dict[str, Any]:
    """uvicorn's logging plus ours (ids and counts only; bodies, tokens and values are never logged)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["central"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _password() -> str:
    password = os.environ.get("CENTRAL_PASSWORD")
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise SetupError("Geen wachtwoord: zet CENTRAL_PASSWORD of start de opdracht in een terminal.")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise SetupError("De wachtwoorden zijn niet gelijk.")
    return first


def _add_user(db: Database, args: argparse.Namespace) -> int:
    from central.accounts import create_user

    password = _password()
    now = dt.datetime.now(dt.UTC)
    with db.write() as session:
        user = create_user(session, username=args.name, password=password, role=args.role, team_name=args.team,
                           display_name=args.display_name, now=now)
        admin.record(session, action="add-user", target=user.username, now=now,
                     detail={"user_id": user.id, "role": user.role, "team": args.team.strip()})
        print(json.dumps({"user_id": user.id, "username": user.username, "role": user.role,
                          "team_id": user.team_id}))
    return 0


def _assign(db: Database, args: argparse.Namespace) -> int:
    from central.assignment import assign

    try:
        case_id = str(uuid.UUID(args.case_id))
    except ValueError:
        raise SetupError(f"Geen geldig zaak-id (CASE_ID): {args.case_id!r}") from None
    now = dt.datetime.now(dt.UTC)
    answer = assign(db, case_id=case_id, handler=args.username, reason=args.reason, by=None, now=now)
    with db.write() as session:
        admin.record(session, action="assign", target=case_id, now=now, reason=args.reason.strip()[:500],
                     detail={"handler": args.username})
    print(answer.model_dump_json())
    return 0


def _clear_anchor(db: Database, device_id: str) -> int:
    from central.anchors import clear_flag

    if not clear_flag(db, device_id.strip().lower()):
        raise SetupError(f"Van apparaat {device_id!r} is geen controlepunt bekend.")
    with db.write() as session:
        admin.record(session, action="clear-anchor", target=device_id.strip().lower(), now=dt.datetime.now(dt.UTC))
    print(f"Het controlepunt van apparaat {device_id} is gewist; de volgende synchronisatie begint opnieuw.")
    return 0


def _stats(db: Database) -> int:
    from central.models import CaseAccess, ChangeLog, Device, Record, User

    with db.read() as session:
        def count(column: Any) -> int:
            return int(session.scalar(select(func.count(column))) or 0)

        out = {
            "users": count(User.id),
            "devices": count(Device.device_id),
            "cases": int(session.scalar(select(func.count(func.distinct(CaseAccess.case_id)))) or 0),
            "records": count(Record.row_id),
            "change_log": count(ChangeLog.seq),
        }
    print(json.dumps(out))
    return 0
