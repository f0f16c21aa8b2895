"""The profile folder: which files it holds and its small plaintext descriptor (no personal data)."""

from __future__ import annotations

import json
import os
import platform
import stat
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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


MAX_DESCRIPTOR_BYTES = 64 * 1024
_FIELDS: dict[str, type] = {"profile_id": str, "device_id": str, "user_id": str, "demo": bool, "format": int}


def _tampered(path: Path, what: str, field: str | None = None) -> UserError:
    return UserError(f"Het profielbestand {path.name} is beschadigd of aangepast: {what}. Er is niets geopend. "
                     "Zet een reservekopie van de profielmap terug of neem contact op met de servicedesk.",
                     field=field)


def _checked(path: Path, data: Any) -> Descriptor:
    """A Descriptor from parsed JSON, or a Dutch message naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise _tampered(path, "het is geen JSON-object")
    unknown = sorted(str(key) for key in data if key not in _FIELDS)
    if unknown:
        raise _tampered(path, f"onbekend veld '{unknown[0][:40]}'", unknown[0][:40])
    for name, kind in _FIELDS.items():
        if name not in data:
            raise _tampered(path, f"het veld '{name}' ontbreekt", name)
        value = data[name]
        # bool is a subclass of int: a format of true is as wrong as a demo flag of 1.
        if type(value) is not kind:
            raise _tampered(path, f"het veld '{name}' heeft de verkeerde soort waarde", name)
        if isinstance(value, str):
            try:
                if str(uuid.UUID(value)) != value.lower():
                    raise ValueError(value)
            except ValueError:
                raise _tampered(path, f"het veld '{name}' is geen geldige id", name) from None
    if data["format"] < 1:
        raise _tampered(path, "het veld 'format' is geen geldige versie", "format")
    if data["format"] > FORMAT:
        raise UserError("Dit profiel is gemaakt door een nieuwere versie van de Zaakwerkbank.")
    return Descriptor(profile_id=data["profile_id"].lower(), device_id=data["device_id"].lower(),
                      user_id=data["user_id"].lower(), demo=data["demo"], format=data["format"])


def read_descriptor(folder: Path) -> Descriptor:
    """The profile's descriptor; a tampered or damaged file gets a clear Dutch message, never a crash."""
    path = folder / DESCRIPTOR_FILE
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise UserError(f"Er is geen profiel in {folder}. Maak er een met 'workbench init'.") from None
    except OSError as exc:
        raise UserError(f"Het profielbestand {path.name} kan niet worden gelezen: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise _tampered(path, "het is geen gewoon bestand")
    if info.st_size > MAX_DESCRIPTOR_BYTES:
        raise _tampered(path, f"het is te groot ({info.st_size} bytes)")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_DESCRIPTOR_BYTES + 1)
    except OSError as exc:
        raise UserError(f"Het profielbestand {path.name} kan niet worden gelezen: {exc.strerror or exc}.") from None
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise _tampered(path, "het is te groot")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise _tampered(path, "het is geen geldige JSON") from None
    return _checked(path, data)


def write_descriptor(folder: Path, desc: Descriptor) -> None:
    """Write atomically and owner-only: a crash leaves the old file or the new one, never half of it."""
    tmp = folder / (DESCRIPTOR_FILE + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(desc), fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / DESCRIPTOR_FILE)


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def _ours(name: str) -> bool:
    """The profile's own files: the store and its companions (WAL, SHM, journal, rekey copy), the descriptor,
    the demo keyring, and their temporary files while being written."""
    return name.lstrip(".").startswith((STORE_FILE, DESCRIPTOR_FILE, DEMO_KEYRING_FILE))


def make_private(folder: Path) -> list[Path]:
    """The folder 0700 and its own files 0600 (store, WAL/SHM, descriptor, keyring file, temporary files).

    Checked and repaired at each open, so a profile copied or unpacked with wider modes is closed again.
    Other files someone put in the folder, and symbolic links, are left alone. Returns what was repaired.
    Windows has no such modes; its user profile folder is private already.
    """
    if os.name == "nt" or not folder.is_dir():
        return []
    repaired: list[Path] = []
    try:
        ours = [folder / name for name in sorted(os.listdir(folder)) if _ours(name)]
    except OSError as exc:
        raise UserError(f"De profielmap {folder} kan niet worden gelezen: {exc.strerror or exc}.") from None
    for path, wanted in [(folder, PRIVATE_FOLDER)] + [(path, PRIVATE_FILE) for path in ours]:
        try:
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) & ~wanted == 0:
                continue
            os.chmod(path, stat.S_IMODE(info.st_mode) & wanted)
        except FileNotFoundError:
            continue  # a WAL or temporary file that went away meanwhile
        except OSError as exc:
            raise UserError(f"De rechten van {path} kunnen niet worden afgeschermd: {exc.strerror or exc}.") \
                from None
        repaired.append(path)
    return repaired


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file (before SQLite opens it, so it never exists with wider modes)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def store_files(folder: Path) -> list[Path]:
    """The store and its SQLite companions (WAL, shared memory, journals)."""
    return [folder / (STORE_FILE + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
