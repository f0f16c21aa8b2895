"""The store's data key, kept in the secret store, wrapped with AES-256-GCM under an Argon2id key."""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from workbench.errors import BugError, UserError, VaultUnavailable, WrongPassphrase
from workbench.secrets import SecretStore

KEY_BYTES = 32
MIN_PASSPHRASE = 8
FORMAT_VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
FREE_ATTEMPTS = 3
MAX_DELAY = 30.0

WRONG_PASSPHRASE = (
    "Het wachtwoord klopt niet. Probeer het opnieuw; na enkele mislukte pogingen "
    "moet u steeds iets langer wachten voor de volgende poging."
)
NO_KEY = (
    "Er is geen sleutel voor dit profiel in de sleutelbos gevonden. Zonder die sleutel kunnen de gegevens "
    "niet worden geopend. Gebruikt u dezelfde computer en hetzelfde gebruikersaccount als bij het aanmaken? "
    "Neem anders contact op met de functioneel beheerder."
)
KEY_DAMAGED = (
    "De sleutel voor dit profiel in de sleutelbos is beschadigd of onleesbaar. "
    "Neem contact op met de functioneel beheerder."
)
KEY_EXISTS = (
    "Voor dit profiel staat al een sleutel in de sleutelbos. Een bestaande sleutel wordt nooit overschreven; "
    "kies een nieuw profiel of open het bestaande."
)
REKEY_UNFINISHED = (
    "Een eerdere sleutelwissel is niet afgemaakt. Open eerst de gegevensopslag, zodat de Zaakwerkbank die "
    "wissel afrondt, en probeer het daarna opnieuw."
)
TOO_SHORT = f"Het wachtwoord moet minstens {MIN_PASSPHRASE} tekens lang zijn."


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes, memory in KiB, lanes. Defaults are the production cost (about 100 ms)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    @classmethod
    def cheap(cls) -> KdfParams:
        """Minimal cost for tests; chosen by configuration, never by production code."""
        return cls(time_cost=1, memory_kib=8, parallelism=1)


# Bounds on parameters read back from an entry, so a damaged entry cannot ask for absurd memory or time.
_MAX_TIME = 16
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_PARALLELISM = 16


def _normalise(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on another OS or keyboard layout derives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        _normalise(passphrase), salt, time_cost=kdf.time_cost, memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism, hash_len=KEY_BYTES, type=Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _int_field(entry: dict[str, Any], name: str, low: int, high: int) -> int:
    value = entry.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise VaultUnavailable(KEY_DAMAGED)
    return value


def _bytes_field(entry: dict[str, Any], name: str, length: int | None = None) -> bytes:
    value = entry.get(name)
    if not isinstance(value, str):
        raise VaultUnavailable(KEY_DAMAGED)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VaultUnavailable(KEY_DAMAGED) from None
    if length is not None and len(data) != length:
        raise VaultUnavailable(KEY_DAMAGED)
    return data


@dataclass(frozen=True)
class _Wrapped:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ct: bytes

    @classmethod
    def parse(cls, text: str) -> _Wrapped:
        try:
            entry = json.loads(text)
        except ValueError:
            raise VaultUnavailable(KEY_DAMAGED) from None
        if not isinstance(entry, dict) or entry.get("v") != FORMAT_VERSION or entry.get("kdf") != "argon2id":
            raise VaultUnavailable(KEY_DAMAGED)
        parallelism = _int_field(entry, "p", 1, _MAX_PARALLELISM)
        kdf = KdfParams(
            time_cost=_int_field(entry, "t", 1, _MAX_TIME),
            memory_kib=_int_field(entry, "m", 8 * parallelism, _MAX_MEMORY_KIB),
            parallelism=parallelism,
        )
        salt = _bytes_field(entry, "salt")
        if len(salt) < SALT_BYTES:
            raise VaultUnavailable(KEY_DAMAGED)
        nonce = _bytes_field(entry, "nonce", NONCE_BYTES)
        return cls(kdf, salt, nonce, _bytes_field(entry, "ct", KEY_BYTES + TAG_BYTES))

    def dump(self) -> str:
        return json.dumps({
            "v": FORMAT_VERSION, "kdf": "argon2id", "t": self.kdf.time_cost, "m": self.kdf.memory_kib,
            "p": self.kdf.parallelism,
            "salt": _b64(self.salt), "nonce": _b64(self.nonce), "ct": _b64(self.ct),
        })


class Vault:
    """The wrapped data key of one profile, plus the unlock throttle and the staging area for a rekey.

    Attributes:
        profile_id: whose key this is; part of every entry name and bound into the ciphertext.
        kdf: the Argon2id cost used for new wraps; unwrapping uses the cost stored in the entry.
    """

    def __init__(self, secrets: SecretStore, profile_id: str, kdf: KdfParams, *,
                 sleep: Callable[[float], None] = time.sleep, persist_failures: bool = True) -> None:
        if not profile_id or "/" in profile_id:
            raise BugError("profile id must be non-empty and without '/'")
        self.profile_id = profile_id
        self.kdf = kdf
        self._secrets = secrets
        self._sleep = sleep
        self._failures = 0
        # A demo profile's secret store is a file inside the profile; a wrong passphrase must not touch it.
        self._persist = persist_failures

    @property
    def secrets(self) -> SecretStore:
        return self._secrets

    def __repr__(self) -> str:
        return f"Vault(profile_id={self.profile_id!r})"

    @property
    def _main(self) -> str:
        return f"{self.profile_id}/data-key"

    @property
    def _pending(self) -> str:
        return f"{self.profile_id}/data-key-pending"

    @property
    def _counter(self) -> str:
        return f"{self.profile_id}/unlock-failures"

    def _aad(self) -> bytes:
        return f"zaakwerkbank/data-key/v{FORMAT_VERSION}/{self.profile_id}".encode()

    # -- wrapping -------------------------------------------------------------------------------

    def _wrap(self, passphrase: str, key: bytes) -> str:
        if len(key) != KEY_BYTES:
            raise BugError("data key has the wrong length")
        salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
        ct = AESGCM(_derive(passphrase, salt, self.kdf)).encrypt(nonce, key, self._aad())
        return _Wrapped(self.kdf, salt, nonce, ct).dump()

    def _unwrap(self, name: str, passphrase: str) -> bytes:
        text = self._secrets.get(name)
        if text is None:
            raise VaultUnavailable(NO_KEY)
        wrapped = _Wrapped.parse(text)
        self._throttle()
        try:
            key = AESGCM(_derive(passphrase, wrapped.salt, wrapped.kdf)).decrypt(
                wrapped.nonce, wrapped.ct, self._aad())
        except InvalidTag:
            self._record_failure()
            raise WrongPassphrase(WRONG_PASSPHRASE) from None
        self._reset_failures()
        return key

    # -- throttling -----------------------------------------------------------------------------

    def _stored_failures(self) -> int:
        if not self._persist:
            return 0
        text = self._secrets.get(self._counter)
        try:
            return max(0, int(text)) if text is not None else 0
        except ValueError:
            return 0

    def failures(self) -> int:
        """Consecutive failed attempts, counting those of earlier runs (the larger count wins)."""
        return max(self._failures, self._stored_failures())

    def _throttle(self) -> None:
        n = self.failures()
        if n >= FREE_ATTEMPTS:
            self._sleep(min(MAX_DELAY, float(2 ** (n - FREE_ATTEMPTS))))

    def _record_failure(self) -> None:
        self._failures = self.failures() + 1
        if self._persist:
            self._secrets.set(self._counter, str(self._failures))

    def _reset_failures(self) -> None:
        if self._persist and (self._failures or self._secrets.get(self._counter) is not None):
            self._secrets.delete(self._counter)
        self._failures = 0

    # -- the public operations ------------------------------------------------------------------

    def exists(self) -> bool:
        return self._secrets.get(self._main) is not None

    def create(self, passphrase: str) -> bytes:
        """Make, wrap and store a new random data key; refuses if this profile already has one."""
        if self.exists() or self._secrets.get(self._pending) is not None:
            raise VaultUnavailable(KEY_EXISTS)
        _check_new_passphrase(passphrase)
        key = os.urandom(KEY_BYTES)
        self._secrets.set(self._main, self._wrap(passphrase, key))
        self._reset_failures()
        return key

    def unlock(self, passphrase: str) -> bytes:
        """The data key; a missing key is reported, never replaced."""
        return self._unwrap(self._main, passphrase)

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the same data key under `new`; the store file is not touched."""
        _check_new_passphrase(new)
        if self._secrets.get(self._pending) is not None:
            raise VaultUnavailable(REKEY_UNFINISHED)
        key = self.unlock(old)
        self._secrets.set(self._main, self._wrap(new, key))

    def stage_new_key(self, passphrase: str, new_key: bytes) -> None:
        """Keep `new_key` wrapped beside the current one before the store is re-encrypted with it."""
        if self._secrets.get(self._pending) is not None:
            # The store may already be encrypted with the pending key; overwriting it could lose the data.
            raise VaultUnavailable(REKEY_UNFINISHED)
        # Proves the passphrase, so the new key is never wrapped under a mistyped one.
        self.unlock(passphrase)
        self._secrets.set(self._pending, self._wrap(passphrase, new_key))

    def pending_key(self, passphrase: str) -> bytes | None:
        if self._secrets.get(self._pending) is None:
            return None
        return self._unwrap(self._pending, passphrase)

    def commit_new_key(self) -> None:
        """Make the staged key the main one: main is written first, so a crash leaves both readable."""
        text = self._secrets.get(self._pending)
        if text is None:
            raise BugError("there is no staged key to commit")
        _Wrapped.parse(text)
        self._secrets.set(self._main, text)
        self._secrets.delete(self._pending)

    def discard_pending(self) -> None:
        self._secrets.delete(self._pending)

    def destroy(self) -> None:
        """Remove every entry of this profile. Only for undoing a `create` whose store was never written:
        without the key, an existing store can never be opened again."""
        for name in (self._pending, self._main, self._counter):
            self._secrets.delete(name)
        self._failures = 0


def _check_new_passphrase(passphrase: str) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE:
        raise UserError(TOO_SHORT, field="passphrase")
