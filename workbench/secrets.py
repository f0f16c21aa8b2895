"""Where small secrets live: the OS keyring behind a small protocol, or a demo-only file in the profile."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from workbench.errors import VaultUnavailable

NO_SECURE_KEYRING = (
    "Er is geen veilige sleutelbos (keyring) beschikbaar op deze computer. "
    "De Zaakwerkbank bewaart de sleutel van uw gegevens alleen in een beveiligde sleutelbos, "
    "zoals Windows Credential Locker, de macOS-sleutelhanger of een Secret Service (gnome-keyring, KWallet). "
    "Start of installeer een sleutelbos en probeer het opnieuw; gebruik --demo alleen voor oefengegevens."
)
KEYRING_FAILED = (
    "De sleutelbos (keyring) reageert niet of is vergrendeld. "
    "Ontgrendel de sleutelbos van uw computer en probeer het opnieuw."
)
DEMO_FILE_BROKEN = "Het demo-sleutelbestand in het profiel is beschadigd of onleesbaar ({name})."
DEMO_FILE_UNWRITABLE = (
    "Het demo-sleutelbestand in het profiel kan niet worden geschreven ({name}); is de schijf vol?"
)

# Descriptions for the backends we expect on the three desktop platforms, keyed by module.
_DESCRIPTIONS = {
    "keyring.backends.SecretService": "Secret Service (gnome-keyring of KWallet)",
    "keyring.backends.libsecret": "Secret Service via libsecret (gnome-keyring of KWallet)",
    "keyring.backends.kwallet": "KWallet",
    "keyring.backends.Windows": "Windows Credential Locker",
    "keyring.backends.macOS": "macOS-sleutelhanger (Keychain)",
}


class SecretStore(Protocol):
    """A place for short named text secrets; `get` returns None for a name never set."""

    @property
    def description(self) -> str: ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None:
        """Remove `name`; removing a name that is not there is not an error."""
        ...


def _priority(backend: Any) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend that cannot tell its priority is not viable here
        return -1.0


def is_secure_backend(backend: keyring.backend.KeyringBackend) -> bool:
    """True for a backend that keeps secrets encrypted by the OS: not fail/null, not plaintext files."""
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        # A chain falls through to its weaker members when a stronger one fails, so all must be secure.
        members = list(backend.backends)
        return bool(members) and all(is_secure_backend(m) for m in members)
    if isinstance(backend, (keyring.backends.fail.Keyring, keyring.backends.null.Keyring)):
        return False
    if type(backend).__module__.startswith("keyrings.alt"):
        return False
    return _priority(backend) >= 1


class KeyringSecrets:
    """Secrets in the keyring backend that `keyring` has selected; refuses backends that are not secure.

    Attributes:
        service: the keyring service name every entry is stored under.
    """

    def __init__(self, service: str = "zaakwerkbank") -> None:
        backend = keyring.get_keyring()
        if not is_secure_backend(backend):
            raise VaultUnavailable(NO_SECURE_KEYRING)
        self.service = service
        self._backend = backend

    def __repr__(self) -> str:
        return f"KeyringSecrets(service={self.service!r}, backend={type(self._backend).__name__})"

    @property
    def description(self) -> str:
        module = type(self._backend).__module__
        for prefix, text in _DESCRIPTIONS.items():
            if module.startswith(prefix):
                return text
        return f"Sleutelbos: {self._backend.name}"

    def get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(self.service, name)
        except keyring.errors.KeyringError:
            raise VaultUnavailable(KEYRING_FAILED) from None

    def set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(self.service, name, value)
        except keyring.errors.KeyringError:
            raise VaultUnavailable(KEYRING_FAILED) from None

    def delete(self, name: str) -> None:
        try:
            self._backend.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            # Backends report "no such entry" this way; only a failure if the entry is still there.
            if self.get(name) is not None:
                raise VaultUnavailable(KEYRING_FAILED) from None
        except keyring.errors.KeyringError:
            raise VaultUnavailable(KEYRING_FAILED) from None


def _fsync_directory(path: Path) -> None:
    """Make a rename inside `path` durable; POSIX only (Windows cannot open a directory)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_FILE_LOCK = threading.Lock()


class FileSecrets:
    """A JSON file of secrets inside a `--demo` profile; never for real data (it is as safe as the disk).

    Attributes:
        path: the JSON file; created with mode 0600 and always replaced atomically.
    """

    description = "Demo-sleutelbestand in het profiel — DEMO, niet voor echte gegevens"

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"FileSecrets(path={str(self.path)!r})"

    def _load(self) -> dict[str, str]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError:
            raise VaultUnavailable(DEMO_FILE_BROKEN.format(name=self.path.name)) from None
        try:
            data = json.loads(raw)
        except ValueError:
            raise VaultUnavailable(DEMO_FILE_BROKEN.format(name=self.path.name)) from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise VaultUnavailable(DEMO_FILE_BROKEN.format(name=self.path.name))
        return data

    def _save(self, data: dict[str, str]) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # mkstemp creates the file with mode 0600, so the secrets are never readable by others.
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
        except OSError:
            raise VaultUnavailable(DEMO_FILE_UNWRITABLE.format(name=self.path.name)) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_directory(folder)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise VaultUnavailable(DEMO_FILE_UNWRITABLE.format(name=self.path.name)) from None
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def get(self, name: str) -> str | None:
        return self._load().get(name)

    def set(self, name: str, value: str) -> None:
        with _FILE_LOCK:  # the audit anchor is written from a background thread (workbench.audit.anchor)
            data = self._load()
            data[name] = value
            self._save(data)

    def delete(self, name: str) -> None:
        with _FILE_LOCK:
            data = self._load()
            if data.pop(name, None) is not None:
                self._save(data)
