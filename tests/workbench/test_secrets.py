"""Secret stores: the keyring adapter refuses insecure backends; the demo file is private and atomic."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from tests.helpers.fakes import MemorySecrets
from workbench.errors import VaultUnavailable
from workbench.secrets import FileSecrets, KeyringSecrets, SecretStore, is_secure_backend

SECRET = "s3cr3t-value-that-must-not-leak"


class DictKeyring(keyring.backend.KeyringBackend):
    """A proper in-memory backend that claims to be secure; can be told to fail."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.fail: bool = False

    def _check(self, password: str | None = None) -> None:
        if self.fail:
            # A backend may well echo what it was given; the adapter must not pass that on.
            raise keyring.errors.KeyringLocked(f"locked while handling {password}")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check(password)
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


class StubbornDelete(DictKeyring):
    """Reports a failed delete while keeping the entry, as a half-broken keyring might."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("cannot delete")


class LowPriority(DictKeyring):
    priority = 0.5  # type: ignore[assignment]


class Unviable(DictKeyring):
    @property
    def priority(self) -> float:  # type: ignore[override]
        raise RuntimeError("no D-Bus here")


class AltPlaintext(DictKeyring):
    """Stands in for keyrings.alt.file.PlaintextKeyring without installing it."""


AltPlaintext.__module__ = "keyrings.alt.file"


class FakeSecretService(DictKeyring):
    pass


FakeSecretService.__module__ = "keyring.backends.SecretService"

# Defining a backend registers it for keyring's own auto-detection; keep these out of it.
for _cls in (DictKeyring, StubbornDelete, LowPriority, Unviable, AltPlaintext, FakeSecretService):
    keyring.backend.KeyringBackend._classes.discard(_cls)


UseBackend = Callable[[keyring.backend.KeyringBackend], None]


@pytest.fixture
def use_backend() -> Iterator[UseBackend]:
    saved = keyring.get_keyring()

    def use(backend: keyring.backend.KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield use
    keyring.set_keyring(saved)


def chainer(
    monkeypatch: pytest.MonkeyPatch, members: list[keyring.backend.KeyringBackend]
) -> keyring.backends.chainer.ChainerBackend:
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", members)
    return keyring.backends.chainer.ChainerBackend()


@pytest.mark.parametrize("make", [
    keyring.backends.fail.Keyring, keyring.backends.null.Keyring, LowPriority, Unviable, AltPlaintext,
], ids=["fail", "null", "priority-below-1", "priority-raises", "keyrings.alt"])
def test_insecure_backends_are_refused(
    use_backend: UseBackend, make: type[keyring.backend.KeyringBackend]
) -> None:
    use_backend(make())
    with pytest.raises(VaultUnavailable, match="geen veilige sleutelbos"):
        KeyringSecrets()


def test_chainer_is_secure_only_when_every_member_is(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_secure_backend(chainer(monkeypatch, []))
    assert not is_secure_backend(chainer(monkeypatch, [DictKeyring(), AltPlaintext()]))
    assert is_secure_backend(chainer(monkeypatch, [DictKeyring(), FakeSecretService()]))


def test_empty_chainer_is_refused(use_backend: UseBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    use_backend(chainer(monkeypatch, []))
    with pytest.raises(VaultUnavailable, match="geen veilige sleutelbos"):
        KeyringSecrets()


def test_secure_backend_round_trips_under_the_service_name(use_backend: UseBackend) -> None:
    backend = DictKeyring()
    use_backend(backend)
    secrets: SecretStore = KeyringSecrets()
    assert secrets.get("p1/data-key") is None
    secrets.set("p1/data-key", SECRET)
    assert backend.store == {("zaakwerkbank", "p1/data-key"): SECRET}
    assert secrets.get("p1/data-key") == SECRET
    secrets.delete("p1/data-key")
    secrets.delete("p1/data-key")  # deleting what is not there is fine
    assert secrets.get("p1/data-key") is None
    assert secrets.description.startswith("Sleutelbos")


def test_description_names_the_platform_keyring(use_backend: UseBackend) -> None:
    use_backend(FakeSecretService())
    assert KeyringSecrets().description.startswith("Secret Service")


@pytest.mark.parametrize("op", ["get", "set", "delete"])
def test_keyring_errors_become_vault_unavailable_without_the_secret(use_backend: UseBackend, op: str) -> None:
    backend = DictKeyring()
    use_backend(backend)
    secrets = KeyringSecrets()
    secrets.set("name", SECRET)
    backend.fail = True
    calls = {"get": lambda: secrets.get("name"), "set": lambda: secrets.set("name", SECRET),
             "delete": lambda: secrets.delete("name")}
    with pytest.raises(VaultUnavailable, match="sleutelbos") as info:
        calls[op]()
    assert SECRET not in str(info.value) and info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_delete_that_leaves_the_entry_is_an_error(use_backend: UseBackend) -> None:
    use_backend(StubbornDelete())
    secrets = KeyringSecrets()
    secrets.delete("never-set")
    secrets.set("name", SECRET)
    with pytest.raises(VaultUnavailable):
        secrets.delete("name")


def test_file_secrets_round_trip_in_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "profile" / "demo-keyring.json"
    secrets: SecretStore = FileSecrets(path)
    assert secrets.get("a") is None
    secrets.set("a", SECRET)
    secrets.set("b", "two")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"a": SECRET, "b": "two"}
    again = FileSecrets(path)
    assert (again.get("a"), again.get("b")) == (SECRET, "two")
    again.delete("a")
    again.delete("a")
    assert FileSecrets(path).get("a") is None
    assert sorted(os.listdir(path.parent)) == ["demo-keyring.json"]  # no temp files left behind
    assert "DEMO" in secrets.description


def test_file_secrets_tighten_a_file_that_was_readable(tmp_path: Path) -> None:
    path = tmp_path / "demo-keyring.json"
    path.write_text("{}")
    path.chmod(0o644)
    FileSecrets(path).set("a", SECRET)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_file_secrets_write_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "demo-keyring.json"
    secrets = FileSecrets(path)
    secrets.set("a", "old")

    def crash(*_args: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(VaultUnavailable, match="kan niet worden geschreven"):
        secrets.set("a", "new")
    assert FileSecrets(path).get("a") == "old"
    assert sorted(os.listdir(tmp_path)) == ["demo-keyring.json"]


@pytest.mark.parametrize("content", ["not json", "[1]", '{"a": 1}'])
def test_damaged_demo_file_is_reported(tmp_path: Path, content: str) -> None:
    path = tmp_path / "demo-keyring.json"
    path.write_text(content)
    with pytest.raises(VaultUnavailable, match="demo-sleutelbestand"):
        FileSecrets(path).get("a")


def test_memory_fake_fails_once_when_told() -> None:
    secrets = MemorySecrets()
    secrets.fail_next = "set"
    with pytest.raises(VaultUnavailable):
        secrets.set("a", "1")
    secrets.set("a", "1")
    assert secrets.get("a") == "1"
