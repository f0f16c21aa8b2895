"""Exporting one case as the parent's complete AVG access copy (JSON-safe, deterministic)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, select

from workbench.audit.chain import AuditEntry
from workbench.dossier.sections import ACCESS_LOG_FIELDS, FORMAT, LISTS, VERSION, row_json, sort_rows, table_of
from workbench.errors import NotFound
from workbench.models import AuditEvent, Case, Commitment, CommitmentStatusChange, Parent
from workbench.store.schema import Base
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.outbox import jsonable

# Fields that differ between two exports of the same data: the moment and the access log (which grows
# by one export event each time).
VOLATILE = ("exported_at", "access_log")


def _rows(uow: UnitOfWork, model: type[Base], where: ColumnElement[bool]) -> list[dict[str, Any]]:
    table = table_of(model)
    return [row_json(model, m) for m in uow.session.execute(select(table).where(where)).mappings()]


def _filter(model: type[Base], *, case_id: str, parent_id: str) -> ColumnElement[bool]:
    cols = table_of(model).c
    if model is CommitmentStatusChange:
        return cols.commitment_id.in_(select(Commitment.id).where(Commitment.case_id == case_id))
    if "parent_id" in cols:
        return cols.parent_id == parent_id
    return cols.case_id == case_id


def export_case(uow: UnitOfWork, case_id: str) -> dict[str, Any]:
    """Every row about one case and its parent, every column (full BSN: it is the parent's own data).

    The export is audited first, so the copy's access log includes the export itself.
    """
    uow.session.flush()
    case_rows = _rows(uow, Case, Case.id == case_id)
    if not case_rows:
        raise NotFound("Deze zaak bestaat niet op dit apparaat.")
    case = case_rows[0]
    parent = _rows(uow, Parent, Parent.id == case["parent_id"])[0]
    uow.audit(AuditEntry("export", "case", case_id, case_id))
    uow.session.flush()
    data: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "exported_at": jsonable(uow.clock.now()),
        "case": case, "parent": parent,
    }
    for section, model in LISTS.items():
        where = _filter(model, case_id=case_id, parent_id=parent["id"])
        data[section] = sort_rows(section, _rows(uow, model, where))
    events = uow.session.execute(
        select(*(getattr(AuditEvent, f) for f in ACCESS_LOG_FIELDS))
        .where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)).mappings()
    data["access_log"] = [{f: jsonable(ev[f]) for f in ACCESS_LOG_FIELDS} for ev in events]
    return data


def dumps(data: dict[str, Any]) -> str:
    """The canonical text of a dossier: identical data gives identical bytes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2)


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The dossier without what changes from one export to the next (`VOLATILE`)."""
    return {k: v for k, v in data.items() if k not in VOLATILE}


def write_export(path: Path, text: str) -> None:
    """Write an export readable only by its owner, atomically: a crash leaves no half file under `path`."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
