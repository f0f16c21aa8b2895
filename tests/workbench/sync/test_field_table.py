"""The wire field table central checks against is the ORM models' own (types, nullability, lengths, targets)."""

from __future__ import annotations

from workbench.sync.fields import FIELDS
from workbench.sync.protocol import CENTRAL_OWNED, ENTITIES
from workbench.sync.rows import derive_field_rules
from workbench.sync.values import DOMAIN


def test_the_field_table_matches_the_models() -> None:
    assert derive_field_rules() == FIELDS


def test_every_pushable_entity_and_every_domain_rule_has_its_field() -> None:
    assert set(FIELDS) == set(ENTITIES) - CENTRAL_OWNED
    for entity, name in DOMAIN:
        assert name in FIELDS[entity], (entity, name)
