"""Changes: what a mutation touched, so views refresh only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What one mutation touched.

    Attributes:
        entities: names of the entity kinds written (``"case"``, ``"story_entry"`` ...).
        case_ids: ids of the cases whose data changed.
    """

    entities: frozenset[str] = field(default_factory=frozenset)
    case_ids: frozenset[str] = field(default_factory=frozenset)

    def touches(self, entity: str) -> bool:
        return entity in self.entities

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities, self.case_ids | other.case_ids)

    @property
    def empty(self) -> bool:
        return not self.entities
