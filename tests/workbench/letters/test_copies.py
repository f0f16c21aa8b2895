"""A copy of a letter written as a file: owner-only from the moment it exists, replaced whole, never half."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.errors import UserError
from workbench.letters.copies import write_copy


def test_the_file_is_created_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_copy(tmp_path / "kopie.pdf", b"%PDF-1.4 x")
    finally:
        os.umask(old)
    assert (tmp_path / "kopie.pdf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "kopie.pdf").read_bytes() == b"%PDF-1.4 x"


def test_an_existing_readable_file_is_replaced_by_an_owner_only_one(tmp_path: Path) -> None:
    target = tmp_path / "kopie.pdf"
    target.write_bytes(b"oud")
    target.chmod(0o644)
    write_copy(target, b"%PDF-1.4 nieuw")
    assert target.read_bytes() == b"%PDF-1.4 nieuw" and target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["kopie.pdf"]  # no temporary file left behind


def test_a_missing_folder_is_one_dutch_error_naming_the_option(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"Kan .* niet schrijven") as err:
        write_copy(tmp_path / "geen-map" / "kopie.pdf", b"%PDF", field="out")
    assert err.value.field == "out"
