"""Every pushed value checked before anything is written: types, formats, lengths, domain rules, references.

The definitions are the device's own (`workbench.sync.values`); a wrong value refuses that one change with a
Dutch reason naming the field, and the rest of the batch still applies.
"""

from __future__ import annotations

from typing import Any

from central.access import RowCache
from workbench.errors import ValidationError
from workbench.sync import values as wire
from workbench.sync.protocol import CENTRAL_OWNED, PARENT_SCOPED, Change

LABELS = {"parent": "een ouder", "child": "een kind", "case": "een zaak", "need": "een behoefte",
          "commitment": "een toezegging", "consent": "een toestemming", "letter": "een brief"}


def refusal(rows: RowCache, change: Change, values: dict[str, Any]) -> str | None:
    """Why the change's values may not be stored (Dutch, naming the field), or None when they may."""
    if change.entity in CENTRAL_OWNED:
        return None
    try:
        wire.check_fields(change.entity, values)
    except ValidationError as exc:
        return f"Ongeldige waarde voor {change.entity}.{exc.field or '?'}: {exc.message}"
    if "id" in values and values["id"] != change.row_id:
        return f"Ongeldige waarde voor {change.entity}.id: het id verschilt van de rij (row_id)."
    wanted = wire.references(change.entity, values)
    if change.entity in PARENT_SCOPED - {"parent"} or change.entity == "case":
        parent = values.get("parent_id") or change.scope.parent_id
        if isinstance(parent, str) and "parent_id" not in values:
            wanted.append(("scope.parent_id", "parent", parent))
    for field, target, row_id in wanted:
        if rows.get(target, row_id) is None:
            label = LABELS.get(target, target)
            return f"{change.entity}.{field} verwijst naar {label} die de centrale niet kent ({row_id})."
    return None
