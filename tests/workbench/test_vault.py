"""The vault: wrapping the data key, wrong passphrases, throttling, passphrase change and staged keys."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.fakes import MemorySecrets
from workbench.errors import BugError, UserError, VaultUnavailable, WrongPassphrase
from workbench.vault import KdfParams, Vault

PASS = "correct horse battery"
MAIN = "p1/data-key"
PENDING = "p1/data-key-pending"
COUNTER = "p1/unlock-failures"


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def secrets() -> MemorySecrets:
    return MemorySecrets()


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def vault(secrets: MemorySecrets, sleep: FakeSleep) -> Vault:
    return Vault(secrets, "p1", KdfParams.cheap(), sleep=sleep)


def test_default_kdf_parameters_are_the_production_cost() -> None:
    assert KdfParams() == KdfParams(time_cost=3, memory_kib=65536, parallelism=2)
    assert KdfParams.cheap() != KdfParams()


def test_create_then_unlock_returns_the_same_random_key(vault: Vault, secrets: MemorySecrets) -> None:
    assert not vault.exists()
    key = vault.create(PASS)
    assert len(key) == 32 and vault.exists()
    assert vault.unlock(PASS) == key
    other = Vault(MemorySecrets(), "p1", KdfParams.cheap()).create(PASS)
    assert other != key


def test_entry_has_the_documented_format(vault: Vault, secrets: MemorySecrets) -> None:
    key = vault.create(PASS)
    entry = json.loads(secrets.entries[MAIN])
    assert set(entry) == {"v", "kdf", "t", "m", "p", "salt", "nonce", "ct"}
    assert (entry["v"], entry["kdf"], entry["t"], entry["m"], entry["p"]) == (1, "argon2id", 1, 8, 1)
    assert len(base64.b64decode(entry["nonce"])) == 12 and len(base64.b64decode(entry["ct"])) == 48
    assert key.hex() not in secrets.entries[MAIN] and PASS not in secrets.entries[MAIN]


def test_unlock_uses_the_cost_stored_in_the_entry(secrets: MemorySecrets) -> None:
    key = Vault(secrets, "p1", KdfParams(time_cost=2, memory_kib=16, parallelism=1)).create(PASS)
    assert Vault(secrets, "p1", KdfParams.cheap()).unlock(PASS) == key


def test_short_passphrase_is_refused_with_the_field(vault: Vault, secrets: MemorySecrets) -> None:
    with pytest.raises(UserError) as info:
        vault.create("1234567")
    assert info.value.field == "passphrase" and "8 tekens" in info.value.text()
    assert secrets.entries == {}
    assert len(vault.create("12345678")) == 32


def test_create_never_overwrites_an_existing_key(vault: Vault, secrets: MemorySecrets) -> None:
    key = vault.create(PASS)
    before = dict(secrets.entries)
    with pytest.raises(VaultUnavailable):
        vault.create("another passphrase")
    assert secrets.entries == before
    assert vault.unlock(PASS) == key


def test_missing_entry_is_reported_and_never_replaced(vault: Vault, secrets: MemorySecrets) -> None:
    with pytest.raises(VaultUnavailable, match="geen sleutel voor dit profiel"):
        vault.unlock(PASS)
    assert secrets.entries == {}
    assert not [c for c in secrets.calls if c[0] == "set"]


def test_wrong_passphrase_changes_only_the_failure_counter(vault: Vault, secrets: MemorySecrets) -> None:
    vault.create(PASS)
    before = dict(secrets.entries)
    with pytest.raises(WrongPassphrase, match="Het wachtwoord klopt niet"):
        vault.unlock("not the passphrase")
    after = dict(secrets.entries)
    assert after.pop(COUNTER) == "1"
    assert after == before


def test_throttle_waits_longer_after_the_third_failure_and_resets_on_success(
    vault: Vault, secrets: MemorySecrets, sleep: FakeSleep
) -> None:
    vault.create(PASS)
    for _ in range(10):
        with pytest.raises(WrongPassphrase):
            vault.unlock("wrong passphrase")
    assert sleep.delays == [1, 2, 4, 8, 16, 30, 30]
    assert vault.failures() == 10
    vault.unlock(PASS)
    assert sleep.delays[-1] == 30 and len(sleep.delays) == 8
    assert vault.failures() == 0 and COUNTER not in secrets.entries
    with pytest.raises(WrongPassphrase):
        vault.unlock("wrong passphrase")
    assert len(sleep.delays) == 8


def test_failure_count_survives_a_restart(secrets: MemorySecrets, sleep: FakeSleep) -> None:
    Vault(secrets, "p1", KdfParams.cheap()).create(PASS)
    for _ in range(4):
        with pytest.raises(WrongPassphrase):
            Vault(secrets, "p1", KdfParams.cheap(), sleep=sleep).unlock("wrong passphrase")
    assert sleep.delays == [1]
    fresh = Vault(secrets, "p1", KdfParams.cheap(), sleep=sleep)
    fresh.unlock(PASS)
    assert sleep.delays == [1, 2]
    assert fresh.failures() == 0


def test_change_passphrase_keeps_the_key_retires_the_old(vault: Vault, secrets: MemorySecrets) -> None:
    key = vault.create(PASS)
    old_entry = json.loads(secrets.entries[MAIN])
    vault.change_passphrase(PASS, "a new long passphrase")
    new_entry = json.loads(secrets.entries[MAIN])
    assert new_entry["salt"] != old_entry["salt"] and new_entry["nonce"] != old_entry["nonce"]
    assert vault.unlock("a new long passphrase") == key
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASS)


def test_change_passphrase_wrong_old_or_short_new(vault: Vault, secrets: MemorySecrets) -> None:
    vault.create(PASS)
    main = secrets.entries[MAIN]
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("wrong passphrase", "a new long passphrase")
    with pytest.raises(UserError) as info:
        vault.change_passphrase(PASS, "short")
    assert info.value.field == "passphrase"
    assert secrets.entries[MAIN] == main


@pytest.mark.parametrize("field", ["ct", "nonce", "salt"])
def test_tampered_entry_does_not_unlock(vault: Vault, secrets: MemorySecrets, field: str) -> None:
    vault.create(PASS)
    entry = json.loads(secrets.entries[MAIN])
    raw = bytearray(base64.b64decode(entry[field]))
    raw[0] ^= 1
    entry[field] = base64.b64encode(bytes(raw)).decode()
    secrets.entries[MAIN] = json.dumps(entry)
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASS)


def test_entry_is_bound_to_its_profile(secrets: MemorySecrets) -> None:
    Vault(secrets, "p1", KdfParams.cheap()).create(PASS)
    secrets.entries["p2/data-key"] = secrets.entries[MAIN]
    with pytest.raises(WrongPassphrase):
        Vault(secrets, "p2", KdfParams.cheap()).unlock(PASS)


@pytest.mark.parametrize("mutate", [
    lambda e: "not json",
    lambda e: json.dumps([1, 2]),
    lambda e: json.dumps({**e, "v": 2}),
    lambda e: json.dumps({**e, "kdf": "scrypt"}),
    lambda e: json.dumps({**e, "m": 1 << 40}),
    lambda e: json.dumps({**e, "t": True}),
    lambda e: json.dumps({**e, "ct": "***"}),
    lambda e: json.dumps({**e, "nonce": base64.b64encode(b"short").decode()}),
    lambda e: json.dumps({k: v for k, v in e.items() if k != "salt"}),
])
def test_malformed_entry_is_reported(
    vault: Vault, secrets: MemorySecrets, mutate: Callable[[dict[str, Any]], str]
) -> None:
    vault.create(PASS)
    entry = json.loads(secrets.entries[MAIN])
    secrets.entries[MAIN] = mutate(entry)
    with pytest.raises(VaultUnavailable, match="beschadigd"):
        vault.unlock(PASS)
    assert COUNTER not in secrets.entries


def test_keyring_failure_surfaces_as_vault_unavailable(vault: Vault, secrets: MemorySecrets) -> None:
    vault.create(PASS)
    secrets.fail_next = "get"
    with pytest.raises(VaultUnavailable):
        vault.unlock(PASS)
    secrets.fail_next = "set"
    with pytest.raises(VaultUnavailable):
        vault.change_passphrase(PASS, "a new long passphrase")
    assert vault.unlock(PASS)


def test_no_secret_in_messages_or_repr(vault: Vault, secrets: MemorySecrets) -> None:
    key = vault.create(PASS)
    texts = [repr(vault), str(vault.kdf)]
    for attempt in (lambda: vault.unlock("wrong passphrase"), lambda: vault.create(PASS),
                    lambda: vault.change_passphrase("wrong passphrase", "new passphrase!")):
        with pytest.raises(UserError) as info:
            attempt()
        texts += [str(info.value), repr(info.value), info.value.text()]
    assert repr(vault) == "Vault(profile_id='p1')"
    for text in texts:
        assert PASS not in text and "wrong passphrase" not in text
        assert key.hex() not in text and key.hex().upper() not in text


def test_profile_id_must_be_a_plain_name(secrets: MemorySecrets) -> None:
    for bad in ("", "a/b"):
        with pytest.raises(BugError):
            Vault(secrets, bad, KdfParams.cheap())


def test_staged_key_is_kept_beside_the_main_key_until_committed(vault: Vault, secrets: MemorySecrets) -> None:
    old = vault.create(PASS)
    new = bytes(range(32))
    assert vault.pending_key(PASS) is None
    vault.stage_new_key(PASS, new)
    assert vault.unlock(PASS) == old and vault.pending_key(PASS) == new
    vault.commit_new_key()
    assert vault.unlock(PASS) == new and vault.pending_key(PASS) is None
    assert PENDING not in secrets.entries


def test_commit_writes_main_before_deleting_pending(vault: Vault, secrets: MemorySecrets) -> None:
    vault.create(PASS)
    vault.stage_new_key(PASS, bytes(32))
    secrets.calls.clear()
    vault.commit_new_key()
    writes = [c for c in secrets.calls if c[0] != "get"]
    assert writes == [("set", MAIN), ("delete", PENDING)]


def test_discarded_stage_leaves_the_old_key(vault: Vault) -> None:
    old = vault.create(PASS)
    vault.stage_new_key(PASS, bytes(32))
    vault.discard_pending()
    assert vault.pending_key(PASS) is None and vault.unlock(PASS) == old
    with pytest.raises(BugError):
        vault.commit_new_key()


def test_stage_checks_passphrase_never_overwrites_staged(vault: Vault, secrets: MemorySecrets) -> None:
    vault.create(PASS)
    with pytest.raises(WrongPassphrase):
        vault.stage_new_key("wrong passphrase", bytes(32))
    assert PENDING not in secrets.entries
    vault.stage_new_key(PASS, bytes(32))
    with pytest.raises(VaultUnavailable, match="sleutelwissel"):
        vault.stage_new_key(PASS, bytes([1]) * 32)
    with pytest.raises(VaultUnavailable, match="sleutelwissel"):
        vault.change_passphrase(PASS, "a new long passphrase")
    assert vault.pending_key(PASS) == bytes(32)


def test_destroy_removes_every_entry_of_the_profile_only(secrets: MemorySecrets) -> None:
    vault = Vault(secrets, "p1", KdfParams.cheap())
    vault.create(PASS)
    vault.stage_new_key(PASS, bytes(32))
    with pytest.raises(WrongPassphrase):
        vault.unlock("wrong passphrase")
    other = Vault(secrets, "p2", KdfParams.cheap())
    other_key = other.create(PASS)
    vault.destroy()
    assert sorted(secrets.entries) == ["p2/data-key"]
    assert not vault.exists() and other.unlock(PASS) == other_key
