"""Getting passphrases: from the environment for scripts (as restic and borg do) or from a prompt."""

from __future__ import annotations

import getpass
import os
import sys

from workbench.errors import UserError
from workbench.vault import KdfParams

ENV = "WORKBENCH_PASSPHRASE"
ENV_NEW = "WORKBENCH_NEW_PASSPHRASE"
ENV_ARGON2 = "WORKBENCH_ARGON2"


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise UserError(f"Geen wachtwoord: zet {ENV} of start de opdracht in een terminal.")
    return getpass.getpass(label)


def current() -> str:
    value = os.environ.get(ENV)
    return value if value is not None else _prompt("Wachtwoord: ")


def new(*, confirm: bool = True) -> str:
    """A new passphrase: from WORKBENCH_NEW_PASSPHRASE (or WORKBENCH_PASSPHRASE at init), else asked twice."""
    value = os.environ.get(ENV_NEW)
    if value is not None:
        return value
    first = _prompt("Nieuw wachtwoord: ")
    if confirm and _prompt("Herhaal het nieuwe wachtwoord: ") != first:
        raise UserError("De twee wachtwoorden zijn niet gelijk; er is niets veranderd.")
    return first


def kdf_params() -> KdfParams:
    """Argon2id cost from WORKBENCH_ARGON2="t,m_kib,p" (tests use a cheap one); strong by default."""
    raw = os.environ.get(ENV_ARGON2)
    if not raw:
        return KdfParams()
    try:
        t, m, p = (int(x) for x in raw.split(","))
    except ValueError:
        raise UserError(f"{ENV_ARGON2} is ongeldig: gebruik t,m,p, bijvoorbeeld 3,65536,2.") from None
    return KdfParams(time_cost=t, memory_kib=m, parallelism=p)
