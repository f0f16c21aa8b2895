"""What each synced entity's fields hold on the wire: kind, nullability, length and the entity an id refers to.

Read from the ORM models by `workbench.sync.rows.derive_field_rules` and written out here, so that central
(which never imports the store) checks the same definitions as the device; tests/workbench/test_sync_values.py
fails when a model changes and this table does not.
"""

from __future__ import annotations

from typing import NamedTuple


class FieldRule(NamedTuple):
    """One column as the wire carries it.

    Attributes:
        kind: id (the row's own), ref (another row's id), text, date, timestamp, bool, int, json or binary.
        nullable: whether null is allowed.
        length: the most characters a text holds (None: `values.MAX_FREE_TEXT`).
        target: the entity a ref points at.
    """

    kind: str
    nullable: bool
    length: int | None = None
    target: str | None = None


FIELDS: dict[str, dict[str, FieldRule]] = {
    "action": {
        "case_id": FieldRule("ref", False, None, "case"),
        "need_id": FieldRule("ref", True, None, "need"),
        "description": FieldRule("text", False),
        "owner": FieldRule("text", False, 20),
        "owner_name": FieldRule("text", False, 200),
        "due_on": FieldRule("date", True),
        "status": FieldRule("text", False, 20),
        "done_on": FieldRule("date", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "case": {
        "reference": FieldRule("text", False, 20),
        "former_references": FieldRule("text", False, 200),
        "parent_id": FieldRule("ref", False, None, "parent"),
        "handler_id": FieldRule("ref", False, None, "user"),
        "team_id": FieldRule("ref", True, None, "team"),
        "phase": FieldRule("text", False, 40),
        "phase_since": FieldRule("date", False),
        "urgent_eviction": FieldRule("bool", False),
        "urgent_energy": FieldRule("bool", False),
        "urgent_garnishment": FieldRule("bool", False),
        "opened_on": FieldRule("date", False),
        "closed_on": FieldRule("date", True),
        "decision_due_on": FieldRule("date", True),
        "objection_due_on": FieldRule("date", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "case_track": {
        "case_id": FieldRule("ref", False, None, "case"),
        "track": FieldRule("text", False, 40),
        "started_on": FieldRule("date", False),
        "ended_on": FieldRule("date", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "child": {
        "parent_id": FieldRule("ref", False, None, "parent"),
        "bsn": FieldRule("text", True, 9),
        "birth_date": FieldRule("date", True),
        "street": FieldRule("text", False, 200),
        "house_number": FieldRule("text", False, 20),
        "postcode": FieldRule("text", False, 7),
        "city": FieldRule("text", False, 100),
        "voorletters": FieldRule("text", False, 20),
        "voornamen": FieldRule("text", False, 200),
        "tussenvoegsel": FieldRule("text", False, 20),
        "achternaam": FieldRule("text", False, 200),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "commitment": {
        "case_id": FieldRule("ref", False, None, "case"),
        "description": FieldRule("text", False),
        "promised_by": FieldRule("text", False, 200),
        "promised_on": FieldRule("date", False),
        "due_on": FieldRule("date", False),
        "status": FieldRule("text", False, 20),
        "resolved_on": FieldRule("date", True),
        "first_due_on": FieldRule("date", True),
        "owner": FieldRule("text", False, 20),
        "source_letter_id": FieldRule("ref", True, None, "letter"),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "commitment_status_change": {
        "commitment_id": FieldRule("ref", False, None, "commitment"),
        "from_status": FieldRule("text", True, 20),
        "to_status": FieldRule("text", False, 20),
        "on_date": FieldRule("date", False),
        "note": FieldRule("text", False, 1000),
        "previous_due_on": FieldRule("date", True),
        "due_on": FieldRule("date", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "consent": {
        "case_id": FieldRule("ref", False, None, "case"),
        "partner": FieldRule("text", False, 200),
        "scope": FieldRule("text", False, 500),
        "given_on": FieldRule("date", False),
        "withdrawn_on": FieldRule("date", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "disclosure": {
        "case_id": FieldRule("ref", False, None, "case"),
        "consent_id": FieldRule("ref", True, None, "consent"),
        "partner": FieldRule("text", False, 200),
        "what": FieldRule("text", False, 1000),
        "basis": FieldRule("text", False, 200),
        "disclosed_on": FieldRule("date", False),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "ex_partner": {
        "parent_id": FieldRule("ref", False, None, "parent"),
        "bsn": FieldRule("text", True, 9),
        "was_toeslagpartner": FieldRule("bool", False),
        "separated_on": FieldRule("date", True),
        "voorletters": FieldRule("text", False, 20),
        "voornamen": FieldRule("text", False, 200),
        "tussenvoegsel": FieldRule("text", False, 20),
        "achternaam": FieldRule("text", False, 200),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "letter": {
        "case_id": FieldRule("ref", False, None, "case"),
        "template_id": FieldRule("text", False, 100),
        "template_version": FieldRule("int", False),
        "kind": FieldRule("text", False, 40),
        "field_values": FieldRule("json", False),
        "policy_version": FieldRule("text", True, 40),
        "status": FieldRule("text", False, 20),
        "author_id": FieldRule("ref", False, None, "user"),
        "reviewer_id": FieldRule("ref", True, None, "user"),
        "review_comment": FieldRule("text", False),
        "pdf": FieldRule("binary", True),
        "pdf_sha256": FieldRule("text", True, 64),
        "issued_at": FieldRule("timestamp", True),
        "corrects_letter_id": FieldRule("ref", True, None, "letter"),
        "policy_versions": FieldRule("json", True),
        "facts": FieldRule("json", True),
        "dated_on": FieldRule("date", True),
        "child_id": FieldRule("ref", True, None, "child"),
        "story_entry_ids": FieldRule("json", True),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "need": {
        "case_id": FieldRule("ref", False, None, "case"),
        "life_domain": FieldRule("text", False, 40),
        "description": FieldRule("text", False),
        "status": FieldRule("text", False, 20),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "parent": {
        "bsn": FieldRule("text", False, 9),
        "aanspreekvorm": FieldRule("text", False, 10),
        "birth_date": FieldRule("date", True),
        "street": FieldRule("text", False, 200),
        "house_number": FieldRule("text", False, 20),
        "postcode": FieldRule("text", False, 7),
        "city": FieldRule("text", False, 100),
        "phone": FieldRule("text", False, 30),
        "email": FieldRule("text", False, 200),
        "preferred_channel": FieldRule("text", False, 20),
        "language_need": FieldRule("text", False, 100),
        "safety_notes": FieldRule("text", False),
        "voorletters": FieldRule("text", False, 20),
        "voornamen": FieldRule("text", False, 200),
        "tussenvoegsel": FieldRule("text", False, 20),
        "achternaam": FieldRule("text", False, 200),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "payment": {
        "case_id": FieldRule("ref", False, None, "case"),
        "kind": FieldRule("text", False, 20),
        "amount_cents": FieldRule("int", False),
        "paid_on": FieldRule("date", False),
        "recipient": FieldRule("text", False, 40),
        "letter_id": FieldRule("ref", True, None, "letter"),
        "note": FieldRule("text", False, 500),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "phase_change": {
        "case_id": FieldRule("ref", False, None, "case"),
        "from_phase": FieldRule("text", True, 40),
        "to_phase": FieldRule("text", False, 40),
        "on_date": FieldRule("date", False),
        "reason": FieldRule("text", False, 500),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
    "story_entry": {
        "case_id": FieldRule("ref", False, None, "case"),
        "occurred_at": FieldRule("timestamp", False),
        "kind": FieldRule("text", False, 20),
        "location": FieldRule("text", False, 200),
        "present": FieldRule("text", False, 500),
        "text": FieldRule("text", False),
        "author_id": FieldRule("ref", False, None, "user"),
        "confirmed_by_parent": FieldRule("bool", False),
        "confirmed_on": FieldRule("date", True),
        "sent_for_confirmation_on": FieldRule("date", True),
        "confirmation_letter_id": FieldRule("text", True, 36),
        "id": FieldRule("id", False),
        "deleted_at": FieldRule("timestamp", True),
    },
}
