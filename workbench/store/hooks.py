"""Where a unit of work comes from, and the hook point through which other packages record its writes.

The store knows rows, bookkeeping and transactions, nothing more. The outbox (workbench.sync), the audit
chain (workbench.audit) and the holder guard (workbench.cases) plug in as hooks; the store imports none of them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session

from workbench.store.schema import Syncable

if TYPE_CHECKING:
    from workbench.store.unit_of_work import UnitOfWork


class Origin(enum.Enum):
    """Who a unit of work writes for; chosen when it is opened.

    LOCAL: the user's own action. Rows get fresh bookkeeping, the guards check them and every write goes to
        the hooks (an outbox row to share, an audit event). Hard deletes of syncable rows are refused.
    IMPORT: a dossier from another device. As LOCAL, but rows keep the bookkeeping they came with and are
        not checked by the guards (they were written by their own holder).
    SYNC: rows that came from central. They are not this device's changes: no hook sees them (no outbox row,
        no per-row audit event). Hard deletes are refused.
    PURGE: as SYNC, and hard deletes are allowed: a case reassigned away leaves the device, or enrollment
        replaces the profile's stand-in user and team.
    """

    LOCAL = "local"
    IMPORT = "import"
    SYNC = "sync"
    PURGE = "purge"

    @property
    def records(self) -> bool:
        """True when this device's hooks record the writes (outbox, audit)."""
        return self in (Origin.LOCAL, Origin.IMPORT)


@dataclass(frozen=True)
class Write:
    """One syncable row as a flush writes it, handed to every hook.

    Attributes:
        verb: create, update or delete (a delete sets the tombstone; the row stays).
        fields: ``{field: [old, new]}`` in JSON form, every data field for a new row.
        case_id: the case the row belongs to, from its model's case scope (None for a parent's own rows).
        at: the flush's moment, the row's new `updated_at` unless an import kept the one it came with.
    """

    row: Syncable
    verb: Literal["create", "update", "delete"]
    fields: dict[str, list[Any]]
    case_id: str | None
    at: dt.datetime


class Hook:
    """A package's part in every unit of work; each method is a no-op here, a hook overrides what it needs."""

    def check(self, uow: UnitOfWork, rows: list[Syncable]) -> None:
        """Before a LOCAL flush stamps its new and changed rows: raise to refuse them."""

    def written(self, uow: UnitOfWork, write: Write) -> None:
        """One row of a LOCAL or IMPORT flush, in the same transaction."""

    def noted(self, uow: UnitOfWork, entry: object) -> bool:
        """An event the action states itself (`UnitOfWork.audit`); True when this hook recorded it."""
        return False

    def committed(self, session: Session) -> None:
        """The transaction committed."""

    def rolled_back(self, session: Session) -> None:
        """The transaction (or a savepoint) rolled back."""

    def finished(self, session: Session) -> None:
        """The unit of work committed and its session closed: work outside the store may follow."""

    def close(self) -> None:
        """The store closes."""
