"""The ``central`` commands about scope: the epoch (after restoring a backup) and reviewers' review pools."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from central import epochs, review_pool
from central.database import Database

COMMANDS = frozenset({"epoch", "new-epoch", "review-pool"})


def add_to(sub: Any, db: argparse.ArgumentParser) -> None:
    """Register the commands on the ``central`` parser (``db``: the parent parser with --db)."""
    sub.add_parser("epoch", parents=[db], help="toon het tijdperk (epoch) van de centrale, als JSON")
    new = sub.add_parser("new-epoch", parents=[db],
                         help="na het terugzetten van een back-up: begin een nieuw tijdperk, zodat elk apparaat "
                              "opnieuw stuurt wat de centrale mist")
    new.add_argument("--reason", required=True, help="waarom (bijvoorbeeld: back-up van maandag teruggezet)")
    pool = sub.add_parser("review-pool", parents=[db],
                          help="teams waarvan een controleur de brieven beoordeelt, naast die van het eigen team")
    pool.add_argument("action", choices=("add", "remove", "list"), help="add, remove of list")
    pool.add_argument("user", nargs="?", help="gebruikersnaam van de controleur")
    pool.add_argument("team", nargs="?", help="teamnaam")


def run(db: Database, args: argparse.Namespace) -> int:
    from central.errors import SetupError

    now = dt.datetime.now(dt.UTC)
    if args.command == "epoch":
        print(_json(epochs.current(db)))
        return 0
    if args.command == "new-epoch":
        info = epochs.begin(db, reason=args.reason, now=now)
        print(_json(info))
        return 0
    if args.action == "list":
        print(json.dumps([{"reviewer": e.reviewer, "team": e.team}
                          for e in review_pool.entries(db, username=args.user)]))
        return 0
    if not args.user or not args.team:
        raise SetupError(f"Geef bij review-pool {args.action} een controleur (USER) en een team (TEAM).")
    if args.action == "add":
        added = review_pool.add(db, username=args.user, team_name=args.team, now=now)
        print(f"Controleur {args.user} beoordeelt {'nu ook' if added else 'al'} brieven van {args.team}.")
        return 0
    removed = review_pool.remove(db, username=args.user, team_name=args.team)
    print(f"Controleur {args.user} beoordeelt {'geen' if removed else 'al geen'} brieven meer van {args.team} "
          "(behalve als dat het eigen team is).")
    return 0


def _json(info: epochs.EpochInfo) -> str:
    return json.dumps({"epoch": info.epoch, "started_at": info.started_at.isoformat(timespec="seconds"),
                       "reason": info.reason})
