"""The audit anchor in a real Secret Service (gnome-keyring); runs only with WORKBENCH_TEST_SECRET_SERVICE=1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import keyring
import keyring.backends.SecretService
import pytest

from workbench.audit.anchor import Anchor, AnchorKeeper
from workbench.secrets import KeyringSecrets

pytestmark = [
    pytest.mark.secret_service,
    pytest.mark.skipif(os.environ.get("WORKBENCH_TEST_SECRET_SERVICE") != "1",
                       reason="needs a real Secret Service; set WORKBENCH_TEST_SECRET_SERVICE=1"),
]

SERVICE = "zaakwerkbank-test"


@pytest.fixture
def keeper() -> Iterator[AnchorKeeper]:
    saved = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.SecretService.Keyring())
    made = AnchorKeeper(KeyringSecrets(SERVICE), f"test-{uuid.uuid4()}")
    try:
        yield made
    finally:
        made.forget()
        keyring.set_keyring(saved)


def test_background_anchoring_lands_in_the_real_keyring(keeper: AnchorKeeper) -> None:
    for seq in range(1, 41):
        keeper.note(seq, f"{seq:064x}")
    keeper.close()
    # A fresh process (a new connection) reads the newest tip; the burst cost fewer writes than saves.
    fresh = AnchorKeeper(KeyringSecrets(SERVICE), keeper.name.removesuffix("/audit-anchor")).read()
    assert fresh is not None and fresh.seq == 40 and fresh.hash == f"{40:064x}"
    assert 1 <= fresh.counter <= 40
    keeper.advance(39, "f" * 64)
    assert keeper.read() == Anchor(40, f"{40:064x}", fresh.counter)
