"""Sync bookkeeping and protocol: outbox, cursor state and conflicts."""
