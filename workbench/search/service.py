"""Turning what the handler types into an FTS5 query and finding the matching cases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from workbench.store.unit_of_work import UnitOfWork

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 8


@dataclass(frozen=True)
class CaseHit:
    case_id: str
    reference: str
    via: str  # "case" (reference or name) or "story"


def fts_query(typed: str) -> str | None:
    """Every word must match, the last one as a prefix (the handler is still typing).

    Words are quoted, so FTS5 operators in the input (AND, NEAR, *, quotes) are plain text.
    """
    tokens = _TOKEN.findall(typed or "")[:MAX_TOKENS]
    if not tokens:
        return None
    quoted = ['"' + t.replace('"', "") + '"' for t in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


_CASE_SQL = text(
    "SELECT c.id, c.reference FROM case_fts AS f JOIN case_file AS c ON c.id = f.case_id "
    "WHERE case_fts MATCH :q AND c.deleted_at IS NULL ORDER BY f.rank LIMIT :limit"
)
_STORY_SQL = text(
    "SELECT c.id, c.reference FROM (SELECT DISTINCT case_id FROM story_fts WHERE story_fts MATCH :q "
    "LIMIT :scan) AS s JOIN case_file AS c ON c.id = s.case_id WHERE c.deleted_at IS NULL LIMIT :limit"
)


class SearchService:
    """Search across the store; names and references rank first, then cases whose story matches."""

    def cases(self, uow: UnitOfWork, typed: str, *, limit: int = 200) -> list[CaseHit]:
        query = fts_query(typed)
        if query is None:
            return []
        hits: dict[str, CaseHit] = {}
        for case_id, ref in uow.session.execute(_CASE_SQL, {"q": query, "limit": limit}):
            hits.setdefault(case_id, CaseHit(case_id, ref, "case"))
        if len(hits) < limit:
            params = {"q": query, "limit": limit, "scan": limit * 4}
            for case_id, ref in uow.session.execute(_STORY_SQL, params):
                hits.setdefault(case_id, CaseHit(case_id, ref, "story"))
                if len(hits) >= limit:
                    break
        return list(hits.values())
