"""Store damage: checking every page of the encrypted file (HMAC) and SQLite's structure, and naming it plainly."""

from __future__ import annotations

from sqlalchemy import Engine

from workbench.errors import StoreUnavailable

# One message for damage, whichever SQLite or SQLCipher error carried it (malformed, not a database,
# an HMAC failure read as an I/O error, out of memory on a garbled page, a truncated file).
DAMAGED = ("De gegevensopslag is beschadigd. Werk niet verder op dit apparaat en neem contact op met de "
           "servicedesk; laat de profielmap staan zoals hij is.")
# Words in a driver message that always mean damage.
DAMAGE_WORDS = ("malformed", "not a database", "hmac", "corrupt")


def damaged() -> StoreUnavailable:
    return StoreUnavailable(DAMAGED)


def damaged_pages(engine: Engine) -> list[str]:
    """Problems found by `PRAGMA cipher_integrity_check` and `PRAGMA quick_check`; empty when all is well."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        problems = [str(row[0]) for row in cur.execute("PRAGMA cipher_integrity_check").fetchall()]
        quick = [str(row[0]) for row in cur.execute("PRAGMA quick_check").fetchall()]
        cur.close()
    except Exception as exc:  # the driver reports severe damage as an error (or MemoryError) rather than rows
        raise damaged() from exc
    finally:
        raw.close()
    return problems + [q for q in quick if q != "ok"]


def is_damaged(engine: Engine) -> bool:
    """Whether the store's pages fail their check; asked when an error could be damage or the environment.

    Reads the whole file, so it is only called once something already went wrong.
    """
    try:
        return bool(damaged_pages(engine))
    except StoreUnavailable:
        return True
    except Exception:  # cannot even connect: the environment, not (provably) damage
        return False
