"""Zaakwerkbank core: the whole product minus pixels (no Qt here)."""

__version__ = "0.1.0"
