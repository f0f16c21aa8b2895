"""What a dossier holds: its format marker, sections, their models and a row's JSON-safe form."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Table

from workbench.models import (
    Action,
    Case,
    CaseTrack,
    Child,
    Commitment,
    CommitmentStatusChange,
    Consent,
    Disclosure,
    ExPartner,
    Letter,
    Need,
    Parent,
    Payment,
    PhaseChange,
    StoryEntry,
)
from workbench.store.schema import Base
from workbench.sync.outbox import jsonable

FORMAT = "zaakwerkbank-dossier"
VERSION = 1

# Sections holding one row.
SINGLE: dict[str, type[Base]] = {"parent": Parent, "case": Case}

# Sections holding lists of rows, in the order they are written: a foreign key only points backwards
# (to the parent, the case, or a section listed earlier).
LISTS: dict[str, type[Base]] = {
    "children": Child, "ex_partners": ExPartner, "phase_changes": PhaseChange, "tracks": CaseTrack,
    "story": StoryEntry, "needs": Need, "actions": Action, "commitments": Commitment,
    "commitment_status_changes": CommitmentStatusChange, "consents": Consent, "disclosures": Disclosure,
    "letters": Letter, "payments": Payment,
}

# What one row of a section is called in messages.
LABELS: dict[str, str] = {
    "parent": "Ouder", "case": "Zaak", "children": "Kind", "ex_partners": "Ex-partner",
    "phase_changes": "Fasewissel", "tracks": "Spoor", "story": "Verslag", "needs": "Behoefte",
    "actions": "Actie", "commitments": "Toezegging", "commitment_status_changes": "Statuswijziging",
    "consents": "Toestemming", "disclosures": "Verstrekking", "letters": "Brief",
    "payments": "Betaling",
}

# A stable order per list, readable too: history by date, with the write time and id breaking ties.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "children": ("birth_date", "id"), "ex_partners": ("id",),
    "phase_changes": ("on_date", "updated_at", "id"), "tracks": ("started_on", "id"),
    "story": ("occurred_at", "id"), "needs": ("id",), "actions": ("id",),
    "commitments": ("promised_on", "id"),
    "commitment_status_changes": ("commitment_id", "on_date", "updated_at", "id"),
    "consents": ("given_on", "id"), "disclosures": ("disclosed_on", "id"), "letters": ("id",),
    "payments": ("paid_on", "id"),
}

ACCESS_LOG_FIELDS = ("seq", "at", "user_id", "device_id", "verb", "entity", "entity_id", "result", "detail")

TOP_LEVEL = frozenset({"format", "version", "exported_at", "access_log", *SINGLE, *LISTS})


def table_of(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def columns(model: type[Base]) -> list[Column[Any]]:
    """Every column of a section's table; the column names are also the ORM attribute names."""
    return list(table_of(model).columns)


def row_json(model: type[Base], values: Mapping[Any, Any]) -> dict[str, Any]:
    """One row, every column, JSON-safe; binary columns (the letter PDF) as plain base64 text."""
    out: dict[str, Any] = {}
    for col in columns(model):
        value = values[col.name]
        binary = isinstance(value, bytes)
        out[col.name] = base64.b64encode(value).decode("ascii") if binary else jsonable(value)
    return out


def sort_rows(section: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list section in its stable order (keys compared as their JSON text; ISO forms sort correctly)."""
    keys = SORT_KEYS[section]
    return sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in keys))
