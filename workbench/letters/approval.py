"""What a reviewer approves: the letter content an approval fixes, its digest, and the issue that may follow.

Device and central use these same functions. Approval fixes everything a reviewer judged: the template and its
version, the typed values, the amounts, the facts they were computed from, the child, the story entries and the
case. Issuing changes only the issue fields, and in the values only the dates and terms that are computed again
for the issue date (`redated_at_issue`); central computes those again itself (central/approval.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from workbench.letters.templates import Template

# Row fields an approval fixes (besides the values); `field_values` is added without the re-dated fields.
CONTENT_FIELDS = ("case_id", "template_id", "template_version", "kind", "author_id", "child_id",
                  "corrects_letter_id", "facts", "story_entry_ids", "policy_version", "policy_versions",
                  "deleted_at")
# What the move from approved to issued may set, besides the statuses themselves.
ISSUE_FIELDS = frozenset({"status", "field_values", "dated_on", "issued_at", "pdf", "pdf_sha256"})
# States that carry a review: an import or any change outside the review flow takes a letter out of them.
REVIEW_STATES = frozenset({"in_review", "approved"})
# Derived fields that keep their approved value at issue even though a rule computes them.
_KEPT_AT_ISSUE = frozenset({"legal_basis", "policy_versions"})


def redated_at_issue(template: Template) -> frozenset[str]:
    """The derived fields issuing computes again for the issue date: dates and terms; amounts stay as approved."""
    return frozenset(spec.name for spec in template.fields
                     if spec.derived is not None and spec.type not in ("money", "list")
                     and spec.name not in _KEPT_AT_ISSUE)


def approved_content(data: Mapping[str, Any], redated: frozenset[str]) -> dict[str, Any]:
    """The part of a letter row (JSON form) that an approval fixes and issuing must leave as it is."""
    values = data.get("field_values")
    kept = {k: v for k, v in values.items() if k not in redated} if isinstance(values, Mapping) else values
    return {**{name: data.get(name) for name in CONTENT_FIELDS}, "field_values": kept}


def content_digest(data: Mapping[str, Any], redated: frozenset[str]) -> str:
    """sha256 over the approved content in a canonical JSON form (sorted keys, no spaces)."""
    body = json.dumps(approved_content(data, redated), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def without_review(row: dict[str, Any]) -> dict[str, Any]:
    """A letter row brought in from outside (a dossier): never under review or approved, always a draft again.

    An issued letter stays issued (it is final and its PDF is checked); every other state becomes a draft
    without reviewer, so it must be submitted and approved on this side before it can be sent.
    """
    if row.get("status") == "issued":
        return row
    return {**row, "status": "draft", "reviewer_id": None}
