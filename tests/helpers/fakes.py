"""Fakes for the outside world in tests: an in-memory secret store that can be told to fail."""

from __future__ import annotations

from workbench.errors import VaultUnavailable


class MemorySecrets:
    """A SecretStore in a dict; set `fail_next` to "get", "set", "delete" or "any" to fail one call.

    Attributes:
        entries: the stored secrets by name.
        calls: every (operation, name) asked of it, in order.
        fail_next: the operation whose next call raises VaultUnavailable, as a broken keyring would.
    """

    description = "Sleutelbos in het geheugen (alleen voor tests)"

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail_next: str | None = None

    def _maybe_fail(self, op: str, name: str) -> None:
        self.calls.append((op, name))
        if self.fail_next in (op, "any"):
            self.fail_next = None
            raise VaultUnavailable("De sleutelbos (keyring) reageert niet (gesimuleerd).")

    def get(self, name: str) -> str | None:
        self._maybe_fail("get", name)
        return self.entries.get(name)

    def set(self, name: str, value: str) -> None:
        self._maybe_fail("set", name)
        self.entries[name] = value

    def delete(self, name: str) -> None:
        self._maybe_fail("delete", name)
        self.entries.pop(name, None)
