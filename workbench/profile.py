"""The profile folder: which files it holds and its small plaintext descriptor (no personal data)."""

from __future__ import annotations

import json
import os
import platform
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from workbench.errors import UserError

STORE_FILE = "store.db"
DESCRIPTOR_FILE = "profile.json"
DEMO_KEYRING_FILE = "demo-keyring.json"
FORMAT = 1


def default_profile_dir() -> Path:
    """The platform's user data folder, as desktop applications use it."""
    if platform.system() == "Windows":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif platform.system() == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "zaakwerkbank"


@dataclass(frozen=True)
class Descriptor:
    """What may be read before unlocking: ids and the demo flag, never case data.

    Attributes:
        profile_id: names the key in the keyring.
        device_id: this laptop's id in audit events and sync.
        user_id: the local user's id (their name lives inside the encrypted store).
    """

    profile_id: str
    device_id: str
    user_id: str
    demo: bool
    format: int = FORMAT

    @classmethod
    def new(cls, *, demo: bool) -> Descriptor:
        return cls(str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), demo)


def read_descriptor(folder: Path) -> Descriptor:
    path = folder / DESCRIPTOR_FILE
    if not path.exists():
        raise UserError(f"Er is geen profiel in {folder}. Maak er een met 'workbench init'.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        desc = Descriptor(**data)
    except (ValueError, TypeError):
        raise UserError(f"Het profielbestand {path.name} is beschadigd.") from None
    if desc.format > FORMAT:
        raise UserError("Dit profiel is gemaakt door een nieuwere versie van de Zaakwerkbank.")
    return desc


def write_descriptor(folder: Path, desc: Descriptor) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of it."""
    tmp = folder / (DESCRIPTOR_FILE + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(asdict(desc), fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / DESCRIPTOR_FILE)


def store_files(folder: Path) -> list[Path]:
    """The store and its SQLite companions (WAL, shared memory, journals)."""
    return [folder / (STORE_FILE + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
