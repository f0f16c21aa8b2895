"""Use cases for editor drafts: write what is on screen, read it back after a crash, forget it once saved."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workbench.drafts.models import EditorDraft
from workbench.errors import ValidationError
from workbench.store.unit_of_work import UnitOfWork

KINDS = {"story_entry": "Nieuw verslag", "parent": "Gegevens van de ouder", "letter": "Brief",
         "conflict": "Conflict"}
MAX_CONTENT = 400_000  # characters of JSON: far above any report, far below what would slow the store


@dataclass(frozen=True)
class EditorDraftInfo:
    kind: str
    target_id: str
    case_id: str | None
    content: dict[str, Any]
    saved_at: dt.datetime


def is_blank(content: dict[str, Any]) -> bool:
    """True when nothing was typed: every value is empty or only white space."""
    def blank(value: Any) -> bool:
        if isinstance(value, str):
            return not value.strip()
        if isinstance(value, dict):
            return all(blank(v) for v in value.values())
        if isinstance(value, list | tuple):
            return all(blank(v) for v in value)
        return value is None
    return blank(content)


class EditorDraftService:
    """Saving is cheap and never validates what was typed: a draft holds exactly what is on screen."""

    def _row(self, uow: UnitOfWork, kind: str, target_id: str) -> EditorDraft | None:
        return uow.session.scalar(select(EditorDraft).where(
            EditorDraft.user_id == uow.actor.user_id, EditorDraft.kind == kind, EditorDraft.target_id == target_id))

    @staticmethod
    def _info(row: EditorDraft) -> EditorDraftInfo:
        return EditorDraftInfo(row.kind, row.target_id, row.case_id, dict(row.content), row.saved_at)

    def save(self, uow: UnitOfWork, kind: str, target_id: str, content: dict[str, Any], *,
             case_id: str | None = None) -> EditorDraftInfo | None:
        """Store `content` as this user's draft for (kind, target); blank content removes the draft."""
        if kind not in KINDS:
            raise ValidationError(f"Onbekend soort concept: {kind}.", field="kind")
        if not target_id or len(target_id) > 80:
            raise ValidationError("Een concept hoort bij iets dat bestaat.", field="target_id")
        if len(json.dumps(content, ensure_ascii=False)) > MAX_CONTENT:
            raise ValidationError("De tekst is te lang om als concept te bewaren; splits hem in delen.",
                                  field="content")
        row = self._row(uow, kind, target_id)
        if is_blank(content):
            if row is not None:
                uow.session.delete(row)
                uow.session.flush()
            return None
        if row is None:
            row = EditorDraft(id=str(uuid.uuid4()), user_id=uow.actor.user_id, kind=kind, target_id=target_id,
                              saves=0)
            uow.session.add(row)
        row.case_id = case_id
        row.content = dict(content)
        row.saved_at = uow.clock.now()
        row.saves += 1
        uow.session.flush()
        return self._info(row)

    def get(self, uow: UnitOfWork, kind: str, target_id: str) -> EditorDraftInfo | None:
        row = self._row(uow, kind, target_id)
        return self._info(row) if row is not None else None

    def discard(self, uow: UnitOfWork, kind: str, target_id: str) -> None:
        """Forget the draft (it was saved for real, or the handler threw it away); no draft is fine."""
        row = self._row(uow, kind, target_id)
        if row is not None:
            uow.session.delete(row)
            uow.session.flush()

    def waiting(self, uow: UnitOfWork) -> list[EditorDraftInfo]:
        """This user's drafts, newest first."""
        rows = uow.session.scalars(select(EditorDraft).where(EditorDraft.user_id == uow.actor.user_id)
                                   .order_by(EditorDraft.saved_at.desc()))
        return [self._info(r) for r in rows]
