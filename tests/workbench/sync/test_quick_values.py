"""The short field checks a snapshot's adoption uses (`values.quick_checks`) never pass a value the full check
refuses, and they settle the plain values, so the full check runs only for the rest."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers.factories import TEST_BSNS
from workbench.cases.phases import PHASES, TRACKS
from workbench.errors import ValidationError
from workbench.parties.values import AANSPREEKVORMEN, CHANNELS
from workbench.payments.kinds import PAYMENT_KINDS
from workbench.plans.vocabulary import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    COMMITMENT_OWNERS,
    COMMITMENT_STATUSES,
    NEED_STATUSES,
    life_domains,
)
from workbench.story.kinds import KINDS
from workbench.sync.fields import FIELDS
from workbench.sync.values import DOMAIN, LETTER_STATUSES, MAX_FREE_TEXT, MAX_INT, check_field, quick_checks

ROW_ID = str(uuid.uuid4())
# Values of every JSON type, right and wrong for each kind of field, and the edges of each check.
SAMPLES: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, MAX_INT - 1, MAX_INT, "", "x", "x" * 41, "x" * MAX_FREE_TEXT,
    "x" * (MAX_FREE_TEXT + 1), [], {}, {"$b64": "AAAA"},
    ROW_ID, ROW_ID.upper(), ROW_ID + "\n", ROW_ID[:-1],
    "2026-11-29", "2026-02-30", "2026-11-29\n", "20261129", "2026-1-29",
    "2026-11-29T09:30:00+00:00", "2026-11-29T09:30:00.123456+01:00", "2026-11-29T09:30:00", "2026-11-29 09:30Z",
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00", "2026-11-29T09:30:00+00:00" + " " * 20,
    "ouder", "999990019", "123456789", "99999001", *TEST_BSNS[:2],
]


def _vocabulary_values() -> list[str]:
    """Every word a domain rule knows, and some it does not."""
    words: set[str] = set()
    for vocabulary in (PHASES, TRACKS, AANSPREEKVORMEN, CHANNELS, PAYMENT_KINDS, ACTION_OWNERS, ACTION_STATUSES,
                       COMMITMENT_OWNERS, COMMITMENT_STATUSES, NEED_STATUSES, life_domains(), KINDS,
                       LETTER_STATUSES):
        words.update(vocabulary)
    return [*sorted(words), "onbekend", "Intake ", "INTAKE"]


def _full_check_takes(entity: str, name: str, value: Any) -> bool:
    try:
        check_field(entity, name, value)
    except ValidationError:
        return False
    return True


def test_a_short_check_passes_only_what_the_full_check_takes_for_every_field_and_sample() -> None:
    samples = SAMPLES + _vocabulary_values()
    settled = wrongly = checked = 0
    for entity, rules in FIELDS.items():
        quick = quick_checks(entity)
        for name in rules:
            check = quick.get(name)
            if check is None:
                continue
            for value in samples:
                checked += 1
                if check(value):
                    settled += 1
                    wrongly += not _full_check_takes(entity, name, value)
    assert wrongly == 0
    assert checked > 5000 and settled > 0


def test_the_plain_values_of_every_kind_are_settled_by_the_short_check() -> None:
    plain = {"id": ROW_ID, "ref": ROW_ID, "text": "x", "date": "2026-11-29", "timestamp": "2026-11-29T09:30:00+00:00",
             "bool": True, "int": 3}
    missing = []
    for entity, rules in FIELDS.items():
        quick = quick_checks(entity)
        for name, rule in rules.items():
            if rule.kind not in plain or (entity, name) in DOMAIN:
                continue
            check = quick.get(name)
            if check is None or not check(plain[rule.kind]) or (rule.nullable and not check(None)):
                missing.append(f"{entity}.{name}")
    assert not missing


def test_a_field_with_a_vocabulary_is_settled_only_for_its_words() -> None:
    check = quick_checks("case")["phase"]
    assert all(check(phase) for phase in PHASES)
    assert not check("onbekend") and not _full_check_takes("case", "phase", "onbekend")
    bsn = quick_checks("parent")["bsn"]
    assert bsn(TEST_BSNS[0]) and not bsn("123456789")
