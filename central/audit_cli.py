"""The ``central audit`` commands: ``verify`` every device's chain again, ``case CASE_ID`` who saw and changed it."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

from central.audit_review import case_history, verify_all
from central.database import Database
from central.errors import SetupError


def add_parsers(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``audit verify`` and ``audit case`` to central's command parser."""
    audit = sub.add_parser("audit", help="het auditlogboek van de apparaten op de centrale")
    inner = audit.add_subparsers(dest="audit_command", required=True, parser_class=type(audit))
    inner.add_parser("verify", parents=parents,
                     help="controleer de keten van elk apparaat opnieuw; niet 0 als er een gebroken is")
    case = inner.add_parser("case", parents=parents, help="wie zag en wijzigde wat in een zaak, en wanneer")
    case.add_argument("case_id")
    case.add_argument("--json", action="store_true", help="als JSON (tijden in UTC)")


def run(db: Database, args: argparse.Namespace) -> int:
    if args.audit_command == "verify":
        return _verify(db)
    return _case(db, args.case_id, as_json=args.json)


def _verify(db: Database) -> int:
    broken = chains = events = 0
    for check in verify_all(db):
        chains += 1
        events += check.checked
        if check.ok:
            print(f"in orde: apparaat {check.device_id} ({check.username}), {check.checked} gebeurtenissen")
        else:
            broken += 1
            print(f"GEBROKEN: apparaat {check.device_id} ({check.username}): {check.problem} "
                  f"(na {check.checked} goede gebeurtenissen)")
    if broken:
        print(f"central: {broken} van de {chains} auditketens zijn gebroken.", file=sys.stderr)
        return 1
    print(f"Alle {chains} auditketens zijn in orde ({events} gebeurtenissen).")
    return 0


def _case(db: Database, raw: str, *, as_json: bool) -> int:
    try:
        case_id = str(uuid.UUID(raw))
    except ValueError:
        raise SetupError(f"Geen geldig zaak-id (CASE_ID): {raw!r}") from None
    reference, events = case_history(db, case_id)
    if as_json:
        print(json.dumps({"case_id": case_id, "reference": reference, "events": [
            {"at": e.at.isoformat(), "user_id": e.user_id, "who": e.who, "device_id": e.device_id,
             "device_name": e.device_name, "verb": e.verb, "entity": e.entity, "entity_id": e.entity_id,
             "result": e.result, "detail": e.detail, "what": e.what()} for e in events]}, ensure_ascii=False))
        return 0
    name = f"Zaak {reference} ({case_id})" if reference else f"Zaak {case_id}"
    if not events:
        print(f"{name}: de centrale kent geen gebeurtenissen over deze zaak.")
        return 0
    print(f"{name}: {len(events)} gebeurtenissen, oudste eerst (Nederlandse tijd).")
    for event in events:
        print(event.line())
    return 0
