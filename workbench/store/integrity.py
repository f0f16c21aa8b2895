"""Checking every page of the encrypted file (HMAC) and SQLite's own structure, for `audit verify`."""

from __future__ import annotations

from sqlalchemy import Engine

from workbench.errors import StoreUnavailable


def damaged_pages(engine: Engine) -> list[str]:
    """Problems found by `PRAGMA cipher_integrity_check` and `PRAGMA quick_check`; empty when all is well."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        problems = [str(row[0]) for row in cur.execute("PRAGMA cipher_integrity_check").fetchall()]
        quick = [str(row[0]) for row in cur.execute("PRAGMA quick_check").fetchall()]
        cur.close()
    except Exception as exc:  # the driver reports severe damage as an error rather than rows
        raise StoreUnavailable("De gegevensopslag is beschadigd. Neem contact op met de servicedesk; "
                               "werk niet verder op dit apparaat.") from exc
    finally:
        raw.close()
    return problems + [q for q in quick if q != "ok"]
