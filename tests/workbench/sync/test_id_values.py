"""A row id is a UUID in its canonical form exactly: anything around it is refused with a Dutch message."""

from __future__ import annotations

import uuid

import pytest

from workbench.errors import ValidationError
from workbench.sync.values import identifier


def test_the_canonical_form_passes_and_anything_else_is_refused_by_name() -> None:
    row_id = str(uuid.uuid4())
    assert identifier(row_id, "id") == row_id
    for wrong in [row_id + "\n", row_id.upper(), "{" + row_id + "}", row_id.replace("-", ""), row_id[:-1]]:
        with pytest.raises(ValidationError) as refused:
            identifier(wrong, "case_id")
        assert refused.value.field == "case_id" and "UUID" in str(refused.value)
