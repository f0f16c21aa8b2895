"""Erasing a profile from this device (a revoked device): its key and keyring entries first, then its files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import VaultUnavailable
from workbench.profile import DEMO_KEYRING_FILE, DESCRIPTOR_FILE, STORE_FILE
from workbench.secrets import SecretStore
from workbench.settings import SETTINGS_FILE

if TYPE_CHECKING:
    from workbench.workspace import Workspace

# Files of a profile, with their companions (WAL, SHM, journal, the rekey copy) and temporary files.
PROFILE_FILES = (STORE_FILE, DESCRIPTOR_FILE, DEMO_KEYRING_FILE, SETTINGS_FILE)


def profile_secret_names(profile_id: str) -> list[str]:
    """Every keyring entry a profile may have, the wrapped data key first (without it the store is unreadable)."""
    from workbench.sync.client import token_name

    return [f"{profile_id}/data-key", f"{profile_id}/data-key-pending", f"{profile_id}/unlock-failures",
            f"{profile_id}/audit-anchor", token_name(profile_id)]


@dataclass
class Erasure:
    """What an erasure removed, and what it could not (shown to the person, never silently left).

    Attributes:
        left: keyring entries or files still there after the erasure tried to remove them.
    """

    secrets_removed: int = 0
    files_removed: int = 0
    left: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.left


def profile_files(folder: Path) -> list[Path]:
    """The profile's own files in ``folder`` (never anything else someone keeps there; links are not followed)."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    return [folder / name for name in names if name.lstrip(".").startswith(PROFILE_FILES)]


def erase_profile(folder: Path, profile_id: str, secrets: SecretStore, *,
                  close_store: Callable[[], None] | None = None) -> Erasure:
    """Close the store, delete the profile's keyring entries (the data key first), then its files.

    Every step is attempted even when an earlier one failed; what is left is listed in the answer.
    """
    result = Erasure()
    if close_store is not None:
        close_store()
    for name in profile_secret_names(profile_id):
        try:
            present = secrets.get(name) is not None
            secrets.delete(name)
            result.secrets_removed += present
        except VaultUnavailable:
            result.left.append(f"sleutelbos: {name}")
    for path in profile_files(folder):
        try:
            path.unlink()
            result.files_removed += 1
        except FileNotFoundError:
            continue
        except OSError:
            result.left.append(f"bestand: {path}")
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when nothing else is in it
    return result


def erase_workspace(ws: Workspace) -> Erasure:
    """Erase the open profile of ``ws``; the workspace cannot be used afterwards."""
    return ws.erase(lambda close: erase_profile(ws.folder, ws.descriptor.profile_id, ws.secrets,
                                                close_store=close))
