"""Two kinds of error: UserError (expected, shown in Dutch) and BugError (ours, reported)."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of all errors the workbench raises on purpose."""


class UserError(WorkbenchError):
    """An expected problem the user can act on; `text()` is the Dutch message shown.

    Attributes:
        field: the name of the field the problem is about, if any.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def text(self) -> str:
        return self.message


class ValidationError(UserError):
    """A value entered or imported does not meet its rules."""


class NotFound(UserError):
    """The record asked for does not exist (or is not visible to this user)."""


class NotAllowed(UserError):
    """The action is not allowed in the record's current state or for this user."""


class WrongPassphrase(UserError):
    """The passphrase did not open the vault."""


class VaultUnavailable(UserError):
    """The key store (keyring) cannot be used or holds no key for this profile."""


class StoreUnavailable(UserError):
    """The encrypted store cannot be opened (corrupt, truncated, newer version)."""


class BugError(WorkbenchError):
    """A broken invariant in our own code; logged and reported, never shown raw."""
