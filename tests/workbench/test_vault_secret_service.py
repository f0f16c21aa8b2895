"""The vault against a real Secret Service (gnome-keyring); runs only with WORKBENCH_TEST_SECRET_SERVICE=1."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import keyring
import keyring.backends.SecretService
import pytest

from workbench.errors import WrongPassphrase
from workbench.secrets import KeyringSecrets
from workbench.vault import KdfParams, Vault

pytestmark = [
    pytest.mark.secret_service,
    pytest.mark.skipif(os.environ.get("WORKBENCH_TEST_SECRET_SERVICE") != "1",
                       reason="needs a real Secret Service; set WORKBENCH_TEST_SECRET_SERVICE=1"),
]

SERVICE = "zaakwerkbank-test"
PASS = "correct horse battery"


@pytest.fixture
def secrets() -> Iterator[KeyringSecrets]:
    saved = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.SecretService.Keyring())
    try:
        yield KeyringSecrets(SERVICE)
    finally:
        keyring.set_keyring(saved)


@pytest.fixture
def profile_id(secrets: KeyringSecrets) -> Iterator[str]:
    pid = f"test-{uuid.uuid4()}"
    yield pid
    for suffix in ("data-key", "data-key-pending", "unlock-failures"):
        secrets.delete(f"{pid}/{suffix}")
    assert all(secrets.get(f"{pid}/{s}") is None for s in ("data-key", "data-key-pending", "unlock-failures"))


def test_secret_service_is_accepted_as_secure(secrets: KeyringSecrets) -> None:
    assert secrets.description.startswith("Secret Service")


def test_vault_round_trip_in_the_real_keyring(secrets: KeyringSecrets, profile_id: str) -> None:
    sleeps: list[float] = []
    vault = Vault(secrets, profile_id, KdfParams.cheap(), sleep=sleeps.append)
    key = vault.create(PASS)
    assert secrets.get(f"{profile_id}/data-key") is not None

    # A fresh process sees the same entry.
    restarted = Vault(KeyringSecrets(SERVICE), profile_id, KdfParams.cheap(), sleep=sleeps.append)
    assert restarted.unlock(PASS) == key

    with pytest.raises(WrongPassphrase):
        restarted.unlock("wrong passphrase")
    assert secrets.get(f"{profile_id}/unlock-failures") == "1"

    restarted.change_passphrase(PASS, "a new long passphrase")
    assert vault.unlock("a new long passphrase") == key
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASS)

    staged = os.urandom(32)
    vault.stage_new_key("a new long passphrase", staged)
    vault.commit_new_key()
    assert vault.unlock("a new long passphrase") == staged
    assert secrets.get(f"{profile_id}/data-key-pending") is None
    assert secrets.get(f"{profile_id}/unlock-failures") is None
    assert sleeps == []
